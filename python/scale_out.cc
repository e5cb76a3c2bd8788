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

py::bytes ChromePartial(const py::list& dicts, uint64_t first, uint64_t sample,
                        const py::dict& params) {
  const std::vector<Article> articles = ToArticles(dicts, first);
  ChromeStats stats(ParamsFromKwargs(params), sample);
  std::string out;
  {
    py::gil_scoped_release release;
    for (size_t i = 0; i < articles.size(); ++i) {
      Check(CheckArticle(articles[i]));
      stats.Observe(articles[i], first + i);
    }
    out = stats.Serialize();
  }
  return py::bytes(out);
}

py::bytes ChromeMerge(const std::vector<std::string>& parts,
                      const py::dict& params, bool build) {
  ChromeStats stats(ParamsFromKwargs(params));
  py::gil_scoped_release release;
  for (const std::string& part : parts) Check(stats.Merge(part));
  const std::string out = build ? std::move(stats).Build() : stats.Serialize();
  py::gil_scoped_acquire gil;
  return py::bytes(out);
}

// The features of a part of the corpus (articles numbered from `first`)
// and its term statistics: each distinct term hash with its first
// occurrence (TermVector::order) and document frequency in the part.
py::dict Sketch(const py::list& dicts, uint64_t first, const py::dict& params,
                const std::string& model) {
  const std::vector<Article> articles = ToArticles(dicts, first);
  const std::unique_ptr<FeaturePipeline> pipeline =
      Value(FeaturePipeline::Create(ParamsFromKwargs(params), model));
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
      features[i] = pipeline->Features(articles[i], &doc_terms);
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

Array<uint64_t> BucketPairArray(const Array<uint32_t>& band,
                                const Array<uint64_t>& key,
                                const Array<uint32_t>& doc) {
  std::vector<BandEntry> entries(band.size());
  for (py::ssize_t i = 0; i < band.size(); ++i) {
    entries[i] = {band.at(i), key.at(i), doc.at(i)};
  }
  std::vector<uint64_t> pairs;
  {
    py::gil_scoped_release release;
    pairs = BucketPairs(&entries);
  }
  Array<uint64_t> out(pairs.size());
  std::copy(pairs.begin(), pairs.end(), out.mutable_data());
  return out;
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
    return {hash.at(i), shingles.at(i), char_grams.at(i),
            signature.data() + i * signature.shape(1),
            char_signature.data() + i * char_signature.shape(1)};
  }
  Array<uint64_t> hash;
  Array<uint32_t> shingles, char_grams, signature, char_signature;
};

// Scores of pairs (a as A) and their relation: CopyLink (mode "link") or
// EntryRelation with `best_copy` (mode "entry"), at the given cosines, or
// at cosine 0 when `cosine` is None; `needs_cosine` marks the pairs whose
// relation the cosine can change.
py::dict ScorePairs(const py::dict& a, const py::dict& b,
                    const std::string& mode, const py::object& best_copy,
                    const py::object& cosine, const py::dict& relations) {
  const Side sa(a), sb(b);
  py::dict rest = relations.attr("copy")();
  const RelationOptions options = RelationsFromKwargs(&rest);
  RejectUnknown(rest, "relations");
  const bool entry = mode == "entry";
  const py::ssize_t m = sa.hash.size();
  if (sb.hash.size() != m || sa.signature.ndim() != 2 ||
      sb.signature.ndim() != 2 ||
      sa.signature.shape(1) != sb.signature.shape(1)) {
    throw py::value_error("score pairs: sides differ in shape");
  }
  Array<uint8_t> best;
  if (entry) best = best_copy.cast<Array<uint8_t>>();
  Array<float> cos;
  const bool has_cosine = !cosine.is_none();
  if (has_cosine) cos = cosine.cast<Array<float>>();
  Array<uint8_t> relation(m);
  Array<bool> needs(m);
  Array<double> jaccard(m), containment(m);
  const int perm = static_cast<int>(sa.signature.shape(1));
  const int char_perm = static_cast<int>(sa.char_signature.shape(1));
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < m; ++i) {
      const PairScores s = ScoreSketches(sa.View(i), sb.View(i), perm,
                                         char_perm, has_cosine ? cos.at(i) : 0);
      const Relation r =
          entry ? EntryRelation(s, static_cast<Relation>(best.at(i)), options)
                : CopyLink(s, options);
      relation.mutable_at(i) = static_cast<uint8_t>(r);
      needs.mutable_at(i) = entry ? EntryNeedsCosine(s, options)
                                  : CopyLinkNeedsCosine(s, options);
      jaccard.mutable_at(i) = s.jaccard;
      containment.mutable_at(i) = s.containment_ab;
    }
  }
  py::dict out;
  out["relation"] = relation;
  out["needs_cosine"] = needs;
  out["jaccard"] = jaccard;
  out["containment"] = containment;
  return out;
}

// The terms of the articles numbered `wanted` among a part's articles
// (numbered from `first`): a list of (hashes, counts) in `wanted` order.
py::list DocTerms(const py::list& dicts, uint64_t first,
                  const Array<uint32_t>& wanted, const py::dict& params,
                  const std::string& model) {
  const std::unique_ptr<FeaturePipeline> pipeline =
      Value(FeaturePipeline::Create(ParamsFromKwargs(params), model));
  py::list out;
  for (py::ssize_t i = 0; i < wanted.size(); ++i) {
    const uint64_t at = wanted.at(i) - first;
    if (wanted.at(i) < first || at >= dicts.size()) {
      throw py::value_error("doc terms: article not in this part");
    }
    const Article a = ArticleFromDict(dicts[at], "article");
    DocumentTerms terms;
    {
      py::gil_scoped_release release;
      pipeline->Features(a, &terms);
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

// For each article (group label, number, published, dated, shingles, id),
// the number of its group's canonical article.
Array<uint32_t> Canonicals(const Array<uint32_t>& group,
                           const Array<uint32_t>& number,
                           const Array<int64_t>& published,
                           const Array<bool>& dated,
                           const Array<uint32_t>& shingles,
                           const std::vector<std::string>& ids) {
  const py::ssize_t n = group.size();
  std::vector<ArticleInfo> info(n);
  for (py::ssize_t i = 0; i < n; ++i) {
    info[i].id = ids[i];
    info[i].shingles = shingles.at(i);
    if (dated.at(i)) info[i].published = published.at(i);
  }
  absl::flat_hash_map<uint32_t, py::ssize_t> best;  // group -> position
  for (py::ssize_t i = 0; i < n; ++i) {
    auto [it, fresh] = best.try_emplace(group.at(i), i);
    if (!fresh && CanonicalBefore(info[i], info[it->second])) it->second = i;
  }
  Array<uint32_t> out(n);
  for (py::ssize_t i = 0; i < n; ++i) {
    out.mutable_at(i) = number.at(best[group.at(i)]);
  }
  return out;
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
  m.def("_chrome_partial", &ChromePartial);
  m.def("_chrome_merge", &ChromeMerge);
  m.def("_sketch", &Sketch);
  m.def("_bucket_pairs", &BucketPairArray);
  m.def("_score_pairs", &ScorePairs, py::arg("a"), py::arg("b"),
        py::arg("mode"), py::arg("best_copy"), py::arg("cosine"),
        py::arg("relations"));
  m.def("_doc_terms", &DocTerms);
  m.def("_cosines", &Cosines);
  m.def("_canonicals", &Canonicals);
  m.def("_copy_lines", &CopyLineBytes);
  m.attr("_chrome_sample") = AddOptions().batch_size;
}

}  // namespace syndex::python
