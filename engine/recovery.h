#ifndef SYNDEX_ENGINE_RECOVERY_H_
#define SYNDEX_ENGINE_RECOVERY_H_

// Checking an index for damage and going back to an older generation
// (part of the public API; engine/syndex.h includes it). Every commit keeps
// the data files of older generations (OpenOptions::keep_generations), so
// that when the live one is damaged the index can return to the newest one
// that is intact, losing only the commits after it.
//
//   SYNDEX_ASSIGN_OR_RETURN(VerifyReport report, VerifyIndex("news.idx"));
//   if (!report.ok()) {
//     SYNDEX_ASSIGN_OR_RETURN(RecoverReport done, RecoverIndex("news.idx"));
//   }

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace syndex {

// One section of a data file (docs/format.md, "Index contents").
struct SectionReport {
  std::string tag;     // "PARM", "ARTS", ...
  uint64_t bytes = 0;  // The section's length.
  // OK, or why the section is damaged: its checksum, or a load check that
  // failed in it (a DataLossError naming the file and the section).
  absl::Status status;
};

// What checking one generation's data file found.
struct GenerationReport {
  uint64_t generation = 0;
  std::string data_file;  // Its path.
  // OK if the file loads as Index::Open loads it; else the first damage
  // found: a DataLossError naming the file and the header or the section
  // (FailedPreconditionError for an intact file this build cannot read,
  // another error if the file cannot be read at all).
  absl::Status status;
  // The header and the section table: OK, or the error above; when it is
  // not OK the sections cannot be located and `sections` is empty.
  absl::Status header;
  std::vector<SectionReport> sections;  // In file order.
  // The article count stored in PARM, when PARM is intact.
  std::optional<uint64_t> articles;

  bool ok() const { return status.ok(); }
};

// What VerifyIndex found.
struct VerifyReport {
  std::string dir;
  // OK, or the DataLossError of a CURRENT that is malformed or names a
  // missing data file; `live` is then not checked.
  absl::Status current;
  GenerationReport live;  // The live generation.
  // The generations whose data files the directory holds, newest first.
  std::vector<uint64_t> stored;

  bool ok() const { return current.ok() && live.ok(); }
};

// Checks every section of the live generation of the index in `dir`: the
// header, the section table and each section's checksum, then every check
// Index::Open makes while loading it, on `threads` threads (0: all cores).
// Damage is reported in the result, not as an error; the error is
// NotFoundError("DIR: no syndex index here") when `dir` holds neither
// CURRENT nor a data file, or an I/O error of the directory. Takes no lock
// and changes nothing.
absl::StatusOr<VerifyReport> VerifyIndex(const std::string& dir,
                                         int threads = 0);

// What RecoverIndex did.
struct RecoverReport {
  std::string dir;
  // The live generation before, if CURRENT named one.
  std::optional<uint64_t> previous;
  // Why CURRENT named none: OK, or its DataLossError.
  absl::Status current;
  // The generation live now: the newest stored one (not newer than
  // `previous`) that verifies, and its article count.
  uint64_t chosen = 0;
  uint64_t chosen_articles = 0;
  // False if the live generation verified and nothing changed.
  bool switched = false;
  // The generations checked before `chosen` and found damaged, newest
  // first; their data files are now data-NNNNNN.sdx.damaged.
  std::vector<GenerationReport> passed_over;
};

// Takes the writer lock of `dir` and makes the newest stored generation
// that verifies (VerifyIndex's checks) live, atomically: CURRENT is
// switched as a commit switches it, and a process killed meanwhile leaves
// either the old or the chosen generation live. Generations newer than the
// live one (a killed writer's, never committed) are not considered, unless
// CURRENT is itself damaged. Errors: FailedPreconditionError if another
// process holds the lock; NotFoundError if `dir` holds no data file;
// DataLossError("DIR: no stored generation verifies ...") if none does
// (nothing is changed then).
absl::StatusOr<RecoverReport> RecoverIndex(const std::string& dir,
                                           int threads = 0);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_RECOVERY_H_
