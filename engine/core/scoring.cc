// What queries and clustering build on first use, and the scores of a
// pair of articles.

#include <algorithm>
#include <vector>

#include "engine/core/index_core.h"
#include "engine/features/sketch.h"
#include "engine/util/parallel.h"

namespace syndex {

void IndexCore::DropDerived() {
  lsh_.reset();
  tables_.reset();
  key_terms_.reset();
  doc_key_terms_.clear();
  dense_of_.clear();
}

void IndexCore::ExtendDerived(uint32_t first) {
  const size_t n = articles_.size() - first;
  if (n == 0) return;
  // Every weight depends on the document count, so the tables are made
  // anew (a pass over the vocabulary); the LSH tables and the key terms
  // only gain the new articles. The key terms of the older articles keep
  // the weights they were chosen with until the index is opened again.
  if (tables_ != nullptr) {
    tables_ = std::make_unique<WeightTables>(vocabulary_, params_.min_df,
                                             threads());
  }
  if (lsh_ != nullptr) {
    lsh_->AddFrozen(first, Signature(first), n, params_.num_perm);
  }
  if (key_terms_ != nullptr) {
    std::vector<uint32_t> keys(n * kKeyTerms);
    std::vector<float> w;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t b = terms_.offsets[first + i];
      w.resize(terms_.offsets[first + i + 1] - b);
      tables_->WeighInPlace(&terms_.ids[b], &terms_.counts[b], w.size(),
                            w.data());
      TopTerms(&terms_.ids[b], w.data(), w.size(), kKeyTerms,
               &keys[i * kKeyTerms]);
    }
    key_terms_->Append(keys.data(), n);
    doc_key_terms_.insert(doc_key_terms_.end(), keys.begin(), keys.end());
  }
}

const WeightTables& IndexCore::Tables() const {
  std::lock_guard<std::mutex> lock(tables_mu_);
  if (tables_ == nullptr) {
    tables_ = std::make_unique<WeightTables>(vocabulary_, params_.min_df,
                                             threads());
  }
  return *tables_;
}

const LshIndex& IndexCore::Lsh() const {
  std::lock_guard<std::mutex> lock(lsh_mu_);
  if (lsh_ == nullptr) {
    auto lsh = std::make_unique<LshIndex>(lsh_params_, params_.seed);
    const int workers = threads();
    lsh->AddBatch(0, signatures_.data(), articles_.size(), params_.num_perm,
                  workers);
    lsh->Freeze(workers);
    lsh_ = std::move(lsh);
  }
  return *lsh_;
}

void IndexCore::LshCandidates(const uint32_t* signature,
                          std::vector<uint32_t>* out) const {
  bool scan = false;
  {
    std::lock_guard<std::mutex> lock(lsh_mu_);
    if (lsh_ == nullptr && lsh_scans_ < kLshScans) {
      ++lsh_scans_;
      scan = true;
    }
  }
  if (!scan) {
    Lsh().Query(signature, out);
    return;
  }
  LshIndex(lsh_params_, params_.seed)
      .Scan(signature, signatures_.data(), articles_.size(), params_.num_perm,
            threads(), out);
}

const KeyTermIndex& IndexCore::KeyTerms() const {
  std::lock_guard<std::mutex> lock(key_terms_mu_);
  if (key_terms_ == nullptr) {
    const WeightTables& tables = Tables();
    const int workers = threads();
    std::vector<uint32_t> keys(articles_.size() * kKeyTerms);
    std::vector<std::vector<float>> scratch(workers);
    ParallelFor(articles_.size(), workers, kGrain,
                [&](size_t begin, size_t end, int worker) {
                  std::vector<float>& w = scratch[worker];
                  for (size_t doc = begin; doc < end; ++doc) {
                    const uint64_t b = terms_.offsets[doc];
                    w.resize(terms_.offsets[doc + 1] - b);
                    tables.WeighInPlace(&terms_.ids[b], &terms_.counts[b],
                                        w.size(), w.data());
                    TopTerms(&terms_.ids[b], w.data(), w.size(), kKeyTerms,
                             &keys[doc * kKeyTerms]);
                  }
                });
    key_terms_ = std::make_unique<KeyTermIndex>(
        keys, kKeyTerms, static_cast<uint32_t>(vocabulary_.size()));
    doc_key_terms_ = std::move(keys);
  }
  return *key_terms_;
}

TermCounts IndexCore::Counts(uint32_t doc) const {
  TermCounts c;
  const uint64_t b = terms_.offsets[doc], e = terms_.offsets[doc + 1];
  c.ids.assign(terms_.ids.begin() + b, terms_.ids.begin() + e);
  c.counts.assign(terms_.counts.begin() + b, terms_.counts.begin() + e);
  return c;
}

