#ifndef SYNDEX_ENGINE_MINHASH_MINHASH_H_
#define SYNDEX_ENGINE_MINHASH_MINHASH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/util/hash.h"

namespace syndex {

// MinHash signatures of sets of 64-bit shingle hashes.
//
// Permutation i maps shingle x (lo = low 32 bits, hi = high 32 bits) to
//   h_i(x) = (a_i * lo + b_i * hi + c_i) mod 2^64, keeping the high 32 bits,
// where a_i, b_i (odd, 32-bit) and c_i (64-bit) come from SplitMix64(seed)
// in the order a_0, b_0, c_0, a_1, ... (docs/format.md). Signature value i
// is the minimum of h_i over the set; an empty set has every value
// 0xFFFFFFFF. The arithmetic is exact integer arithmetic, so the vectorized
// paths (picked at run time by CPU feature) give bit-identical results to the
// scalar path.
//
// Thread-safe after construction.
class MinHasher {
 public:
  // REQUIRES: num_perm > 0 and a multiple of 8.
  MinHasher(int num_perm, uint64_t seed);

  int num_perm() const { return num_perm_; }
  uint64_t seed() const { return seed_; }

  // Writes num_perm() values to `out`.
  void Sign(const uint64_t* shingles, size_t n, uint32_t* out) const;
  std::vector<uint32_t> Sign(const std::vector<uint64_t>& shingles) const;

  // The scalar reference path, for tests.
  void SignScalar(const uint64_t* shingles, size_t n, uint32_t* out) const;

 private:
  int num_perm_;
  uint64_t seed_;
  std::vector<uint64_t> a_, b_, c_;  // a_, b_ hold 32-bit values.
};

// The fraction of equal positions of two signatures of `num_perm` values: an
// unbiased estimate of the Jaccard similarity of the two sets. Two empty
// sets' signatures are defined to have similarity 0.
double EstimateJaccard(const uint32_t* a, const uint32_t* b, int num_perm);

// From a Jaccard estimate and the two set sizes, the estimated containment of
// A in B, |A n B| / |A| = J (|A| + |B|) / ((1 + J) |A|), clamped to [0, 1].
// Zero when |A| is zero.
double EstimateContainment(double jaccard, uint32_t size_a, uint32_t size_b);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_MINHASH_MINHASH_H_
