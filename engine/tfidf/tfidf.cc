#include "engine/tfidf/tfidf.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Turns a list of term ids (any order, repeats allowed) into ascending ids
// with counts. Sorts `ids` in place.
TermCounts RunLengths(std::vector<uint32_t>* ids) {
  std::sort(ids->begin(), ids->end());
  TermCounts counts;
  for (size_t i = 0; i < ids->size();) {
    size_t j = i + 1;
    while (j < ids->size() && (*ids)[j] == (*ids)[i]) ++j;
    counts.ids.push_back((*ids)[i]);
    counts.counts.push_back(static_cast<uint32_t>(j - i));
    i = j;
  }
  return counts;
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

void Vocabulary::EnsureIds() const {
  std::call_once(*ids_once_, [this] {
    if (ids_.size() == terms_.size()) return;
    ids_.reserve(terms_.size());
    for (uint32_t i = 0; i < terms_.size(); ++i) ids_.emplace(terms_[i], i);
  });
}

uint32_t Vocabulary::Find(absl::string_view term) const {
  EnsureIds();
  // Heterogeneous lookup: no std::string is built for the probe.
  auto it = ids_.find(term);
  return it == ids_.end() ? kUnknown : it->second;
}

uint32_t Vocabulary::FindOrAdd(absl::string_view term) {
  EnsureIds();
  auto it = ids_.find(term);
  if (it != ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(terms_.size());
  terms_.emplace_back(term);
  df_.push_back(0);
  ids_.emplace(terms_.back(), id);
  return id;
}

TermCounts Vocabulary::Count(const std::vector<absl::string_view>& tokens,
                             bool grow) {
  if (!grow) return CountFrozen(tokens);
  std::vector<uint32_t> ids;
  ids.reserve(tokens.size());
  for (absl::string_view token : tokens) ids.push_back(FindOrAdd(token));
  return RunLengths(&ids);
}

TermCounts Vocabulary::CountFrozen(
    const std::vector<absl::string_view>& tokens) const {
  std::vector<uint32_t> ids;
  ids.reserve(tokens.size());
  for (absl::string_view token : tokens) {
    const uint32_t id = Find(token);
    if (id != kUnknown) ids.push_back(id);
  }
  return RunLengths(&ids);
}

Vocabulary::Pending Vocabulary::Lookup(
    const std::vector<absl::string_view>& tokens) const {
  Pending pending;
  pending.ids.reserve(tokens.size());
  for (absl::string_view token : tokens) {
    const uint32_t id = Find(token);
    if (id == kUnknown) {
      pending.unknown.push_back(token);
    } else {
      pending.ids.push_back(id);
    }
  }
  return pending;
}

TermCounts Vocabulary::Complete(Pending pending) {
  for (absl::string_view token : pending.unknown) {
    pending.ids.push_back(FindOrAdd(token));
  }
  return RunLengths(&pending.ids);
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

double Vocabulary::Idf(uint32_t id) const {
  return std::log((1.0 + static_cast<double>(num_docs_)) /
                  (1.0 + static_cast<double>(df_[id]))) +
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
    : idf_(vocabulary.size()), log_tf_(size_t{1} << 16) {
  ParallelFor(idf_.size(), threads, size_t{1} << 16,
              [&](size_t begin, size_t end, int) {
                for (size_t t = begin; t < end; ++t) {
                  idf_[t] = vocabulary.df(t) < min_df ? 0.0
                                                      : vocabulary.Idf(t);
                }
              });
  for (size_t tf = 1; tf < log_tf_.size(); ++tf) {
    log_tf_[tf] = 1.0 + std::log(static_cast<double>(tf));
  }
}

void WeightTables::WeighInPlace(const uint32_t* ids, const uint16_t* counts,
                                size_t n, float* out) const {
  // idf_ is 0 for the terms left out, and so is log_tf_[0].
  WeighUnit(
      n,
      [&](size_t i) {
        return ids[i] < idf_.size() ? log_tf_[counts[i]] * idf_[ids[i]] : 0.0;
      },
      out);
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

}  // namespace syndex
