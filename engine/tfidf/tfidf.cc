#include "engine/tfidf/tfidf.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/util/hash.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Splits (id << 32 | count) pairs, sorted here, into `counts`.
void AppendSorted(std::vector<uint64_t>* pairs, TermCounts* counts) {
  std::sort(pairs->begin(), pairs->end());
  for (uint64_t pair : *pairs) {
    counts->ids.push_back(static_cast<uint32_t>(pair >> 32));
    counts->counts.push_back(static_cast<uint32_t>(pair));
  }
}

}  // namespace

SparseVector NonZeros(SparseView v) {
  SparseVector out;
  out.ids.reserve(v.size);
  out.values.reserve(v.size);
  for (size_t i = 0; i < v.size; ++i) {
    if (v.values[i] == 0) continue;
    out.ids.push_back(v.ids[i]);
    out.values.push_back(v.values[i]);
  }
  return out;
}

float Dot(SparseView a, SparseView b) {
  float sum = 0;
  size_t i = 0, j = 0;
  while (i < a.size && j < b.size) {
    if (a.ids[i] < b.ids[j]) {
      ++i;
    } else if (a.ids[i] > b.ids[j]) {
      ++j;
    } else {
      sum += a.values[i++] * b.values[j++];
    }
  }
  return sum;
}

SparseLookup::SparseLookup(SparseView v) {
  // At most half full.
  size_t slots = 16;
  while (slots < 2 * v.size) slots *= 2;
  slots_.resize(slots);
  mask_ = slots - 1;
  shift_ = 64 - std::countr_zero(slots);
  for (size_t i = 0; i < v.size; ++i) {
    size_t j = SlotOf(v.ids[i]);
    while (slots_[j].id != kEmpty) j = (j + 1) & mask_;
    slots_[j] = {v.ids[i], v.values[i]};
  }
}

uint64_t Vocabulary::IdTable::TermHash(absl::string_view term) {
  return Hash64(term, kDefaultSeed);
}

uint32_t Vocabulary::IdTable::Find(uint64_t hash) const {
  if (slots_.empty()) return kUnknown;
  const size_t mask = slots_.size() - 1;
  for (size_t i = SlotOf(hash);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == kUnknown || slot.hash == hash) return slot.id;
  }
}

void Vocabulary::IdTable::Prefetch(uint64_t hash) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[SlotOf(hash)]);
}

void Vocabulary::IdTable::Insert(uint64_t hash, uint32_t id) {
  // At most 70% of the slots in use.
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  const size_t mask = slots_.size() - 1;
  size_t i = SlotOf(hash);
  while (slots_[i].id != kUnknown) i = (i + 1) & mask;
  slots_[i] = Slot{hash, id};
  ++size_;
}

void Vocabulary::IdTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  const size_t count = std::max<size_t>(1024, 2 * old.size());
  slots_.assign(count, Slot());
  shift_ = 64 - __builtin_ctzll(count);
  size_ = 0;
  for (const Slot& slot : old) {
    if (slot.id != kUnknown) Insert(slot.hash, slot.id);
  }
}

void Vocabulary::EnsureIds() const {
  std::call_once(*ids_once_, [this] {
    for (uint32_t i = 0; i < terms_.size(); ++i) {
      // A repeated term (in corrupt data) keeps its first id.
      const uint64_t hash = IdTable::TermHash(terms_[i]);
      if (ids_.Find(hash) == kUnknown) ids_.Insert(hash, i);
    }
  });
}

uint32_t Vocabulary::Find(absl::string_view term) const {
  EnsureIds();
  return ids_.Find(IdTable::TermHash(term));
}

uint32_t Vocabulary::FindOrAdd(absl::string_view term) {
  EnsureIds();
  const uint64_t hash = IdTable::TermHash(term);
  const uint32_t found = ids_.Find(hash);
  if (found != kUnknown) return found;
  const uint32_t id = static_cast<uint32_t>(terms_.size());
  terms_.emplace_back(term);
  df_.push_back(0);
  ids_.Insert(hash, id);
  return id;
}

