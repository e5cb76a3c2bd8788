#include "engine/clustering/candidates.h"

#include <algorithm>

#include "engine/clustering/pairs.h"

namespace syndex {
namespace {

// Sorts `pairs` and drops repeats.
void SortUnique(std::vector<uint64_t>* pairs) {
  std::sort(pairs->begin(), pairs->end());
  pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
}

}  // namespace

void AppendBucketPairs(std::vector<uint32_t>* texts,
                       const std::function<bool(uint32_t, uint32_t)>& before,
                       const CandidateOptions& options,
                       std::vector<uint64_t>* pairs, CandidateCounts* counts) {
  std::vector<uint32_t>& t = *texts;
  const size_t m = t.size();
  if (m < 2) return;
  ++counts->buckets;
  counts->largest_bucket = std::max<uint64_t>(counts->largest_bucket, m);
  if (m <= options.full_bucket) {
    for (size_t i = 0; i < m; ++i) {
      for (size_t j = i + 1; j < m; ++j) pairs->push_back(PairKey(t[i], t[j]));
    }
    return;
  }
  ++counts->capped_buckets;
  std::sort(t.begin(), t.end(), before);
  for (size_t i = 1; i < m; ++i) {
    const size_t heads = std::min(i, options.heads);
    for (size_t j = 0; j < heads; ++j) pairs->push_back(PairKey(t[i], t[j]));
    const size_t from = i > options.window ? i - options.window : 0;
    for (size_t j = std::max(from, heads); j < i; ++j) {
      pairs->push_back(PairKey(t[i], t[j]));
    }
  }
}

std::vector<uint64_t> LshCandidatePairs(
    const LshIndex& lsh, const std::vector<uint32_t>& representative,
    const std::vector<uint32_t>& rank, const CandidateOptions& options,
    CandidateCounts* counts) {
  CandidateCounts local;
  std::vector<uint64_t> pairs;
  // Size of `pairs` after its last deduplication: one band adds at most
  // (heads + window) x n pairs, and deduplicating whenever the list has
  // doubled keeps it within a constant of the distinct pairs.
  size_t distinct = 0;
  std::vector<uint32_t> texts;
  auto by_rank = [&](uint32_t x, uint32_t y) { return rank[x] < rank[y]; };
  lsh.ForEachBucket([&](int /*band*/, const std::vector<uint32_t>& ids) {
    texts.clear();
    for (uint32_t id : ids) texts.push_back(representative[id]);
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    AppendBucketPairs(&texts, by_rank, options, &pairs, &local);
    if (pairs.size() > 2 * distinct + (size_t{1} << 20)) {
      SortUnique(&pairs);
      distinct = pairs.size();
    }
  });
  SortUnique(&pairs);
  pairs.shrink_to_fit();
  local.pairs = pairs.size();
  if (counts != nullptr) *counts = local;
  return pairs;
}

}  // namespace syndex
