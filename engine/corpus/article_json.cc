#include "engine/corpus/article_json.h"

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/corpus/jsonl_reader.h"

namespace syndex {
namespace {

// Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range
// of integer `published` values accepted (larger values are usually
// milliseconds by mistake).
constexpr int64_t kMinSeconds = -62167219200;
constexpr int64_t kMaxSeconds = 253402300799;

absl::string_view View(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool IsBlank(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string ArticleFromJson(simdjson::dom::element doc,
                            const ReaderOptions& options, Article* article) {
  simdjson::dom::object object;
  if (doc.get_object().get(object)) return "not a JSON object";

  // The first occurrence of each field counts; null counts as absent.
  enum { kId, kText, kTitle, kSource, kUrl, kPublished, kFields };
  const std::string* names[kFields] = {
      &options.id_field,     &options.text_field, &options.title_field,
      &options.source_field, &options.url_field,  &options.published_field};
  simdjson::dom::element values[kFields];
  bool present[kFields] = {};
  for (simdjson::dom::key_value_pair field : object) {
    for (int i = 0; i < kFields; ++i) {
      if (!present[i] && field.key == *names[i]) {
        present[i] = !field.value.is_null();
        values[i] = field.value;
      }
    }
  }

  auto quoted = [&](int i) { return absl::StrCat("field '", *names[i], "'"); };
  if (!present[kId]) return absl::StrCat("missing ", quoted(kId));
  if (!present[kText]) return absl::StrCat("missing ", quoted(kText));

  const simdjson::dom::element& id = values[kId];
  if (id.is_string()) {
    absl::string_view v =
        absl::StripAsciiWhitespace(View(id.get_string().value_unsafe()));
    article->id.assign(v.data(), v.size());
  } else if (id.is_int64()) {
    article->id = absl::StrCat(id.get_int64().value_unsafe());
  } else if (id.is_uint64()) {
    article->id = absl::StrCat(id.get_uint64().value_unsafe());
  } else {
    return absl::StrCat(quoted(kId), " is not a string or integer");
  }
  if (article->id.empty()) return absl::StrCat("empty ", quoted(kId));

  if (!values[kText].is_string()) {
    return absl::StrCat(quoted(kText), " is not a string");
  }
  absl::string_view text = View(values[kText].get_string().value_unsafe());
  if (IsBlank(text)) return absl::StrCat("empty ", quoted(kText));
  article->text.assign(text.data(), text.size());

  std::string* strings[] = {&article->title, &article->source, &article->url};
  for (int i = kTitle; i <= kUrl; ++i) {
    std::string* out = strings[i - kTitle];
    out->clear();
    if (!present[i]) continue;
    if (!values[i].is_string()) {
      return absl::StrCat(quoted(i), " is not a string");
    }
    std::string_view v = values[i].get_string().value_unsafe();
    out->assign(v.data(), v.size());
  }

  article->published.reset();
  if (present[kPublished]) {
    const simdjson::dom::element& p = values[kPublished];
    if (p.is_string()) {
      // An empty date is taken as absent.
      absl::string_view s =
          absl::StripAsciiWhitespace(View(p.get_string().value_unsafe()));
      if (!s.empty()) {
        absl::StatusOr<int64_t> t = ParseIsoTime(s);
        if (!t.ok()) {
          return absl::StrCat(quoted(kPublished),
                              " is not a valid ISO 8601 date");
        }
        article->published = *t;
      }
    } else if (p.is_int64()) {
      int64_t t = p.get_int64().value_unsafe();
      if (t < kMinSeconds || t > kMaxSeconds) {
        return absl::StrCat(quoted(kPublished), " is out of range");
      }
      article->published = t;
    } else if (p.is_uint64()) {
      return absl::StrCat(quoted(kPublished), " is out of range");
    } else {
      return absl::StrCat(quoted(kPublished), " is not a string or integer");
    }
  }
  return std::string();
}

}  // namespace syndex
