#include "python/convert.h"

#include <cstring>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace syndex::python {
namespace {

// The Unix seconds of years 0 and 9999, the range the reader accepts.
int64_t Seconds(const char* iso) { return *ParseIsoTime(iso); }

std::string StringField(const py::dict& d, const char* name,
                        const std::string& origin) {
  if (!d.contains(name) || d[name].is_none()) return "";
  py::handle value = d[name];
  if (!py::isinstance<py::str>(value)) {
    throw py::type_error(
        absl::StrCat(origin, ": field '", name, "' is not a string"));
  }
  return value.cast<std::string>();
}

template <typename T>
void Take(py::dict* kwargs, const char* name, T* out) {
  if (!kwargs->contains(name)) return;
  *out = (*kwargs)[name].cast<T>();
  PyDict_DelItemString(kwargs->ptr(), name);
}

}  // namespace

void Check(const absl::Status& status) {
  if (!status.ok()) throw StatusError(status);
}

Article ArticleFromDict(const py::handle& object, const std::string& origin) {
  if (!py::isinstance<py::dict>(object)) {
    throw py::type_error(absl::StrCat(origin, ": an article is a dict"));
  }
  const py::dict d = py::reinterpret_borrow<py::dict>(object);
  Article a;
  a.origin = origin;
  if (!d.contains("id") || d["id"].is_none()) {
    throw py::value_error(absl::StrCat(origin, ": missing field 'id'"));
  }
  py::handle id = d["id"];
  if (py::isinstance<py::bool_>(id) ||
      !(py::isinstance<py::str>(id) || py::isinstance<py::int_>(id))) {
    throw py::type_error(
        absl::StrCat(origin, ": field 'id' is not a string or integer"));
  }
  a.id =
      std::string(absl::StripAsciiWhitespace(py::str(id).cast<std::string>()));
  if (!d.contains("text") || d["text"].is_none()) {
    throw py::value_error(absl::StrCat(origin, ": missing field 'text'"));
  }
  a.text = StringField(d, "text", origin);
  a.title = StringField(d, "title", origin);
  a.source = StringField(d, "source", origin);
  a.url = StringField(d, "url", origin);
  if (d.contains("published") && !d["published"].is_none()) {
    py::handle p = d["published"];
    if (py::isinstance<py::str>(p)) {
      const std::string s =
          std::string(absl::StripAsciiWhitespace(p.cast<std::string>()));
      if (!s.empty()) {
        absl::StatusOr<int64_t> t = ParseIsoTime(s);
        if (!t.ok()) {
          throw py::value_error(absl::StrCat(
              origin, ": field 'published' is not a valid ISO 8601 date"));
        }
        a.published = *t;
      }
    } else if (py::isinstance<py::int_>(p) && !py::isinstance<py::bool_>(p)) {
      static const int64_t kMin = Seconds("0000-01-01");
      static const int64_t kMax = Seconds("9999-12-31T23:59:59");
      const int64_t t = p.cast<int64_t>();
      if (t < kMin || t > kMax) {
        throw py::value_error(
            absl::StrCat(origin, ": field 'published' is out of range"));
      }
      a.published = t;
    } else {
      throw py::type_error(absl::StrCat(
          origin, ": field 'published' is not a string or integer"));
    }
  }
  return a;
}

py::dict ArticleToDict(const Article& a) {
  py::dict d;
  d["id"] = a.id;
  d["text"] = a.text;
  d["title"] = a.title;
  d["source"] = a.source;
  d["url"] = a.url;
  d["published"] =
      a.published ? py::object(py::int_(*a.published)) : py::object(py::none());
  return d;
}

IndexParams ParamsFromKwargs(const py::dict& kwargs) {
  py::dict rest = kwargs.attr("copy")();
  IndexParams p;
  Take(&rest, "shingle_size", &p.shingle_size);
  Take(&rest, "seed", &p.seed);
  Take(&rest, "num_perm", &p.num_perm);
  Take(&rest, "char_perm", &p.char_perm);
  Take(&rest, "lsh_threshold", &p.lsh_threshold);
  Take(&rest, "lsh_min_recall", &p.lsh_min_recall);
  Take(&rest, "min_df", &p.min_df);
  Take(&rest, "dims", &p.projection.dims);
  RejectUnknown(rest, "index parameters");
  return p;
}

py::dict ParamsToDict(const IndexParams& p) {
  py::dict d;
  d["shingle_size"] = p.shingle_size;
  d["seed"] = p.seed;
  d["num_perm"] = p.num_perm;
  d["char_perm"] = p.char_perm;
  d["lsh_threshold"] = p.lsh_threshold;
  d["lsh_min_recall"] = p.lsh_min_recall;
  d["min_df"] = p.min_df;
  d["dims"] = p.projection.dims;
  return d;
}

RelationOptions RelationsFromKwargs(py::dict* kwargs) {
  RelationOptions r;
  Take(kwargs, "syndicated_jaccard", &r.syndicated_jaccard);
  Take(kwargs, "partial_containment", &r.partial_containment);
  Take(kwargs, "char_jaccard", &r.char_jaccard_min);
  Take(kwargs, "char_cosine_ratio", &r.char_cosine_ratio);
  Take(kwargs, "char_word_ratio", &r.char_word_ratio);
  Take(kwargs, "related_story", &r.related_story);
  return r;
}

void RejectUnknown(const py::dict& kwargs, const char* function) {
  for (auto item : kwargs) {
    throw py::type_error(absl::StrCat(function, ": unknown argument '",
                                      py::str(item.first).cast<std::string>(),
                                      "'"));
  }
}

py::dict FeatureArrays(const std::vector<CopyFeatures>& features, int num_perm,
                       int char_perm) {
  const py::ssize_t n = static_cast<py::ssize_t>(features.size());
  py::array_t<uint32_t> signature({n, py::ssize_t{num_perm}});
  py::array_t<uint32_t> char_signature({n, py::ssize_t{char_perm}});
  py::array_t<uint32_t> shingles(n), char_grams(n);
  py::array_t<uint64_t> content_hash(n);
  uint32_t* sig = signature.mutable_data();
  uint32_t* chars = char_signature.mutable_data();
  for (py::ssize_t i = 0; i < n; ++i) {
    const CopyFeatures& f = features[i];
    std::memcpy(sig + i * num_perm, f.signature.data(), num_perm * 4);
    std::memcpy(chars + i * char_perm, f.char_signature.data(), char_perm * 4);
    shingles.mutable_at(i) = f.shingles;
    char_grams.mutable_at(i) = f.char_grams;
    content_hash.mutable_at(i) = f.content_hash;
  }
  py::dict d;
  d["signature"] = signature;
  d["char_signature"] = char_signature;
  d["shingles"] = shingles;
  d["char_grams"] = char_grams;
  d["content_hash"] = content_hash;
  return d;
}

py::list ParseLines(const std::string& lines) {
  py::object loads = py::module_::import("json").attr("loads");
  py::list out;
  for (absl::string_view line :
       absl::StrSplit(lines, '\n', absl::SkipEmpty())) {
    out.append(loads(py::str(line.data(), line.size())));
  }
  return out;
}

}  // namespace syndex::python
