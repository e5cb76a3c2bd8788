#ifndef SYNDEX_ENGINE_TFIDF_KEY_TERMS_H_
#define SYNDEX_ENGINE_TFIDF_KEY_TERMS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace syndex {

// Key terms: each document's few highest-weighted terms, and an inverted
// index over them that proposes the documents sharing key terms with a
// query.
//
// Two reports of one story in other words share few shingles, and their
// dense vectors can lie apart, since the projection keeps only the most
// frequent terms. They still share the story's rare names and words, which
// carry most of their TF-IDF cosine: these are their key terms.

// Pads a row of fewer key terms than asked for.
constexpr uint32_t kNoKeyTerm = 0xffffffffu;

// The most key terms TopTerms keeps.
constexpr int kMaxKeyTerms = 64;

// Writes to out[0..m) the ids of the m largest of the n `weights`, largest
// first (ties: the smaller id), leaving out zero weights and padding with
// kNoKeyTerm. REQUIRES: ids ascending, 0 < m <= kMaxKeyTerms.
void TopTerms(const uint32_t* ids, const float* weights, size_t n, int m,
              uint32_t* out);

// An inverted index from key terms to documents. Thread-safe for queries;
// Append needs exclusive access.
class KeyTermIndex {
 public:
  // `keys` holds m key terms (TopTerms) for each document 0, 1, ...;
  // every id is below `num_terms` or kNoKeyTerm. REQUIRES: keys.size() <
  // 2^32.
  KeyTermIndex(const std::vector<uint32_t>& keys, int m, uint32_t num_terms);

  // Appends to `out` at most `limit` documents holding at least
  // `min_shared` of the m key terms at `query` (TopTerms, kNoKeyTerm
  // allowed), the most shared first, then the smaller id. A key term of
  // more than `max_docs` documents names no story and is passed over.
  void Query(const uint32_t* query, int min_shared, size_t max_docs,
             size_t limit, std::vector<uint32_t>* out) const;

  // Adds documents size(), size() + 1, ... with the m key terms each of
  // `n` documents at `keys`, at a cost in proportion to n: they are held in
  // a side table by term, folded into the main lists once it holds more
  // than an eighth as many documents (amortized O(1) per key).
  void Append(const uint32_t* keys, size_t n);

  int m() const { return m_; }
  size_t size() const { return keys_.size() / m_; }

 private:
  // Rebuilds offsets_ and docs_ from keys_ over terms [0, num_terms).
  void Build(uint32_t num_terms);

  int m_;
  std::vector<uint32_t> keys_;  // m per document.
  uint32_t indexed_ = 0;        // Documents in offsets_ / docs_.
  // Term -> documents (ascending) of documents indexed_, ... .
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> recent_;
  std::vector<uint32_t> offsets_;  // num_terms + 1: term t's documents are
  std::vector<uint32_t> docs_;     // docs_[offsets_[t] .. offsets_[t+1]).
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TFIDF_KEY_TERMS_H_
