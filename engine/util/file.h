#ifndef SYNDEX_ENGINE_UTIL_FILE_H_
#define SYNDEX_ENGINE_UTIL_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace syndex {

// Reads the whole file. NotFoundError if it does not exist; errors name the
// path.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The status for a failed system call on `path`: "path: what: strerror",
// NotFoundError for ENOENT, PermissionDeniedError for EACCES/EPERM,
// InternalError otherwise. Reads errno.
absl::Status ErrnoError(absl::string_view what, const std::string& path);

// A file being written from the start. Errors name the path. The
// descriptor is closed on destruction. Thread-compatible.
class WritableFile {
 public:
  // Creates or truncates `path`.
  static absl::StatusOr<std::unique_ptr<WritableFile>> Create(
      const std::string& path);
  ~WritableFile();
  WritableFile(const WritableFile&) = delete;
  WritableFile& operator=(const WritableFile&) = delete;

  // Writes at the end.
  absl::Status Append(absl::string_view data);
  // Overwrites bytes already written, at `offset`.
  absl::Status WriteAt(uint64_t offset, absl::string_view data);
  // fsyncs the file (not its directory).
  absl::Status Sync();
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  WritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
  uint64_t size_ = 0;
};

// Creates or truncates `path`, writes `contents` and fsyncs the file (not
// its directory).
absl::Status WriteFileSynced(const std::string& path,
                             absl::string_view contents);

// Replaces `path` with `contents` atomically: writes `path`.tmp-<pid>, fsyncs
// it, renames it over `path` and fsyncs the directory. After a crash the file
// holds either the old or the new contents, never a mix.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// fsyncs a directory so that renames and creations in it are durable.
absl::Status SyncDirectory(const std::string& dir);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_FILE_H_
