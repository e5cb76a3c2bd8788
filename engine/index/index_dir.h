#ifndef SYNDEX_ENGINE_INDEX_INDEX_DIR_H_
#define SYNDEX_ENGINE_INDEX_INDEX_DIR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace syndex {

// A read-only view of a whole file, memory-mapped (an empty file gives empty
// data without a mapping). Errors name the path. Thread-safe.
class MappedFile {
 public:
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  static absl::StatusOr<std::unique_ptr<MappedFile>> Open(
      const std::string& path);
  absl::string_view data() const { return data_; }
  const std::string& path() const { return path_; }
  // Drops the pages wholly inside `range` (a part of data()) from this
  // process's memory; reading them again brings them back from the file.
  // For a reader done with a part of the file.
  void Release(absl::string_view range) const;

 private:
  friend class IndexDir;
  MappedFile() = default;
  // Maps the open file `fd` (not closed, not owned); `path` names it in
  // errors.
  static absl::StatusOr<std::unique_ptr<MappedFile>> FromFd(
      int fd, const std::string& path);
  std::string path_;
  absl::string_view data_;
  void* map_ = nullptr;
  size_t size_ = 0;
};

// An index directory (docs/format.md):
//   DIR/CURRENT            one line: the name of the live data file
//   DIR/data-<NNNNNN>.sdx  generation NNNNNN (a section file)
//   DIR/LOCK               held with flock() by the one writer
//
//   DIR/data-<NNNNNN>.sdx.damaged  a generation set aside by SwitchTo
//
// Commit writes the next generation to a new file, fsyncs it, then switches
// CURRENT atomically (write CURRENT.tmp, fsync, rename, fsync DIR), and only
// then deletes the older generations beyond the newest keep() of them. A
// writer killed at any point leaves either the old or the new generation
// live. Readers open CURRENT's file and never
// take the lock, so they keep working while a writer runs (the old file stays
// readable through their mapping even after it is unlinked).
//
// Retention and recovery (set_keep, SwitchTo) are at the end of the class.
class IndexDir {
 public:
  ~IndexDir();

  // Opens an existing index for reading, without taking the lock: reads
  // CURRENT and opens the file it names, which the IndexDir keeps open, so
  // MapCurrent sees this generation even if a writer commits a newer one
  // meanwhile. NotFoundError("DIR: no syndex index here") if DIR or
  // DIR/CURRENT is missing; DataLossError if CURRENT is malformed or names a
  // missing file.
  static absl::StatusOr<std::unique_ptr<IndexDir>> OpenForRead(
      const std::string& dir);
  // Opens (creating DIR if `create`; else NotFoundError("DIR: no syndex index
  // here") if DIR is missing) for writing and takes the writer lock;
  // FailedPreconditionError("DIR: locked by another syndex process (pid N)")
  // if another writer holds it for longer than `wait_seconds`. The lock is
  // released by the destructor. Deletes the garbage a killed writer may have
  // left (temporary files, data files newer than the live one).
  // DataLossError if CURRENT exists but is malformed or names a missing
  // file (the index is then left untouched).
  static absl::StatusOr<std::unique_ptr<IndexDir>> OpenForWrite(
      const std::string& dir, bool create, double wait_seconds = 0);

  // True if a generation is live.
  bool has_data() const { return !current_.empty(); }
  // Maps the live data file. REQUIRES: has_data().
  absl::StatusOr<std::unique_ptr<MappedFile>> MapCurrent() const;
  // Path of the live data file ("" if none).
  std::string current_path() const;

  // Makes `contents` the next live generation, as described above. On error
  // the live generation is unchanged unless the error came after the switch
  // of CURRENT (from the final fsync of DIR).
  // REQUIRES: opened for writing.
  absl::Status Commit(absl::string_view contents);
  // The same, for a generation too large to hold in memory: `write` creates
  // the file at the path it is given, fills it and fsyncs it.
  absl::Status CommitWith(
      const std::function<absl::Status(const std::string& path)>& write);

  const std::string& dir() const { return dir_; }
  uint64_t generation() const { return generation_; }

  // Retention and recovery.

  // How many generations older than the live one each Commit keeps (the
  // newest of them); negative counts as 0. Default: 2.
  void set_keep(int generations);
  int keep() const { return keep_; }
  // The generations whose data files `dir` holds, newest first: the live
  // one, those kept, and any a killed writer left. Takes no lock.
  static absl::StatusOr<std::vector<uint64_t>> StoredGenerations(
      const std::string& dir);
  // The path of the data file of `generation` in `dir` (which may not
  // exist).
  static std::string DataFilePath(const std::string& dir, uint64_t generation);

  // Opens DIR for repair: takes the writer lock as OpenForWrite does, but
  // accepts a CURRENT that is malformed or names a missing file (then
  // has_data() is false and *current_error holds the DataLossError
  // OpenForWrite would return; else it is OK), and deletes nothing.
  static absl::StatusOr<std::unique_ptr<IndexDir>> OpenForRepair(
      const std::string& dir, absl::Status* current_error);
  // Makes the existing data file of `generation`, older than the live one,
  // live: switches CURRENT as Commit does (the commit point), then renames
  // the data files of the generations passed over (newer than `generation`
  // and not newer than the old live one; every newer one if there was no
  // live one) to data-NNNNNN.sdx.damaged, which nothing reads or deletes,
  // and deletes the garbage a killed writer left. Later commits number
  // their generations above every set-aside one. On error after the switch
  // CURRENT names `generation`. REQUIRES: opened for writing or repair.
  absl::Status SwitchTo(uint64_t generation);

 private:
  IndexDir() = default;
  static absl::StatusOr<std::unique_ptr<IndexDir>> Lock(
      const std::string& dir, double wait_seconds = 0);
  uint64_t NextGeneration() const;
  void PruneGenerations() const;
  absl::Status LoadCurrent();
  void RemoveGarbage() const;

  std::string dir_;
  std::string current_;  // File name of the live generation.
  uint64_t generation_ = 0;
  int lock_fd_ = -1;  // Writers only: the flock()ed DIR/LOCK.
  int data_fd_ = -1;  // Readers only: the live data file, opened by OpenForRead.
  int keep_ = 2;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_INDEX_INDEX_DIR_H_
