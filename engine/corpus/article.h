#ifndef SYNDEX_ENGINE_CORPUS_ARTICLE_H_
#define SYNDEX_ENGINE_CORPUS_ARTICLE_H_

#include <cstdint>
#include <optional>
#include <string>

namespace syndex {

// One input article.
struct Article {
  std::string id;      // Unique, non-empty.
  std::string text;    // Non-empty, valid UTF-8.
  std::string title;   // Optional ("" if absent).
  std::string source;  // Outlet or domain; optional.
  std::string url;     // Optional.
  // Seconds since 1970-01-01T00:00:00Z of `published`, if given.
  std::optional<int64_t> published;
  // Where the article came from, "file:line", for error messages.
  std::string origin;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CORPUS_ARTICLE_H_
