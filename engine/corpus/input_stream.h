#ifndef SYNDEX_ENGINE_CORPUS_INPUT_STREAM_H_
#define SYNDEX_ENGINE_CORPUS_INPUT_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace syndex {

// A sequential byte source: a plain file, standard input, or either of those
// holding a gzip stream (one or more concatenated members), decompressed on
// the fly. Internal to engine/corpus.
//
// Not thread-safe.
class InputStream {
 public:
  virtual ~InputStream() = default;

  // Reads up to `n` (> 0) bytes into `buf`. Returns the number read, 0 only
  // at the end of the input, or an error naming the input: DataLossError for
  // a truncated or corrupt gzip stream, InternalError for a failed read.
  // After an error the stream stays failed.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

// Opens `path` ("-" is standard input, which is not closed). Gzip is
// detected by its magic bytes (1f 8b), whatever the name; a file named
// "*.gz" without them is a DataLossError. `name` is used in error messages.
// NotFoundError / PermissionDeniedError naming the path if it cannot be
// opened; InvalidArgumentError for a directory.
absl::StatusOr<std::unique_ptr<InputStream>> OpenInputStream(
    const std::string& path, const std::string& name);

// All of `path` ("-" is standard input), gunzipped if it holds gzip; errors
// as OpenInputStream and Read. For readers outside engine/corpus.
absl::StatusOr<std::string> ReadWholeInput(const std::string& path);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORPUS_INPUT_STREAM_H_
