#ifndef SYNDEX_ENGINE_TFIDF_TFIDF_H_
#define SYNDEX_ENGINE_TFIDF_TFIDF_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/util/bytes.h"

namespace syndex {

// A sparse vector: term ids ascending, without duplicates, with one value each.
struct SparseVector {
  std::vector<uint32_t> ids;
  std::vector<float> values;

  size_t size() const { return ids.size(); }
};

// A sparse vector held elsewhere: `size` term ids ascending, without
// duplicates, with one value each (zero values allowed).
struct SparseView {
  const uint32_t* ids = nullptr;
  const float* values = nullptr;
  size_t size = 0;
};
inline SparseView View(const SparseVector& v) {
  return {v.ids.data(), v.values.data(), v.ids.size()};
}

// The entries of `v` whose value is not zero.
SparseVector NonZeros(SparseView v);

// The dot product of two sparse vectors (a merge over sorted ids).
float Dot(SparseView a, SparseView b);
inline float Dot(const SparseVector& a, const SparseVector& b) {
  return Dot(View(a), View(b));
}

// A sparse vector laid out for many dot products with other vectors
// whose entries come one by one (WeightTables::Dot): an open-addressing
// table from term id to value, small enough for the L1 cache at a few
// hundred terms.
class SparseLookup {
 public:
  explicit SparseLookup(SparseView v);
  // The value of term `id`; 0 when v has no such term.
  float Find(uint32_t id) const {
    for (size_t i = SlotOf(id);; i = (i + 1) & mask_) {
      if (slots_[i].id == id) return slots_[i].value;
      if (slots_[i].id == kEmpty) return 0.0f;
    }
  }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  struct Slot {
    uint32_t id = kEmpty;
    float value = 0.0f;
  };
  size_t SlotOf(uint32_t id) const {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
};

// Raw term counts of one document: ids ascending, counts > 0.
struct TermCounts {
  std::vector<uint32_t> ids;
  std::vector<uint32_t> counts;
};

// The vocabulary of a corpus with document frequencies.
//
// Terms get ids in order of first insertion; ids never change, so term counts
// stored in an index stay valid when documents are added. The weighting of a
// document is computed on demand from its raw counts and the current
// document frequencies:
//   w(t) = (1 + ln tf) * idf(t),  idf(t) = ln((1 + N) / (1 + df(t))) + 1,
// then the vector is L2-normalized. Terms below `min_df` documents are
// ignored when weighing (they cannot link two documents).
//
// Not thread-safe while being modified; const methods are thread-safe.
class Vocabulary {
 public:
  static constexpr uint32_t kUnknown = 0xFFFFFFFFu;

  // The id of `term`, or kUnknown.
  uint32_t Find(absl::string_view term) const;
  // The id of `term`, inserting it with df 0 if new.
  uint32_t FindOrAdd(absl::string_view term);

  // Counts the tokens of one document. With `grow`, new terms are added to
  // the vocabulary; otherwise unknown tokens are dropped.
  TermCounts Count(const std::vector<absl::string_view>& tokens, bool grow);
  TermCounts CountFrozen(const std::vector<absl::string_view>& tokens) const;

  // Count(tokens, true) in two steps, so that many documents can be looked
  // up in parallel: Lookup (const) resolves the known terms; Complete
  // (which modifies) adds the rest, in order of first occurrence, and
  // returns the same counts and assigns the same new ids as Count would at
  // that point.
  struct Pending {
    TermCounts known;  // The known terms, counted.
    // The other distinct tokens in order of first occurrence, and their
    // counts.
    std::vector<absl::string_view> unknown;
    std::vector<uint32_t> unknown_counts;
  };
  Pending Lookup(const std::vector<absl::string_view>& tokens) const;
  TermCounts Complete(Pending pending);

  // Records one more document containing the terms of `counts`.
  void AddDocument(const TermCounts& counts);
  // Undoes AddDocument (for removal of documents).
  void RemoveDocument(const TermCounts& counts);

  // The TF-IDF vector of `counts` under the current frequencies.
  SparseVector Weigh(const TermCounts& counts, uint32_t min_df = 2) const;
  // Weigh's values for one document's `n` terms `ids` (ascending) with
  // `counts`, in place: out[i] is the weight of ids[i], or 0 for a term
  // Weigh leaves out. CountType is uint16_t or uint32_t.
  template <typename CountType>
  void WeighInPlace(const uint32_t* ids, const CountType* counts, size_t n,
                    uint32_t min_df, float* out) const;