TermCounts Vocabulary::Count(const std::vector<absl::string_view>& tokens,
                             bool grow) {
  if (!grow) return CountFrozen(tokens);
  return Complete(Lookup(tokens));
}

TermCounts Vocabulary::CountFrozen(
    const std::vector<absl::string_view>& tokens) const {
  return Lookup(tokens).known;
}

Vocabulary::Pending Vocabulary::Lookup(
    const std::vector<absl::string_view>& tokens) const {
  EnsureIds();
  // The distinct tokens, by hash in a table of at least twice as many slots
  // as tokens, in order of first occurrence.
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> first, counts;
  size_t slots = 16;
  while (slots < 2 * tokens.size()) slots *= 2;
  const int shift = 64 - __builtin_ctzll(slots);
  std::vector<uint32_t> table(slots, kUnknown);  // Index into `hashes`.
  for (size_t t = 0; t < tokens.size(); ++t) {
    const uint64_t hash = IdTable::TermHash(tokens[t]);
    size_t i = (hash * 0x9e3779b97f4a7c15ULL) >> shift;
    while (table[i] != kUnknown && hashes[table[i]] != hash) {
      i = (i + 1) & (slots - 1);
    }
    if (table[i] != kUnknown) {
      ++counts[table[i]];
      continue;
    }
    table[i] = static_cast<uint32_t>(hashes.size());
    hashes.push_back(hash);
    first.push_back(static_cast<uint32_t>(t));
    counts.push_back(1);
  }
  // The vocabulary's table is large: fetch all slots, then read them.
  for (uint64_t hash : hashes) ids_.Prefetch(hash);
  Pending pending;
  std::vector<uint64_t> known;  // id << 32 | count.
  known.reserve(hashes.size());
  for (size_t d = 0; d < hashes.size(); ++d) {
    const uint32_t id = ids_.Find(hashes[d]);
    if (id == kUnknown) {
      pending.unknown.push_back(tokens[first[d]]);
      pending.unknown_counts.push_back(counts[d]);
    } else {
      known.push_back(uint64_t{id} << 32 | counts[d]);
    }
  }
  AppendSorted(&known, &pending.known);
  return pending;
}

TermCounts Vocabulary::Complete(Pending pending) {
  // Terms unknown at Lookup get ids above all the known ones: they are new,
  // or were added since, after the Lookup.
  std::vector<uint64_t> added;  // id << 32 | count.
  added.reserve(pending.unknown.size());
  for (size_t i = 0; i < pending.unknown.size(); ++i) {
    added.push_back(uint64_t{FindOrAdd(pending.unknown[i])} << 32 |
                    pending.unknown_counts[i]);
  }
  TermCounts counts = std::move(pending.known);
  AppendSorted(&added, &counts);
  return counts;
}

void Vocabulary::AddDocument(const TermCounts& counts) {
  for (uint32_t id : counts.ids) {
    assert(id < df_.size());
    ++df_[id];
  }
  ++num_docs_;
}

void Vocabulary::RemoveDocument(const TermCounts& counts) {
  for (uint32_t id : counts.ids) {
    assert(id < df_.size());
    if (df_[id] > 0) --df_[id];
  }
  if (num_docs_ > 0) --num_docs_;
}

double Vocabulary::IdfOf(uint64_t num_docs, uint32_t df) {
  return std::log((1.0 + static_cast<double>(num_docs)) /
                  (1.0 + static_cast<double>(df))) +
         1.0;
}

SparseVector Vocabulary::Weigh(const TermCounts& counts,
                               uint32_t min_df) const {
  std::vector<float> weights(counts.ids.size());
  WeighInPlace(counts.ids.data(), counts.counts.data(), counts.ids.size(),
               min_df, weights.data());
  return NonZeros({counts.ids.data(), weights.data(), weights.size()});
}

