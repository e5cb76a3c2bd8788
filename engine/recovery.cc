// VerifyIndex and RecoverIndex (engine/recovery.h) over the index folder
// (engine/index/index_dir.h) and the load checks (engine/core/verify.cc).

#include "engine/recovery.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/core/index_core.h"
#include "engine/index/index_dir.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Checks `file`, the data file of `generation` at `path`.
GenerationReport CheckFile(
    const absl::StatusOr<std::unique_ptr<MappedFile>>& file,
    const std::string& path, uint64_t generation, int threads) {
  GenerationReport report;
  if (file.ok()) {
    report = IndexCore::CheckData((*file)->data(), path, threads);
  } else {
    report.data_file = path;
    report.status = report.header = file.status();
  }
  report.generation = generation;
  return report;
}

// The generations stored in `dir`; NotFoundError if there are none.
absl::StatusOr<std::vector<uint64_t>> Stored(const std::string& dir) {
  absl::StatusOr<std::vector<uint64_t>> stored =
      IndexDir::StoredGenerations(dir);
  if (absl::IsNotFound(stored.status()) || (stored.ok() && stored->empty())) {
    return absl::NotFoundError(absl::StrCat(dir, ": no syndex index here"));
  }
  return stored;
}

}  // namespace

absl::StatusOr<VerifyReport> VerifyIndex(const std::string& dir, int threads) {
  VerifyReport report;
  report.dir = dir;
  absl::StatusOr<std::unique_ptr<IndexDir>> index = IndexDir::OpenForRead(dir);
  if (index.ok()) {
    // The file the reader opened, even if a commit replaces it meanwhile.
    report.live = CheckFile((*index)->MapCurrent(), (*index)->current_path(),
                            (*index)->generation(), threads);
  } else if (absl::IsDataLoss(index.status())) {
    report.current = index.status();
  } else if (!absl::IsNotFound(index.status())) {
    return index.status();
  }
  SYNDEX_ASSIGN_OR_RETURN(report.stored, Stored(dir));
  if (absl::IsNotFound(index.status())) {
    report.current = absl::DataLossError(
        absl::StrCat(dir, "/CURRENT is missing, but data files are present"));
  }
  return report;
}

absl::StatusOr<RecoverReport> RecoverIndex(const std::string& dir,
                                           int threads) {
  RecoverReport report;
  report.dir = dir;
  // Listed before taking the lock, which creates LOCK, and again after.
  SYNDEX_RETURN_IF_ERROR(Stored(dir).status());
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<IndexDir> index,
                          IndexDir::OpenForRepair(dir, &report.current));
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint64_t> stored, Stored(dir));
  if (index->has_data()) report.previous = index->generation();
  std::vector<uint64_t> checked;
  for (uint64_t g : stored) {
    // A generation newer than the live one was never committed.
    if (report.previous && g > *report.previous) continue;
    checked.push_back(g);
    const std::string path = IndexDir::DataFilePath(dir, g);
    GenerationReport r = CheckFile(MappedFile::Open(path), path, g, threads);
    if (r.ok()) {
      report.chosen = g;
      report.chosen_articles = r.articles.value_or(0);
      break;
    }
    report.passed_over.push_back(std::move(r));
  }
  if (report.chosen == 0) {
    return absl::DataLossError(
        absl::StrCat(dir, ": no stored generation verifies (checked ",
                     absl::StrJoin(checked, ", "), "); nothing was changed"));
  }
  if (report.previous == report.chosen) return report;
  SYNDEX_RETURN_IF_ERROR(index->SwitchTo(report.chosen));
  report.switched = true;
  return report;
}

}  // namespace syndex