SparseVector IndexCore::Weighted(uint32_t doc) const {
  const uint64_t b = terms_.offsets[doc], n = terms_.offsets[doc + 1] - b;
  std::vector<float> weights(n);
  Tables().WeighInPlace(&terms_.ids[b], &terms_.counts[b], n, weights.data());
  return NonZeros({&terms_.ids[b], weights.data(), n});
}

std::vector<float> IndexCore::AllWeights() const {
  const WeightTables& tables = Tables();
  std::vector<float> weights(terms_.ids.size());
  ParallelFor(articles_.size(), threads(), kGrain,
              [&](size_t begin, size_t end, int) {
                for (size_t doc = begin; doc < end; ++doc) {
                  const uint64_t b = terms_.offsets[doc];
                  tables.WeighInPlace(&terms_.ids[b], &terms_.counts[b],
                                      terms_.offsets[doc + 1] - b, &weights[b]);
                }
              });
  return weights;
}

ScoringQuery IndexCore::StoredView(uint32_t doc, const float* dense,
                               const float* weights) const {
  ScoringQuery q;
  q.self = doc;
  q.content_hash = articles_[doc].content_hash;
  q.shingles = articles_[doc].shingles;
  q.signature = Signature(doc);
  q.char_grams = articles_[doc].char_grams;
  q.char_signature = CharSignature(doc);
  q.published = articles_[doc].published;
  if (weights != nullptr) {
    const uint64_t b = terms_.offsets[doc];
    q.weighted = {&terms_.ids[b], weights + b, terms_.offsets[doc + 1] - b};
  }
  q.dense = dense;
  return q;
}

ScoringQuery IndexCore::StoredQuery(uint32_t doc) const {
  ScoringQuery q = StoredView(doc, nullptr, nullptr);
  q.own_weighted = Weighted(doc);
  q.weighted = View(q.own_weighted);
  q.own_dense.resize(projection_.dims());
  projection_.Project(q.own_weighted, q.own_dense.data());
  q.dense = q.own_dense.data();
  return q;
}

float IndexCore::StoredCosine(const SparseLookup& q, uint32_t doc) const {
  const uint64_t b = terms_.offsets[doc];
  return Tables().Dot(q, &terms_.ids[b], &terms_.counts[b],
                      terms_.offsets[doc + 1] - b);
}

void IndexCore::PrefetchSignatures(uint32_t doc) const {
  PrefetchBytes(Signature(doc), params_.num_perm * sizeof(uint32_t));
  PrefetchBytes(CharSignature(doc), params_.char_perm * sizeof(uint32_t));
  __builtin_prefetch(&articles_[doc]);
}

PairScores IndexCore::Score(const ScoringQuery& q, uint32_t doc,
                        SparseView weighted) const {
  return Score(q, doc, Dot(q.weighted, weighted));
}

PairScores IndexCore::Score(const ScoringQuery& q, uint32_t doc, float cosine) const {
  const ArticleInfo& b = articles_[doc];
  const SketchView a_view{q.content_hash, q.shingles,     q.char_grams,
                          q.signature,    q.char_signature, q.published};
  const SketchView b_view{b.content_hash, b.shingles,        b.char_grams,
                          Signature(doc), CharSignature(doc), b.published};
  return ScoreSketches(a_view, b_view, params_.num_perm, params_.char_perm,
                       cosine);
}


std::vector<ScoringQuery> IndexCore::AllQueries(
    const std::vector<const float*>& dense,
    const std::vector<float>& weights) const {
  const size_t n = articles_.size();
  std::vector<ScoringQuery> queries(n);
  for (size_t i = 0; i < n; ++i) {
    queries[i] = StoredView(i, dense[i], weights.data());
  }
  return queries;
}

ScoringQuery IndexCore::OutsideQuery(const Article& article) const {
  CopyFeatures f;
  std::vector<absl::string_view> tokens;
  extractor_->Extract(article, &chrome_, &f, &tokens);
  ScoringQuery q;
  q.content_hash = f.content_hash;
  q.shingles = f.shingles;
  q.own_signature = std::move(f.signature);
  q.signature = q.own_signature.data();
  q.char_grams = f.char_grams;
  q.own_char_signature = std::move(f.char_signature);
  q.char_signature = q.own_char_signature.data();
  q.own_weighted = WeighOutside(vocabulary_, tokens, params_.min_df);
  q.weighted = View(q.own_weighted);
  q.own_dense.resize(projection_.dims());
  projection_.Project(q.own_weighted, q.own_dense.data());
  q.dense = q.own_dense.data();
  q.own_key_terms.resize(kKeyTerms);
  TopTerms(q.weighted.ids, q.weighted.values, q.weighted.size, kKeyTerms,
           q.own_key_terms.data());
  q.published = article.published;
  return q;
}

CopyFeatures IndexCore::Features(const Article& article) const {
  CopyFeatures f;
  std::vector<absl::string_view> tokens;
  extractor_->Extract(article, &chrome_, &f, &tokens);
  return f;
}

}  // namespace syndex