namespace {

// out[i] = weight(i) for i < n (0 leaves a term out), scaled to unit
// length.
template <typename WeightFn>
void WeighUnit(size_t n, WeightFn weight, float* out) {
  double norm2 = 0;
  for (size_t i = 0; i < n; ++i) {
    const double w = weight(i);
    out[i] = static_cast<float>(w);
    norm2 += w * w;
  }
  if (norm2 > 0) {
    const float scale = static_cast<float>(1.0 / std::sqrt(norm2));
    for (size_t i = 0; i < n; ++i) out[i] *= scale;
  }
}

}  // namespace

template <typename CountType>
void Vocabulary::WeighInPlace(const uint32_t* ids, const CountType* counts,
                              size_t n, uint32_t min_df, float* out) const {
  WeighUnit(
      n,
      [&](size_t i) {
        const uint32_t id = ids[i];
        if (id >= df_.size() || df_[id] < min_df || counts[i] == 0) {
          return 0.0;
        }
        return (1.0 + std::log(static_cast<double>(counts[i]))) * Idf(id);
      },
      out);
}

WeightTables::WeightTables(const Vocabulary& vocabulary, uint32_t min_df,
                           int threads)
    : idf_(vocabulary.size()), log_tf_(LogTfTable()) {
  // The idf depends on the df alone, and most terms have a small one: the
  // idf of each small df is computed once (the same value Idf computes).
  constexpr uint32_t kTabled = 1 << 12;
  std::vector<double> by_df(kTabled);
  for (uint32_t df = 0; df < kTabled; ++df) {
    by_df[df] = df < min_df ? 0.0 : Vocabulary::IdfOf(vocabulary.num_docs(), df);
  }
  ParallelFor(idf_.size(), threads, size_t{1} << 16,
              [&](size_t begin, size_t end, int) {
                for (size_t t = begin; t < end; ++t) {
                  const uint32_t df = vocabulary.df(t);
                  idf_[t] = df < kTabled ? by_df[df]
                            : df < min_df
                                ? 0.0
                                : Vocabulary::IdfOf(vocabulary.num_docs(), df);
                }
              });
}

const std::vector<double>& WeightTables::LogTfTable() {
  static const std::vector<double>* table = [] {
    auto* t = new std::vector<double>(size_t{1} << 16);
    for (size_t tf = 1; tf < t->size(); ++tf) {
      (*t)[tf] = 1.0 + std::log(static_cast<double>(tf));
    }
    return t;
  }();
  return *table;
}

void WeightTables::WeighInPlace(const uint32_t* ids, const uint16_t* counts,
                                size_t n, float* out) const {
  // idf_ is 0 for the terms left out, and so is log_tf_[0].
  WeighUnit(
      n,
      [&](size_t i) {
        if (i + kPrefetchAhead < n) Prefetch(ids[i + kPrefetchAhead]);
        return Weight(ids[i], counts[i]);
      },
      out);
}

float WeightTables::Dot(const SparseLookup& q, const uint32_t* ids,
                        const uint16_t* counts, size_t n) const {
  double norm2 = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchAhead < n) Prefetch(ids[i + kPrefetchAhead]);
    const double w = Weight(ids[i], counts[i]);
    norm2 += w * w;
  }
  // As WeighUnit and syndex::Dot compute it: float weights scaled by a
  // float factor, products summed in float in id order.
  const float scale =
      norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 1.0f;
  float sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const float qv = q.Find(ids[i]);
    if (qv == 0) continue;
    const float w = static_cast<float>(Weight(ids[i], counts[i])) * scale;
    if (w != 0) sum += qv * w;
  }
  return sum;
}

template void Vocabulary::WeighInPlace<uint16_t>(const uint32_t*,
                                                 const uint16_t*, size_t,
                                                 uint32_t, float*) const;
template void Vocabulary::WeighInPlace<uint32_t>(const uint32_t*,
                                                 const uint32_t*, size_t,
                                                 uint32_t, float*) const;

