#ifndef SYNDEX_ENGINE_UTIL_FILE_H_
#define SYNDEX_ENGINE_UTIL_FILE_H_

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
