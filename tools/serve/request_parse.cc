#include "tools/serve/request_parse.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "engine/corpus/article_json.h"
#include "simdjson.h"

namespace syndex {
namespace {

absl::Status TooDeep(const BodyLimits& limits) {
  return absl::InvalidArgumentError(absl::StrCat(
      "body: JSON nested deeper than ", limits.max_depth, " levels"));
}

absl::Status TooMany(const BodyLimits& limits) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "body: more than ", limits.max_articles, " articles in one request"));
}

// The reason `json` does not parse, in the words of the file reader.
std::string ParseError(absl::string_view json, simdjson::error_code error) {
  if (std::find(json.begin(), json.end(), '\0') != json.end()) {
    return "NUL byte";
  }
  if (!simdjson::validate_utf8(json.data(), json.size())) {
    return "invalid UTF-8";
  }
  return "not valid JSON";
}

absl::Status ArticleError(size_t n, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("article ", n, ": ", reason));
}

absl::StatusOr<std::vector<Article>> ParseArray(simdjson::dom::parser& parser,
                                                absl::string_view body,
                                                const BodyLimits& limits) {
  simdjson::dom::element doc;
  const simdjson::error_code error =
      parser.parse(body.data(), body.size(), true).get(doc);
  if (error == simdjson::DEPTH_ERROR) return TooDeep(limits);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: ", ParseError(body, error)));
  }
  simdjson::dom::array array;
  if (doc.get_array().get(array)) {
    return absl::InvalidArgumentError("body: not a JSON array or JSON Lines");
  }
  if (array.size() > limits.max_articles) return TooMany(limits);
  std::vector<Article> out(array.size());
  const ReaderOptions options;
  size_t n = 0;
  for (simdjson::dom::element value : array) {
    Article& a = out[n++];
    const std::string reason = ArticleFromJson(value, options, &a);
    if (!reason.empty()) return ArticleError(n, reason);
    a.origin = absl::StrCat("article ", n);
  }
  return out;
}