// Layout: u64 num_docs, u64 term count, the terms as length-prefixed strings,
// then the document frequencies as a u32 array.
void Vocabulary::AppendTo(ByteWriter* out) const {
  out->U64(num_docs_);
  out->U64(terms_.size());
  for (const std::string& term : terms_) out->String(term);
  out->Array(df_);
}

absl::Status Vocabulary::ReadFrom(ByteReader* in, Vocabulary* vocabulary) {
  Vocabulary v;
  uint64_t num_terms = 0;
  SYNDEX_RETURN_IF_ERROR(in->U64(&v.num_docs_));
  SYNDEX_RETURN_IF_ERROR(in->U64(&num_terms));
  // Every term takes at least its 8-byte length.
  if (num_terms > in->remaining() / 8 || num_terms >= kUnknown) {
    return in->Fail("vocabulary term count out of range");
  }
  v.terms_.resize(num_terms);
  for (uint64_t i = 0; i < num_terms; ++i) {
    SYNDEX_RETURN_IF_ERROR(in->String(&v.terms_[i]));
  }
  SYNDEX_RETURN_IF_ERROR(in->Array(&v.df_));
  if (v.df_.size() != num_terms) {
    return in->Fail("document frequencies do not match the terms");
  }
  for (uint32_t df : v.df_) {
    if (df > v.num_docs_) {
      return in->Fail("document frequency above the document count");
    }
  }
  *vocabulary = std::move(v);
  return absl::OkStatus();
}

SparseVector WeighOutside(const Vocabulary& vocabulary,
                          const std::vector<absl::string_view>& tokens,
                          uint32_t min_df) {
  const TermCounts counts = vocabulary.CountFrozen(tokens);
  SparseVector v = vocabulary.Weigh(counts, min_df);
  absl::flat_hash_map<absl::string_view, uint32_t> unknown;
  for (absl::string_view t : tokens) {
    if (vocabulary.Find(t) == Vocabulary::kUnknown) ++unknown[t];
  }
  if (unknown.empty() || v.size() == 0) return v;
  auto weight = [](double tf, double idf) {
    const double w = (1.0 + std::log(tf)) * idf;
    return w * w;
  };
  double known = 0, extra = 0;
  for (size_t i = 0; i < counts.ids.size(); ++i) {
    if (vocabulary.df(counts.ids[i]) < min_df) continue;
    known += weight(counts.counts[i], vocabulary.Idf(counts.ids[i]));
  }
  const double new_idf = std::log(1.0 + vocabulary.num_docs()) + 1.0;
  for (const auto& [term, tf] : unknown) extra += weight(tf, new_idf);
  const float scale = static_cast<float>(std::sqrt(known / (known + extra)));
  for (float& x : v.values) x *= scale;
  return v;
}

CountCosine::CountCosine(const Vocabulary& vocabulary, uint32_t min_df,
                         SparseView query)
    : query_weight_(vocabulary.size(), 0.0f), idf_(vocabulary.size()) {
  for (size_t i = 0; i < query.size; ++i) {
    query_weight_[query.ids[i]] = query.values[i];
  }
  for (uint32_t t = 0; t < idf_.size(); ++t) {
    idf_[t] = vocabulary.df(t) < min_df ? 0.0 : vocabulary.Idf(t);
  }
}

double CountCosine::operator()(const uint32_t* ids, const uint16_t* counts,
                               size_t n) const {
  double dot = 0, norm2 = 0;
  for (size_t i = 0; i < n; ++i) {
    if (counts[i] == 0) continue;
    const double w =
        (1.0 + std::log(static_cast<double>(counts[i]))) * idf_[ids[i]];
    norm2 += w * w;
    dot += w * query_weight_[ids[i]];
  }
  return norm2 > 0 ? dot / std::sqrt(norm2) : 0.0;
}

}  // namespace syndex
