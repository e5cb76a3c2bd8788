#ifndef SYNDEX_ENGINE_INDEX_SECTION_FILE_H_
#define SYNDEX_ENGINE_INDEX_SECTION_FILE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/util/bytes.h"
#include "engine/util/file.h"

namespace syndex {

// A section tag: four ASCII characters, e.g. SectionTag("PARM").
constexpr uint32_t SectionTag(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 |
         uint32_t(uint8_t(s[2])) << 16 | uint32_t(uint8_t(s[3])) << 24;
}
std::string TagName(uint32_t tag);

// The container of every syndex index file (docs/format.md): a header with
// magic "SYNDEX\0\0", the format version and the section count, a table of
// sections (tag, offset, length, XXH3-64 checksum), the sections' bytes each
// aligned to 64 bytes, and a footer checksum of the header and table.
//
// Build with Add, then Finish to get the bytes. Not thread-safe.
class SectionFileWriter {
 public:
  explicit SectionFileWriter(uint32_t format_version);
  // REQUIRES: `tag` not added before.
  void Add(uint32_t tag, std::string bytes);
  std::string Finish() &&;

 private:
  uint32_t version_;
  std::vector<std::pair<uint32_t, std::string>> sections_;
};

// One row of a section file's table.
struct SectionEntry {
  uint32_t tag;
  uint64_t offset, length, checksum;
};

// Writes a section file to disk one section at a time, holding only a
// small buffer in memory: the sections follow a reserved header and table,
// which Finish fills in. The file's bytes equal SectionFileWriter's for the
// same sections. Not thread-safe.
class SectionFileStream {
 public:
  // Creates or truncates `path` for a file of `num_sections` sections.
  static absl::StatusOr<std::unique_ptr<SectionFileStream>> Create(
      const std::string& path, uint32_t format_version, uint32_t num_sections);

  // Appends section `tag`, whose bytes `write` writes.
  // REQUIRES: `tag` not added before; fewer than num_sections added.
  absl::Status Add(uint32_t tag, const std::function<void(ByteWriter*)>& write);
  // Writes the header and table and fsyncs the file.
  // REQUIRES: num_sections added.
  absl::Status Finish();
  // The sections added so far, in file order.
  const std::vector<SectionEntry>& entries() const { return entries_; }

 private:
  SectionFileStream(std::unique_ptr<WritableFile> file, uint32_t version,
                    uint32_t num_sections);

  std::unique_ptr<WritableFile> file_;
  uint32_t version_;
  [[maybe_unused]] uint32_t num_sections_;  // Checked in debug builds.
  std::vector<SectionEntry> entries_;
};

// One section of a section file as SectionFileReader::Check finds it.
struct SectionCheck {
  uint32_t tag = 0;
  absl::string_view bytes;  // A view into the checked data.
  bool checksum_ok = false;
};

// Parses and validates a section file held in memory (not owned; must outlive
// the reader). Every size is checked against the data before use and every
// checksum is verified by Open, so a truncated, bit-flipped or foreign file
// gives DataLossError / FailedPreconditionError naming `name`, never a crash.
// Thread-safe after Open.
class SectionFileReader {
 public:
  // `name` is used in error messages (normally the file path). A file whose
  // version is not `expected_version` gives FailedPreconditionError if its
  // header checksum holds, else DataLossError("NAME: header damaged ...").
  // The
  // sections' checksums are verified on `threads` threads (0: all cores).
  // `verified`, if given, is called with each section's bytes once their
  // checksum is verified (possibly on another thread), e.g. to release the
  // pages of a mapped file until they are parsed.
  static absl::StatusOr<SectionFileReader> Open(
      absl::string_view data, std::string name, uint32_t expected_version,
      int threads = 0,
      const std::function<void(absl::string_view)>& verified = nullptr);

  // Runs the checks of Open, but instead of stopping at the first section
  // whose checksum fails returns every section, in file order, with the
  // result of its own checksum. Errors of the header and the table as Open.
  static absl::StatusOr<std::vector<SectionCheck>> Check(
      absl::string_view data, const std::string& name,
      uint32_t expected_version, int threads = 0);

  bool Has(uint32_t tag) const;
  // The bytes of section `tag`; DataLossError naming the file and tag if it
  // is missing.
  absl::StatusOr<absl::string_view> Get(uint32_t tag) const;
  const std::string& name() const { return name_; }
  uint32_t version() const { return version_; }
  // Every section's tag and bytes, in file order.
  const std::vector<std::pair<uint32_t, absl::string_view>>& sections() const {
    return sections_;
  }

 private:
  SectionFileReader() = default;
  // Checks the header and the table (everything but the sections'
  // checksums) and fills sections_; returns the stored checksums.
  absl::StatusOr<std::vector<uint64_t>> ReadTable(absl::string_view data,
                                                  uint32_t expected_version);
  // Which sections' checksums differ from `checksums`; calls `verified` as
  // Open describes.
  std::vector<char> FindBadChecksums(
      absl::string_view data, const std::vector<uint64_t>& checksums,
      int threads,
      const std::function<void(absl::string_view)>& verified) const;
  std::string name_;
  uint32_t version_ = 0;
  std::vector<std::pair<uint32_t, absl::string_view>> sections_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_INDEX_SECTION_FILE_H_
