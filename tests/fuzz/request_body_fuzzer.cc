// Parses arbitrary bytes as the request bodies of `syndex serve`: as a
// POST /v1/articles body (a JSON array or JSON Lines) and as a POST
// /v1/query body. Every outcome other than a crash, a sanitizer report or a
// hang is acceptable; the checks below are invariants request_parse.h
// documents. Built with libFuzzer by scripts/fuzz.sh, and in every build as
// request_body_fuzzer_replay, which runs the seeds (a ctest test).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "tools/serve/request_parse.h"

namespace syndex {
namespace {

void CheckArticles(absl::string_view body) {
  BodyLimits limits;
  limits.max_articles = 64;
  limits.max_depth = 16;
  absl::StatusOr<std::vector<Article>> articles = ParseArticles(body, limits);
  if (!articles.ok()) {
    const absl::StatusCode code = articles.status().code();
    const absl::string_view message = articles.status().message();
    if (code != absl::StatusCode::kInvalidArgument &&
        code != absl::StatusCode::kResourceExhausted) {
      std::abort();
    }
    if (!absl::StartsWith(message, "article ") &&
        !absl::StartsWith(message, "body: ")) {
      std::abort();
    }
    return;
  }
  if (articles->empty() || articles->size() > limits.max_articles) std::abort();
  for (const Article& a : *articles) {
    if (a.id.empty() || a.text.empty() || a.origin.empty()) std::abort();
  }
}

void CheckQuery(absl::string_view body) {
  Article article;
  QueryOptions options;
  const absl::Status st =
      ParseQueryBody(body, BodyLimits(), &article, &options);
  if (st.ok() && (article.text.empty() || article.id.empty() ||
                  !options.Validate().ok() || options.k > 1000)) {
    std::abort();
  }
}

}  // namespace
}  // namespace syndex

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view body(reinterpret_cast<const char*>(data), size);
  syndex::CheckArticles(body);
  syndex::CheckQuery(body);
  return 0;
}
