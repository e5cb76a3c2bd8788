#include "engine/corpus/article_files.h"

#include <utility>

#include "engine/util/status_macros.h"

namespace syndex {

ArticleFiles::ArticleFiles(std::vector<std::string> paths,
                           const ReaderOptions& options)
    : paths_(std::move(paths)), options_(options) {}

absl::StatusOr<bool> ArticleFiles::Next(Article* article) {
  for (;;) {
    if (reader_ == nullptr) {
      if (next_path_ == paths_.size()) return false;
      SYNDEX_ASSIGN_OR_RETURN(reader_,
                              JsonlReader::Open(paths_[next_path_], options_));
      ++next_path_;
    }
    SYNDEX_ASSIGN_OR_RETURN(const bool more, reader_->Next(article));
    if (more) return true;
    for (const auto& [reason, count] : reader_->skipped()) {
      skipped_[reason] += count;
    }
    reader_.reset();
  }
}

}  // namespace syndex