absl::StatusOr<std::vector<Article>> ParseLines(simdjson::dom::parser& parser,
                                                absl::string_view body,
                                                const BodyLimits& limits) {
  std::vector<Article> out;
  const ReaderOptions options;
  for (absl::string_view line : absl::StrSplit(body, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (out.size() == limits.max_articles) return TooMany(limits);
    const size_t n = out.size() + 1;
    simdjson::dom::element doc;
    const simdjson::error_code error =
        parser.parse(line.data(), line.size(), true).get(doc);
    if (error == simdjson::DEPTH_ERROR) return TooDeep(limits);
    if (error) return ArticleError(n, ParseError(line, error));
    Article a;
    const std::string reason = ArticleFromJson(doc, options, &a);
    if (!reason.empty()) return ArticleError(n, reason);
    a.origin = absl::StrCat("article ", n);
    out.push_back(std::move(a));
  }
  return out;
}

bool ParseBool(absl::string_view v, bool* out) {
  if (v == "true" || v == "1") return *out = true, true;
  if (v == "false" || v == "0") return *out = false, true;
  return false;
}

// Sets the option `name` from its text `value`: false with `*error` set if
// the name is unknown or the value malformed.
bool SetOption(absl::string_view name, absl::string_view value, QueryOptions* o,
               std::string* error) {
  int* ints[] = {&o->k, &o->dense_candidates, &o->key_term_candidates};
  const char* int_names[] = {"k", "candidates", "key_term_candidates"};
  // The names of the command line's flags, with '_' for '-'.
  const std::pair<const char*, double*> doubles[] = {
      {"min_story_score", &o->min_story_score},
      {"same_story_strength", &o->same_story_strength},
      {"syndicated_jaccard", &o->relations.syndicated_jaccard},
      {"partial_containment", &o->relations.partial_containment},
      {"char_jaccard", &o->relations.char_jaccard_min},
      {"char_cosine_ratio", &o->relations.char_cosine_ratio},
      {"char_word_ratio", &o->relations.char_word_ratio},
      {"related_story", &o->relations.related_story},
      {"story_bias", &o->relations.story.bias},
      {"story_cosine", &o->relations.story.w_cosine},
      {"story_dense", &o->relations.story.w_dense},
      {"story_key_terms", &o->relations.story.w_key_terms},
      {"time_window", &o->relations.story.time_window_days},
  };
  for (int i = 0; i < 3; ++i) {
    if (name != int_names[i]) continue;
    if (absl::SimpleAtoi(value, ints[i])) return true;
    *error = absl::StrCat("parameter '", name, "': not an integer");
    return false;
  }
  for (const auto& [double_name, field] : doubles) {
    if (name != double_name) continue;
    if (absl::SimpleAtod(value, field)) return true;
    *error = absl::StrCat("parameter '", name, "': not a number");
    return false;
  }
  if (name == "exhaustive") {
    if (ParseBool(value, &o->exhaustive)) return true;
    *error = absl::StrCat("parameter '", name, "': not true or false");
    return false;
  }
  *error = absl::StrCat("unknown parameter '", name, "'");
  return false;
}

absl::Status Validated(const QueryOptions& options, const BodyLimits& limits) {
  const absl::Status st = options.Validate();
  if (!st.ok()) return absl::InvalidArgumentError(st.message());
  if (options.k > limits.max_k) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be at most ", limits.max_k));
  }
  if (std::max(options.dense_candidates, options.key_term_candidates) >
      limits.max_candidates) {
    return absl::InvalidArgumentError(absl::StrCat(
        "candidate counts must be at most ", limits.max_candidates));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Article>> ParseArticles(absl::string_view body,
                                                   const BodyLimits& limits) {
  simdjson::dom::parser parser;
  if (parser.allocate(std::max<size_t>(body.size(), 64), limits.max_depth)) {
    return absl::ResourceExhaustedError("body: too large to parse");
  }
  absl::string_view rest = body;
  if (absl::StartsWith(rest, "\xEF\xBB\xBF")) rest.remove_prefix(3);
  rest = absl::StripLeadingAsciiWhitespace(rest);
  if (rest.empty()) return absl::InvalidArgumentError("body: no articles");
  std::vector<Article> out;
  if (rest.front() == '[') {
    auto parsed = ParseArray(parser, rest, limits);
    if (!parsed.ok()) return parsed.status();
    out = *std::move(parsed);
  } else {
    auto parsed = ParseLines(parser, rest, limits);
    if (!parsed.ok()) return parsed.status();
    out = *std::move(parsed);
  }
  if (out.empty()) return absl::InvalidArgumentError("body: no articles");
  return out;
}

absl::Status ParseQueryBody(absl::string_view body, const BodyLimits& limits,
                            Article* article, QueryOptions* options) {
  simdjson::dom::parser parser;
  if (parser.allocate(std::max<size_t>(body.size(), 64), limits.max_depth)) {
    return absl::ResourceExhaustedError("body: too large to parse");
  }
  simdjson::dom::element doc;
  const simdjson::error_code error =
      parser.parse(body.data(), body.size(), true).get(doc);
  if (error == simdjson::DEPTH_ERROR) return TooDeep(limits);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: ", ParseError(body, error)));
  }
  simdjson::dom::object object;
  if (doc.get_object().get(object)) {
    return absl::InvalidArgumentError("body: not a JSON object");
  }
  ReaderOptions fields;
  simdjson::dom::element id;
  const bool has_id = !object["id"].get(id) && !id.is_null();
  // Without an id, the article reader is pointed at the (required) text
  // for it, and the id is set below.
  if (!has_id) fields.id_field = fields.text_field;
  const std::string reason = ArticleFromJson(doc, fields, article);
  if (!reason.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("body: ", reason));
  }
  if (!has_id) article->id = "query";
  article->origin = "body";
  for (simdjson::dom::key_value_pair field : object) {
    const absl::string_view name(field.key.data(), field.key.size());
    std::string value;
    if (field.value.is_int64()) {
      value = absl::StrCat(field.value.get_int64().value_unsafe());
    } else if (field.value.is_double()) {
      value = absl::StrFormat("%.17g", field.value.get_double().value_unsafe());
    } else if (field.value.is_bool()) {
      value = field.value.get_bool().value_unsafe() ? "true" : "false";
    } else {
      continue;  // Article fields and fields of other types.
    }
    std::string problem;
    if (name == "published" || name == "id") continue;
    if (!SetOption(name, value, options, &problem) &&
        !absl::StartsWith(problem, "unknown")) {
      return absl::InvalidArgumentError(absl::StrCat("body: ", problem));
    }
  }
  return Validated(*options, limits);
}

absl::Status ParseQueryOptions(
    const std::vector<std::string>& names,
    const std::function<std::optional<std::string>(absl::string_view)>& get,
    const BodyLimits& limits, QueryOptions* options) {
  for (const std::string& name : names) {
    const std::optional<std::string> value = get(name);
    std::string problem;
    if (value && !SetOption(name, *value, options, &problem)) {
      return absl::InvalidArgumentError(problem);
    }
  }
  return Validated(*options, limits);
}

}  // namespace syndex
