#ifndef SYNDEX_ENGINE_CORPUS_JSONL_READER_H_
#define SYNDEX_ENGINE_CORPUS_JSONL_READER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/corpus/article.h"

namespace syndex {

struct ReaderOptions {
  // JSON field names. Defaults: "id", "text", "title", "source", "url",
  // "published".
  std::string id_field = "id";
  std::string text_field = "text";
  std::string title_field = "title";
  std::string source_field = "source";
  std::string url_field = "url";
  std::string published_field = "published";
  // Skip bad lines (counting them by reason) instead of failing.
  // Default: false.
  bool skip_bad = false;
};

// Reads articles from a JSON Lines file: one JSON object per line, parsed with
// simdjson. `path` may be "-" (standard input, named "<stdin>" in messages).
// Gzip input (one or more members) is detected by its magic bytes, whatever
// the name; a "*.gz" file without them is a DataLossError. Blank lines are
// ignored but counted; a UTF-8 BOM at the start and CR before LF are accepted.
// Only top-level fields are looked at: unknown fields are ignored, the first
// of duplicate fields counts, and a null value counts as absent.
//
// A line is bad if it is not a JSON object, lacks the id or text field, has an
// empty id or text (after trimming whitespace), has a field of the wrong type
// (id: string or integer; text, title, source, url: string; published: ISO
// 8601 date "YYYY-MM-DD" or date-time with optional fraction and "Z" or
// +hh:mm offset, or an integer of Unix seconds within years 0-9999; an empty
// string counts as absent), contains invalid UTF-8 or a NUL byte, or has an
// unparsable date. Without skip_bad, Next returns
// InvalidArgumentError("file:line: reason"); with it, the line is skipped and
// counted in skipped(). Either way a later Next continues with the next line.
// Reasons are short and stable, e.g. "not valid JSON", "not a JSON object",
// "invalid UTF-8", "NUL byte", "missing field 'id'", "empty field 'text'",
// "field 'title' is not a string", "field 'id' is not a string or integer",
// "field 'published' is not a valid ISO 8601 date", "field 'published' is out
// of range" (names as configured in ReaderOptions). Duplicate ids are not
// detected here (the index does that across files).
//
// The input is read in 4 MiB blocks; a line may be longer (the buffer grows
// to hold it). I/O and gzip errors (DataLossError "file: truncated gzip
// stream" / "file: corrupt gzip stream (...)") are final.
//
// Not thread-safe.
class JsonlReader {
 public:
  ~JsonlReader();

  // Opens `path`. NotFoundError / PermissionDeniedError naming the path if it
  // cannot be opened.
  static absl::StatusOr<std::unique_ptr<JsonlReader>> Open(
      const std::string& path, const ReaderOptions& options);

  // A reader of the JSON Lines `data` held in memory (plain, not gzip),
  // named `name` in messages, whose first line is line `first_line` of
  // that input (a UTF-8 BOM is accepted on line 1 only): for a byte range
  // of a file read elsewhere.
  static std::unique_ptr<JsonlReader> FromString(std::string data,
                                                 std::string name,
                                                 int64_t first_line,
                                                 const ReaderOptions& options);

  // Reads the next article into `article`. Returns true on success, false at
  // the end of the input, or an error (bad line without skip_bad, I/O error,
  // corrupt gzip).
  absl::StatusOr<bool> Next(Article* article);

  // Skipped lines by reason (only with skip_bad).
  const std::map<std::string, int64_t>& skipped() const { return skipped_; }
  int64_t lines_read() const { return line_; }
  const std::string& name() const { return name_; }

 private:
  class Impl;
  JsonlReader(std::unique_ptr<Impl> impl, std::string name,
              const ReaderOptions& options);

  std::unique_ptr<Impl> impl_;
  std::string name_;
  ReaderOptions options_;
  int64_t line_ = 0;
  std::map<std::string, int64_t> skipped_;
};

// Parses an ISO 8601 date or date-time into Unix seconds (UTC):
// "YYYY-MM-DD" or "YYYY-MM-DD[T| ]hh:mm[:ss[.fff]]" with an optional "Z",
// "+hh", "+hh:mm" or "+hhmm" (or "-") offset; no offset means UTC; the
// fraction is dropped. Ranges are checked (Feb 29 only in leap years, no
// leap seconds, no 24:00). InvalidArgumentError on anything else.
absl::StatusOr<int64_t> ParseIsoTime(absl::string_view s);
// Formats Unix seconds as "YYYY-MM-DDThh:mm:ssZ" (UTC).
std::string FormatIsoTime(int64_t seconds);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORPUS_JSONL_READER_H_
