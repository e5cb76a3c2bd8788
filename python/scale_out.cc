// The steps of the distributed copy groups (engine/scale_out.h) for
// syndex.dask: each takes and returns NumPy arrays, lists and bytes, so
// that Dask can move them between workers. Private to the module (the
// names start with '_').

#include "engine/scale_out.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/output/json.h"
#include "python/convert.h"

namespace syndex::python {
namespace {

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

std::vector<Article> ToArticles(const py::list& dicts, uint64_t first) {
  std::vector<Article> out;
  out.reserve(dicts.size());
  for (size_t i = 0; i < dicts.size(); ++i) {
    // Articles read by _read_range name their line.
    const py::dict d = dicts[i].cast<py::dict>();
    const std::string origin = d.contains("_origin")
                                   ? d["_origin"].cast<std::string>()
                                   : "article " + std::to_string(first + i + 1);
    out.push_back(ArticleFromDict(d, origin));
  }
  return out;
}

py::list ReadRange(const std::string& path, uint64_t begin, uint64_t end,
                   int64_t first_line, const py::dict& fields) {
  ReaderOptions reader;
  for (auto [name, field] : {std::pair{"id", &reader.id_field},
                             {"text", &reader.text_field},
                             {"title", &reader.title_field},
                             {"source", &reader.source_field},
                             {"url", &reader.url_field},
                             {"published", &reader.published_field}}) {
    if (fields.contains(name)) *field = fields[name].cast<std::string>();
  }
  absl::StatusOr<std::vector<Article>> articles;
  {
    py::gil_scoped_release release;
    articles = ReadArticleRange(path, begin, end, first_line, reader);
  }
  py::list out;
  for (const Article& a : Value(std::move(articles))) {
    py::dict d = ArticleToDict(a);
    d["_origin"] = a.origin;
    out.append(d);
  }
  return out;
}

// The chrome learners of a part's articles (numbered from `first`), one
// per batch it overlaps (ObserveChrome).
std::vector<py::bytes> ChromeLearners(const py::list& dicts, uint64_t first,
                                      uint64_t batch_size,
                                      const py::dict& params) {
  const std::vector<Article> articles = ToArticles(dicts, first);
  const IndexParams p = ParamsFromKwargs(params);
  absl::StatusOr<std::vector<std::string>> learners;
  {
    py::gil_scoped_release release;
    for (const Article& a : articles) Check(CheckArticle(a));
    learners = ObserveChrome(p, articles, first, batch_size);
  }
  std::vector<py::bytes> out;
  for (const std::string& l : Value(std::move(learners))) out.emplace_back(l);
  return out;
}

py::bytes ChromeMerge(const std::vector<std::string>& parts,
                      const py::dict& params) {
  const IndexParams p = ParamsFromKwargs(params);
  absl::StatusOr<std::string> out;
  {
    py::gil_scoped_release release;
    out = MergeChromeLearners(p, parts);
  }
  return py::bytes(Value(std::move(out)));
}

std::vector<py::bytes> ChromeModelList(const std::vector<std::string>& learners,
                                       const py::dict& params) {
  const IndexParams p = ParamsFromKwargs(params);
  absl::StatusOr<std::vector<std::string>> models;
  {
    py::gil_scoped_release release;
    models = ChromeModels(p, learners);
  }
  std::vector<py::bytes> out;
  for (const std::string& m : Value(std::move(models))) out.emplace_back(m);
  return out;
}

// The feature pipelines of `models`, the chrome models of consecutive
// batches (one pipeline without chrome when there are none).
std::vector<std::unique_ptr<FeaturePipeline>> Pipelines(
    const py::dict& params, const std::vector<std::string>& models) {
  const IndexParams p = ParamsFromKwargs(params);
  std::vector<std::unique_ptr<FeaturePipeline>> out;
  for (const std::string& m : models) {
    out.push_back(Value(FeaturePipeline::Create(p, m)));
  }
  if (out.empty()) out.push_back(Value(FeaturePipeline::Create(p, "")));
  return out;
}

// The features of a part of the corpus (articles numbered from `first`)
// and its term statistics: each distinct term hash with its first
// occurrence (TermVector::order) and document frequency in the part.
// `models` are the chrome models of the batches the part overlaps.
py::dict Sketch(const py::list& dicts, uint64_t first, uint64_t batch_size,
                const py::dict& params,
                const std::vector<std::string>& models) {
  const std::vector<Article> articles = ToArticles(dicts, first);
  const std::vector<std::unique_ptr<FeaturePipeline>> pipelines =
      Pipelines(params, models);
  const FeaturePipeline* pipeline = pipelines[0].get();
  const py::ssize_t n = static_cast<py::ssize_t>(articles.size());
  const int perm = pipeline->params().num_perm;
  const int char_perm = pipeline->params().char_perm;
  const int bands = pipeline->bands();
  std::vector<CopyFeatures> features(n);
  Array<uint64_t> band_keys({n, py::ssize_t{bands}});
  Array<int64_t> published(n);
  Array<bool> dated(n);
  Array<uint32_t> number(n);
  uint64_t* keys = band_keys.mutable_data();
  absl::flat_hash_map<uint64_t, std::pair<uint64_t, uint32_t>> terms;
  {
    py::gil_scoped_release release;
    DocumentTerms doc_terms;
    for (py::ssize_t i = 0; i < n; ++i) {
      Check(CheckArticle(articles[i]));
      const uint64_t batch = (first + i) / batch_size - first / batch_size;
      if (batch >= pipelines.size()) {
        throw std::invalid_argument("sketch: no chrome model for a batch");
      }
      features[i] = pipelines[batch]->Features(articles[i], &doc_terms);
      pipeline->BandKeys(features[i].signature.data(), keys + i * bands);
      const uint64_t doc = first + i;
      for (size_t t = 0; t < doc_terms.hashes.size(); ++t) {
        auto [it, fresh] =
            terms.try_emplace(doc_terms.hashes[t], doc << 32 | t, 0);
        ++it->second.second;
      }
    }
  }
  py::list ids, origins;
  for (py::ssize_t i = 0; i < n; ++i) {
    ids.append(articles[i].id);
    origins.append(articles[i].origin);
    published.mutable_at(i) = articles[i].published.value_or(0);
    dated.mutable_at(i) = articles[i].published.has_value();
    number.mutable_at(i) = static_cast<uint32_t>(first + i);
  }
  std::vector<uint64_t> hashes;
  hashes.reserve(terms.size());
  for (const auto& [h, stats] : terms) hashes.push_back(h);
  std::sort(hashes.begin(), hashes.end());
  Array<uint64_t> term_hash(hashes.size()), term_order(hashes.size());
  Array<uint32_t> term_df(hashes.size());
  for (size_t t = 0; t < hashes.size(); ++t) {
    term_hash.mutable_at(t) = hashes[t];
    term_order.mutable_at(t) = terms[hashes[t]].first;
    term_df.mutable_at(t) = terms[hashes[t]].second;
  }
  py::dict out = FeatureArrays(features, perm, char_perm);
  out["number"] = number;
  out["ids"] = ids;
  out["origins"] = origins;
  out["published"] = published;
  out["dated"] = dated;
  out["band_keys"] = band_keys;
  out["term_hash"] = term_hash;
  out["term_order"] = term_order;
  out["term_df"] = term_df;
  return out;
}

// The articles' order keys (ArticleInfo: id, published, shingles,
// content_hash, char_grams) from a dict of arrays.
std::vector<ArticleInfo> Infos(const py::dict& d) {
  const auto ids = d["ids"].cast<std::vector<std::string>>();
  const auto published = d["published"].cast<Array<int64_t>>();
  const auto dated = d["dated"].cast<Array<bool>>();
  const auto shingles = d["shingles"].cast<Array<uint32_t>>();
  const auto hash = d["content_hash"].cast<Array<uint64_t>>();
  std::vector<ArticleInfo> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    out[i].id = ids[i];
    if (dated.at(i)) out[i].published = published.at(i);
    out[i].shingles = shingles.at(i);
    out[i].content_hash = hash.at(i);
  }
  if (d.contains("char_grams")) {
    const auto grams = d["char_grams"].cast<Array<uint32_t>>();
    for (size_t i = 0; i < ids.size(); ++i) out[i].char_grams = grams.at(i);
  }
  return out;
}

template <typename T>
Array<T> ToArray(const std::vector<T>& v) {
  Array<T> out(v.size());
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

// BucketPairs of band entries (band, key, doc) whose articles (number and
// order keys) are in `articles`: (pairs, duplicates).
py::tuple BucketPairArray(const Array<uint32_t>& band,
                          const Array<uint64_t>& key,
                          const Array<uint32_t>& doc,
                          const py::dict& articles) {
  std::vector<BandEntry> entries(band.size());
  for (py::ssize_t i = 0; i < band.size(); ++i) {
    entries[i] = {band.at(i), key.at(i), doc.at(i)};
  }
  const std::vector<ArticleInfo> info = Infos(articles);
  const auto number = articles["number"].cast<Array<uint32_t>>();
  absl::flat_hash_map<uint32_t, size_t> at;
  for (py::ssize_t i = 0; i < number.size(); ++i) at[number.at(i)] = i;
  for (const BandEntry& e : entries) {
    if (!at.contains(e.doc)) {
      throw std::invalid_argument("bucket pairs: an entry without article");
    }
  }
  std::vector<uint64_t> pairs, duplicates;
  {
    py::gil_scoped_release release;
    pairs = BucketPairs(
        &entries,
        [&](uint32_t d) -> const ArticleInfo& { return info[at.at(d)]; },
        &duplicates);
  }
  return py::make_tuple(ToArray(pairs), ToArray(duplicates));
}

// The sketches of one side of `m` pairs, from a dict of arrays as Sketch
// returns them (rows per pair).
struct Side {
  explicit Side(const py::dict& d)
      : hash(d["content_hash"]),
        shingles(d["shingles"]),
        char_grams(d["char_grams"]),
        signature(d["signature"]),
        char_signature(d["char_signature"]) {}
  SketchView View(py::ssize_t i) const {
    // No publication times: the job's links never use the excerpt rule,
    // the only rule that reads the order (LinkRelation).
    return {hash.at(i), shingles.at(i), char_grams.at(i),
            signature.data() + i * signature.shape(1),
            char_signature.data() + i * char_signature.shape(1), std::nullopt};
  }
  Array<uint64_t> hash;
  Array<uint32_t> shingles, char_grams, signature, char_signature;
};

// Scores of pairs (a as A) and their LinkRelation, at the given cosines, or
// at cosine 0 when `cosine` is None; `needs_cosine` marks the pairs whose
// relation the cosine can change.
py::dict ScorePairs(const py::dict& a, const py::dict& b,
                    const py::object& cosine, const py::dict& relations) {
  const Side sa(a), sb(b);
  py::dict rest = relations.attr("copy")();
  const RelationOptions options = RelationsFromKwargs(&rest);
  RejectUnknown(rest, "relations");
  const py::ssize_t m = sa.hash.size();
  if (sb.hash.size() != m || sa.signature.ndim() != 2 ||
      sb.signature.ndim() != 2 ||
      sa.signature.shape(1) != sb.signature.shape(1)) {
    throw py::value_error("score pairs: sides differ in shape");
  }
  Array<float> cos;
  const bool has_cosine = !cosine.is_none();
  if (has_cosine) cos = cosine.cast<Array<float>>();
  Array<uint8_t> relation(m);
  Array<bool> needs(m);
  Array<float> jaccard(m);
  const int perm = static_cast<int>(sa.signature.shape(1));
  const int char_perm = static_cast<int>(sa.char_signature.shape(1));
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < m; ++i) {
      const PairScores s = ScoreSketches(sa.View(i), sb.View(i), perm,
                                         char_perm, has_cosine ? cos.at(i) : 0);
      relation.mutable_at(i) = static_cast<uint8_t>(LinkRelation(s, options));
      needs.mutable_at(i) = LinkNeedsCosine(s, options);
      jaccard.mutable_at(i) = static_cast<float>(s.jaccard);
    }
  }
  py::dict out;
  out["relation"] = relation;
  out["needs_cosine"] = needs;
  out["jaccard"] = jaccard;
  return out;
}

