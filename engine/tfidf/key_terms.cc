#include "engine/tfidf/key_terms.h"

#include <algorithm>
#include <utility>

namespace syndex {

void TopTerms(const uint32_t* ids, const float* weights, size_t n, int m,
              uint32_t* out) {
  // The best so far in out[0..size), best first, with their weights; once
  // m are kept, a weight must reach `floor`, the last kept one's.
  // Vocabulary ids grow with a term's first appearance, so rarer terms,
  // which weigh more, tend to have larger ids: going down the ids keeps
  // most terms out at the first test. An equal weight met later has a
  // smaller id and goes first.
  float kept[kMaxKeyTerms];
  int size = 0;
  float floor = 0;
  for (size_t i = n; i-- > 0;) {
    const float w = weights[i];
    if (!(w > 0 && w >= floor)) continue;
    int j = std::min(size, m - 1);
    for (; j > 0 && kept[j - 1] <= w; --j) {
      kept[j] = kept[j - 1];
      out[j] = out[j - 1];
    }
    kept[j] = w;
    out[j] = ids[i];
    if (size < m) ++size;
    if (size == m) floor = kept[m - 1];
  }
  std::fill(out + size, out + m, kNoKeyTerm);
}

KeyTermIndex::KeyTermIndex(const std::vector<uint32_t>& keys, int m,
                           uint32_t num_terms)
    : m_(m), keys_(keys) {
  Build(num_terms);
}

void KeyTermIndex::Build(uint32_t num_terms) {
  // Terms of earlier Appends may lie beyond `num_terms`.
  for (uint32_t t : keys_) {
    if (t != kNoKeyTerm) num_terms = std::max(num_terms, t + 1);
  }
  // A counting sort by term; documents come out ascending in each list.
  offsets_.assign(size_t{num_terms} + 1, 0);
  for (uint32_t t : keys_) {
    if (t != kNoKeyTerm) ++offsets_[t + 1];
  }
  for (size_t t = 1; t < offsets_.size(); ++t) offsets_[t] += offsets_[t - 1];
  docs_.resize(offsets_.back());
  std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] != kNoKeyTerm) {
      docs_[next[keys_[i]]++] = static_cast<uint32_t>(i / m_);
    }
  }
  indexed_ = static_cast<uint32_t>(size());
  recent_.clear();
}

void KeyTermIndex::Append(const uint32_t* keys, size_t n) {
  uint32_t num_terms = static_cast<uint32_t>(offsets_.size() - 1);
  uint32_t doc = static_cast<uint32_t>(size());
  keys_.insert(keys_.end(), keys, keys + n * m_);
  for (size_t i = 0; i < n; ++i, ++doc) {
    for (int j = 0; j < m_; ++j) {
      const uint32_t t = keys[i * m_ + j];
      if (t == kNoKeyTerm) continue;
      num_terms = std::max(num_terms, t + 1);
      recent_[t].push_back(doc);
    }
  }
  if ((size() - indexed_) * 8 > indexed_) Build(num_terms);
}

void KeyTermIndex::Query(const uint32_t* query, int min_shared,
                         size_t max_docs, size_t limit,
                         std::vector<uint32_t>* out) const {
  std::vector<uint32_t> hits;
  for (int j = 0; j < m_; ++j) {
    const uint32_t t = query[j];
    if (t == kNoKeyTerm) continue;
    uint32_t b = 0, e = 0;
    if (t + size_t{1} < offsets_.size()) b = offsets_[t], e = offsets_[t + 1];
    const auto recent = recent_.find(t);
    const size_t more = recent == recent_.end() ? 0 : recent->second.size();
    if (e - b + more > max_docs || e - b + more == 0) continue;
    hits.insert(hits.end(), docs_.begin() + b, docs_.begin() + e);
    if (more > 0) {
      hits.insert(hits.end(), recent->second.begin(), recent->second.end());
    }
  }
  std::sort(hits.begin(), hits.end());
  // (shared key terms, document) for the documents sharing enough.
  std::vector<std::pair<int, uint32_t>> shared;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i;
    while (j < hits.size() && hits[j] == hits[i]) ++j;
    if (static_cast<int>(j - i) >= min_shared) {
      shared.emplace_back(static_cast<int>(j - i), hits[i]);
    }
    i = j;
  }
  const size_t keep = std::min(limit, shared.size());
  std::partial_sort(shared.begin(), shared.begin() + keep, shared.end(),
                    [](const auto& a, const auto& b) {
                      return a.first > b.first ||
                             (a.first == b.first && a.second < b.second);
                    });
  for (size_t i = 0; i < keep; ++i) out->push_back(shared[i].second);
}

}  // namespace syndex
