#ifndef SYNDEX_ENGINE_CORPUS_ARTICLE_FILES_H_
#define SYNDEX_ENGINE_CORPUS_ARTICLE_FILES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/corpus/article.h"
#include "engine/corpus/jsonl_reader.h"

namespace syndex {

// The articles of several JSON Lines files (JsonlReader: .gz or "-"), one
// after the other, in order.
//
//   ArticleFiles files(paths, options);
//   Article a;
//   while (true) {
//     SYNDEX_ASSIGN_OR_RETURN(bool more, files.Next(&a));
//     if (!more) break;
//     ...
//   }
//
// Not thread-safe.
class ArticleFiles {
 public:
  ArticleFiles(std::vector<std::string> paths, const ReaderOptions& options);

  // Reads the next article into `article`: true, or false after the last.
  // Errors are JsonlReader's ("file:line: reason"); reading may go on
  // after one.
  absl::StatusOr<bool> Next(Article* article);
  // The lines skipped so far (with options.skip_bad), by reason, over the
  // files read to their end.
  const std::map<std::string, int64_t>& skipped() const { return skipped_; }

 private:
  std::vector<std::string> paths_;
  ReaderOptions options_;
  size_t next_path_ = 0;
  std::unique_ptr<JsonlReader> reader_;
  std::map<std::string, int64_t> skipped_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORPUS_ARTICLE_FILES_H_
