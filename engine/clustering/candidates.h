#ifndef SYNDEX_ENGINE_CLUSTERING_CANDIDATES_H_
#define SYNDEX_ENGINE_CLUSTERING_CANDIDATES_H_

// The candidate pairs of copy detection from the LSH buckets, bounded on
// any input: exact duplicates count once, and a bucket too large for all
// its pairs gives a fixed number of pairs per member.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/lsh/lsh.h"

namespace syndex {

struct CandidateOptions {
  // A bucket of at most this many distinct texts gives all its pairs.
  // Default: 64.
  size_t full_bucket = 64;
  // In a larger bucket (a passage shared by very many articles: site
  // chrome, a widely carried story, near-duplicates), its texts are put in
  // canonical order, and each pairs with the first `heads` of them (the
  // earliest and fullest, the likely canonicals of copy groups) and with
  // the `window` texts before it (copies published close together).
  // Defaults: 16 and 16.
  size_t heads = 16;
  size_t window = 16;
};

// What candidate generation did.
struct CandidateCounts {
  uint64_t buckets = 0;         // Buckets of at least two distinct texts.
  uint64_t capped_buckets = 0;  // Of those, larger than full_bucket.
  uint64_t largest_bucket = 0;  // Distinct texts of the largest bucket.
  uint64_t pairs = 0;           // Distinct pairs returned.
};

// Appends to `pairs` the candidate pairs of one bucket's distinct texts
// (`texts`, docs in any order, no repeats) as LshCandidatePairs takes
// them: all pairs of at most options.full_bucket texts, else each text
// with the heads and the window before it in the canonical order
// `before`. Counts the bucket in `counts`. Reorders `texts`.
void AppendBucketPairs(std::vector<uint32_t>* texts,
                       const std::function<bool(uint32_t, uint32_t)>& before,
                       const CandidateOptions& options,
                       std::vector<uint64_t>* pairs, CandidateCounts* counts);

// The pairs of texts that share an LSH bucket, as sorted distinct PairKeys
// of representatives. `representative[doc]` names the text each document
// of `lsh` stands for (its exact duplicates' representative, or itself);
// `rank[doc]` is a representative's place in canonical order (distinct
// among representatives). Every pair of a bucket of at most
// options.full_bucket distinct texts is returned; a larger bucket of m
// texts gives fewer than (heads + window) x m pairs. So at most
// max(full_bucket / 2, heads + window) x bands pairs are returned per
// text, and memory stays linear in the number of texts whatever the
// buckets (pairs are deduplicated as they grow).
// REQUIRES: representative and rank cover every document of `lsh`.
std::vector<uint64_t> LshCandidatePairs(
    const LshIndex& lsh, const std::vector<uint32_t>& representative,
    const std::vector<uint32_t>& rank, const CandidateOptions& options,
    CandidateCounts* counts);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_CANDIDATES_H_