// The terms of the articles numbered `wanted` among a part's articles
// (numbered from `first`): a list of (hashes, counts) in `wanted` order.
py::list DocTerms(const py::list& dicts, uint64_t first,
                  const Array<uint32_t>& wanted, uint64_t batch_size,
                  const py::dict& params,
                  const std::vector<std::string>& models) {
  const std::vector<std::unique_ptr<FeaturePipeline>> pipelines =
      Pipelines(params, models);
  py::list out;
  for (py::ssize_t i = 0; i < wanted.size(); ++i) {
    const uint64_t at = wanted.at(i) - first;
    if (wanted.at(i) < first || at >= dicts.size()) {
      throw py::value_error("doc terms: article not in this part");
    }
    const Article a = ArticleFromDict(dicts[at], "article");
    const uint64_t batch = wanted.at(i) / batch_size - first / batch_size;
    if (batch >= pipelines.size()) {
      throw py::value_error("doc terms: no chrome model for a batch");
    }
    DocumentTerms terms;
    {
      py::gil_scoped_release release;
      pipelines[batch]->Features(a, &terms);
    }
    Array<uint64_t> hashes(terms.hashes.size());
    Array<uint32_t> counts(terms.counts.size());
    std::copy(terms.hashes.begin(), terms.hashes.end(), hashes.mutable_data());
    std::copy(terms.counts.begin(), terms.counts.end(), counts.mutable_data());
    out.append(py::make_tuple(hashes, counts));
  }
  return out;
}