  double Idf(uint32_t id) const { return IdfOf(num_docs_, df_[id]); }
  // The idf of a term of `df` documents among `num_docs`:
  // ln((1 + num_docs) / (1 + df)) + 1.
  static double IdfOf(uint64_t num_docs, uint32_t df);
  uint32_t df(uint32_t id) const { return df_[id]; }
  uint64_t num_docs() const { return num_docs_; }
  size_t size() const { return terms_.size(); }
  const std::string& term(uint32_t id) const { return terms_[id]; }

  void AppendTo(ByteWriter* out) const;
  // Reads what AppendTo wrote. The term -> id table is built on the first
  // lookup (Find, FindOrAdd, Count, Lookup), so readers that never look a
  // term up (clustering, queries by stored id) do not pay for it; a
  // repeated term in corrupt data then keeps its first id.
  static absl::Status ReadFrom(ByteReader* in, Vocabulary* vocabulary);

 private:
  // Builds ids_ from terms_ if they differ in size (after ReadFrom).
  void EnsureIds() const;

  std::vector<std::string> terms_;
  std::vector<uint32_t> df_;
  uint64_t num_docs_ = 0;
  // Term ids by the term's hash, TermHash: two terms with the same 64-bit
  // hash (for ten million terms, a chance below 1e-5) would share an id.
  class IdTable {
   public:
    static uint64_t TermHash(absl::string_view term);
    // The id of the term with `hash`, or kUnknown.
    uint32_t Find(uint64_t hash) const;
    // Fetches the slot of `hash` into the cache ahead of a Find.
    void Prefetch(uint64_t hash) const;
    // REQUIRES: Find(hash) == kUnknown.
    void Insert(uint64_t hash, uint32_t id);
    size_t size() const { return size_; }

   private:
    struct Slot {
      uint64_t hash = 0;
      uint32_t id = kUnknown;  // kUnknown: empty.
    };
    size_t SlotOf(uint64_t hash) const { return hash >> shift_; }
    void Grow();

    std::vector<Slot> slots_;
    size_t size_ = 0;
    int shift_ = 64;  // 64 - log2(slots_.size()).
  };
  mutable IdTable ids_;
  // Guards the first EnsureIds; on the heap so that vocabularies move.
  mutable std::unique_ptr<std::once_flag> ids_once_ =
      std::make_unique<std::once_flag>();
};

// Vocabulary::WeighInPlace for many documents under fixed frequencies,
// with each term's idf and each 1 + ln(tf) computed once: the same values,
// several times faster. Thread-safe after construction.
class WeightTables {
 public:
  // The tables of `vocabulary` (which must not change while they are
  // used), built on `threads` threads.
  WeightTables(const Vocabulary& vocabulary, uint32_t min_df, int threads);
  void WeighInPlace(const uint32_t* ids, const uint16_t* counts, size_t n,
                    float* out) const;
  // Dot(q, NonZeros(w)) with w the weights WeighInPlace gives the document
  // (ids, counts, n), bit for bit, without materializing w: one pass for
  // the norm, one for the terms q holds.
  float Dot(const SparseLookup& q, const uint32_t* ids,
            const uint16_t* counts, size_t n) const;

 private:
  double Weight(uint32_t id, uint16_t count) const {
    return id < idf_.size() ? log_tf_[count] * idf_[id] : 0.0;
  }
  // The idf entries of a document's terms are scattered over a table
  // larger than the caches: loops over the terms fetch them this many
  // terms ahead.
  static constexpr size_t kPrefetchAhead = 8;
  void Prefetch(uint32_t id) const {
    if (id < idf_.size()) __builtin_prefetch(&idf_[id]);
  }

  std::vector<double> idf_;     // 0 for the terms below min_df.
  std::vector<double> log_tf_;  // 1 + ln(tf) for tf < 2^16; [0] = 0.
  static const std::vector<double>& LogTfTable();
};

// The TF-IDF vector of a document that is not in `vocabulary` (a query),
// from its `tokens`: Weigh of its known terms, scaled so that the terms
// the vocabulary has never seen still count in its norm, weighing as terms
// of df 0. Without them an article full of new names would look closer to
// everything than it is.
SparseVector WeighOutside(const Vocabulary& vocabulary,
                          const std::vector<absl::string_view>& tokens,
                          uint32_t min_df);

// The cosine of a fixed query vector with documents given by their raw
// term counts, with Vocabulary::Weigh's weights computed in double
// precision from `vocabulary` (a slow reference, used to screen every
// document exhaustively). Thread-safe after construction.
class CountCosine {
 public:
  CountCosine(const Vocabulary& vocabulary, uint32_t min_df,
              SparseView query);
  // The cosine of the query with the document of `n` terms `ids` with
  // `counts`.
  double operator()(const uint32_t* ids, const uint16_t* counts,
                    size_t n) const;

 private:
  std::vector<float> query_weight_;  // By term id.
  std::vector<double> idf_;          // 0 below min_df.
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TFIDF_TFIDF_H_
