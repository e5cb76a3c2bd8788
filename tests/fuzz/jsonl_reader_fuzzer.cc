// Reads arbitrary bytes as a JSON Lines file (plain or, when the bytes start
// with the gzip magic, gzip) through JsonlReader, once failing on the first
// bad line and once skipping bad lines. Every outcome other than a crash, a
// sanitizer report or a hang is acceptable; the checks below are invariants
// the reader documents.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "engine/corpus/article.h"
#include "engine/corpus/jsonl_reader.h"
#include "tests/fuzz/fuzz_temp_dir.h"

namespace syndex {
namespace {

// Reads every article; returns the number read before the end or an error.
int64_t ReadAll(const std::string& path, bool skip_bad) {
  ReaderOptions options;
  options.skip_bad = skip_bad;
  absl::StatusOr<std::unique_ptr<JsonlReader>> reader =
      JsonlReader::Open(path, options);
  if (!reader.ok()) std::abort();  // The file exists and is readable.
  Article article;
  int64_t articles = 0;
  // Without skip_bad a bad line is an error after which reading continues
  // with the next line; keep going until the end or a final (I/O) error,
  // bounded by the number of lines the input can hold.
  for (int64_t calls = 0;; ++calls) {
    absl::StatusOr<bool> next = (*reader)->Next(&article);
    if (next.ok()) {
      if (!*next) break;
      if (article.id.empty() || article.text.empty()) std::abort();
      ++articles;
      continue;
    }
    if (skip_bad) {
      // Only I/O and gzip errors remain with skip_bad; they are final.
      if (absl::IsInvalidArgument(next.status())) std::abort();
      break;
    }
    if (!absl::IsInvalidArgument(next.status())) break;  // Final error.
    if (calls > (*reader)->lines_read() + 1) std::abort();  // No progress.
  }
  return articles;
}

}  // namespace
}  // namespace syndex

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = syndex::FuzzTempDir() + "/input.jsonl";
  syndex::WriteFuzzFile(path, data, size);
  const int64_t strict = syndex::ReadAll(path, /*skip_bad=*/false);
  const int64_t lenient = syndex::ReadAll(path, /*skip_bad=*/true);
  // Both passes accept exactly the good lines (unless an I/O or gzip error
  // ended one of them early, which happens at the same point in both).
  if (strict != lenient) std::abort();
  return 0;
}