TermVector ToTermVector(const py::tuple& t) {
  const auto order = t[0].cast<Array<uint64_t>>();
  const auto counts = t[1].cast<Array<uint32_t>>();
  const auto df = t[2].cast<Array<uint32_t>>();
  TermVector v;
  v.order.assign(order.data(), order.data() + order.size());
  v.counts.assign(counts.data(), counts.data() + counts.size());
  v.df.assign(df.data(), df.data() + df.size());
  return v;
}

// TfIdfCosine of pairs of (order, counts, df) tuples.
Array<float> Cosines(const py::list& a, const py::list& b, uint64_t num_docs,
                     uint32_t min_df) {
  Array<float> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const TermVector va = ToTermVector(a[i]), vb = ToTermVector(b[i]);
    out.mutable_at(i) = Value(TfIdfCosine(va, vb, num_docs, min_df));
  }
  return out;
}

// PlaceComponents of the articles of whole components (a dict of arrays:
// number, representative, the order keys and the sketches) and their copy
// links (a, b, relation, jaccard), with the known cosines (pairs as
// PairKeys, values): (canonical, relation, jaccard, containment) per
// article, and the PairKeys of the cosines missing.
py::tuple PlaceComponentArrays(const py::dict& articles, const py::dict& links,
                               const Array<uint64_t>& cosine_pairs,
                               const Array<float>& cosine_values,
                               const py::dict& relations) {
  py::dict rest = relations.attr("copy")();
  const RelationOptions options = RelationsFromKwargs(&rest);
  RejectUnknown(rest, "relations");
  const Side side(articles);
  const std::vector<ArticleInfo> info = Infos(articles);
  const auto number = articles["number"].cast<Array<uint32_t>>();
  const auto rep = articles["representative"].cast<Array<uint32_t>>();
  std::vector<ComponentArticle> members(info.size());
  for (size_t i = 0; i < members.size(); ++i) {
    const SketchView v = side.View(static_cast<py::ssize_t>(i));
    members[i] = {number.at(i), rep.at(i), info[i], v.signature,
                  v.char_signature};
  }
  const auto la = links["a"].cast<Array<uint32_t>>();
  const auto lb = links["b"].cast<Array<uint32_t>>();
  const auto lr = links["relation"].cast<Array<uint8_t>>();
  const auto lj = links["jaccard"].cast<Array<float>>();
  std::vector<CopyLink> copy_links(la.size());
  for (py::ssize_t i = 0; i < la.size(); ++i) {
    copy_links[i] = {la.at(i), lb.at(i), static_cast<Relation>(lr.at(i)),
                     lj.at(i)};
  }
  absl::flat_hash_map<uint64_t, float> cosines;
  for (py::ssize_t i = 0; i < cosine_pairs.size(); ++i) {
    cosines[cosine_pairs.at(i)] = cosine_values.at(i);
  }
  const int perm = side.signature.ndim() == 2 ? side.signature.shape(1) : 0;
  const int char_perm =
      side.char_signature.ndim() == 2 ? side.char_signature.shape(1) : 0;
  std::vector<uint64_t> missing;
  absl::StatusOr<std::vector<ComponentEntry>> entries;
  {
    py::gil_scoped_release release;
    entries = PlaceComponents(members, copy_links, perm, char_perm, options,
                              cosines, &missing);
  }
  const std::vector<ComponentEntry> e = Value(std::move(entries));
  Array<uint32_t> canonical(e.size());
  Array<uint8_t> relation(e.size());
  Array<double> jaccard(e.size()), containment(e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    canonical.mutable_at(i) = e[i].canonical;
    relation.mutable_at(i) = static_cast<uint8_t>(e[i].relation);
    jaccard.mutable_at(i) = e[i].jaccard;
    containment.mutable_at(i) = e[i].containment;
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  return py::make_tuple(canonical, relation, jaccard, containment,
                        ToArray(missing));
}

// Lines of the copies schema (engine/output/json.h CopyLine).
py::bytes CopyLineBytes(const std::vector<std::string>& ids,
                        const std::vector<std::string>& canonical_ids,
                        const Array<bool>& original,
                        const Array<uint8_t>& relation,
                        const Array<double>& jaccard,
                        const Array<double>& containment) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    ClusterEntry e;
    e.doc = original.at(i) ? 0 : 1;
    e.copy_group = 0;
    e.relation = static_cast<Relation>(relation.at(i));
    const bool o = original.at(i);
    out += CopyLine(ids[i], canonical_ids[i], e.label(), o ? 1 : jaccard.at(i),
                    o ? 1 : containment.at(i));
  }
  return py::bytes(out);
}

}  // namespace

void BindScaleOut(py::module_& m) {
  m.def("_read_range", &ReadRange);
  m.def("_chrome_learners", &ChromeLearners);
  m.def("_chrome_merge", &ChromeMerge);
  m.def("_chrome_models", &ChromeModelList);
  m.def("_sketch", &Sketch);
  m.def("_bucket_pairs", &BucketPairArray);
  m.def("_score_pairs", &ScorePairs, py::arg("a"), py::arg("b"),
        py::arg("cosine"), py::arg("relations"));
  m.def("_doc_terms", &DocTerms);
  m.def("_cosines", &Cosines);
  m.def("_place_components", &PlaceComponentArrays);
  m.def("_copy_lines", &CopyLineBytes);
  m.attr("_batch_size") = AddOptions().batch_size;
}

}  // namespace syndex::python
