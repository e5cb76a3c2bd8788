#ifndef SYNDEX_ENGINE_INDEX_INDEX_LOG_H_
#define SYNDEX_ENGINE_INDEX_INDEX_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace syndex {

// The commit log of one generation (docs/format.md, "Commit log"):
//   DIR/log-<NNNNNN>.sdl  records committed on top of data-<NNNNNN>.sdx
//
// A file header, then records, each a checksummed payload with its commit
// number: the generation NNNNNN + 1, + 2, ... A commit appends one record
// and fsyncs the file before it returns, so a commit costs in proportion
// to its record, not to the index. A record cut short by a killed writer
// (it runs past the end of the file, or it is the last one and fails its
// checksum) was never acknowledged: readers stop before it and the next
// writer truncates it. A damaged record followed by more bytes is a
// DataLossError.
//
// Thread-compatible; the one writer holds the index directory's lock.
class IndexLog {
 public:
  ~IndexLog();
  IndexLog(const IndexLog&) = delete;
  IndexLog& operator=(const IndexLog&) = delete;

  // The name of the log of `generation` ("log-000007.sdl").
  static std::string FileName(uint64_t generation);

  // Reads the complete records of the log of `generation` in `dir`
  // (none if the file does not exist), and sets `*bytes` (if given) to
  // where the last one ends. Does not change the file.
  static absl::StatusOr<std::vector<std::string>> Read(
      const std::string& dir, uint64_t generation, uint64_t* bytes = nullptr);

  // What Check found in the log of one generation.
  struct Check {
    std::string path;
    bool exists = false;
    // Where each intact record ends, in order: the records readers replay
    // (a damaged record ends the list).
    std::vector<uint64_t> ends;
    std::vector<std::string> records;
    uint64_t size = 0;  // Of the file.
    // OK, or the DataLossError of a damaged header or of a damaged record
    // followed by more bytes (Read fails with it). A cut-short last record
    // is no damage: it was never acknowledged.
    absl::Status status;
    bool cut_short = false;  // The file ends in a cut-short record.
  };
  // Checks the log of `generation` in `dir`; an error only if the file
  // exists and cannot be read. Does not change the file.
  static absl::StatusOr<Check> Inspect(const std::string& dir,
                                       uint64_t generation);
  // Cuts the log of `generation` in `dir` to its first `bytes` bytes (the
  // end of a record Inspect listed, or 0 to delete it) and fsyncs it.
  // REQUIRES: the caller holds the directory's writer lock.
  static absl::Status Truncate(const std::string& dir, uint64_t generation,
                               uint64_t bytes);

  // Opens the log of `generation` for appending: reads its records into
  // `records`, truncates a cut-short last record, and deletes the logs no
  // generation needs: of generations without a data file, or newer than
  // `generation`. The logs of kept older generations stay with them.
  // REQUIRES: the caller holds the directory's writer lock.
  static absl::StatusOr<std::unique_ptr<IndexLog>> OpenForAppend(
      const std::string& dir, uint64_t generation,
      std::vector<std::string>* records);

  // Appends one record with the next commit number and fsyncs it (the
  // first record also creates the file and fsyncs the directory).
  absl::Status Append(absl::string_view payload);

  // Deletes the file (after a full commit made its records part of the
  // next generation's data file). Best effort.
  void Remove();

  uint64_t generation() const { return generation_; }
  // The commit number of the last record (generation() if none).
  uint64_t last() const { return generation_ + records_; }
  // Bytes in the file (0 if it does not exist).
  uint64_t bytes() const { return size_; }

 private:
  IndexLog() = default;

  std::string dir_;
  std::string path_;
  uint64_t generation_ = 0;
  uint64_t records_ = 0;
  uint64_t size_ = 0;
  int fd_ = -1;  // Open once the file exists.
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_INDEX_INDEX_LOG_H_
