#ifndef SYNDEX_TOOLS_SERVE_REQUEST_PARSE_H_
#define SYNDEX_TOOLS_SERVE_REQUEST_PARSE_H_

// Parsing of the HTTP service's request bodies and query parameters
// (docs/http.md). No engine logic: articles are read by the one article
// reader (engine/corpus/article_json.h), options are checked by the
// engine's Validate.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/corpus/article.h"
#include "engine/syndex.h"

namespace syndex {

struct BodyLimits {
  // Articles per POST /v1/articles request. Default: 10000.
  size_t max_articles = 10000;
  // Nesting of arrays and objects in a body. Default: 32.
  size_t max_depth = 32;
  // Query options: matches per query, and candidates of each kind.
  // Defaults: 1000 and 10000.
  int max_k = 1000;
  int max_candidates = 10000;
};

// The articles of a POST /v1/articles body: a JSON array of article
// objects, or JSON Lines (one object per line; blank lines, a BOM and CRLF
// accepted), told apart by the first character that is not whitespace.
// Errors: InvalidArgumentError "article N: reason" (N counts from 1, in
// the array or among the non-blank lines; reasons as the file reader's)
// or "body: reason" for the whole body (nesting deeper than
// limits.max_depth among them); ResourceExhaustedError when the body holds
// more than limits.max_articles articles. Each article's origin is
// "article N".
absl::StatusOr<std::vector<Article>> ParseArticles(absl::string_view body,
                                                   const BodyLimits& limits);

// A POST /v1/query body: one JSON object with the article fields ("text"
// required; "id" optional, "query" if absent) and optionally the query
// options of ParseQueryOptions as numbers or booleans ("k": 5). Errors
// as ParseArticles ("body: ...").
absl::Status ParseQueryBody(absl::string_view body, const BodyLimits& limits,
                            Article* article, QueryOptions* options);

// Sets query options from parameters (`get` returns a parameter's value,
// or nullopt if absent): k, candidates, key_term_candidates, exhaustive
// (true/false), and the numbers of the command line's query and relation
// flags, with '_' for '-' (min_story_score, related_story, story_dense,
// ...; docs/http.md). InvalidArgumentError naming the
// parameter for a malformed or out-of-range value (limits.max_k and
// max_candidates included) or an unknown parameter name in `names` (all
// parameter names of the request).
absl::Status ParseQueryOptions(
    const std::vector<std::string>& names,
    const std::function<std::optional<std::string>(absl::string_view)>& get,
    const BodyLimits& limits, QueryOptions* options);

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SERVE_REQUEST_PARSE_H_
