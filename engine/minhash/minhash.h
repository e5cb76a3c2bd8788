#ifndef SYNDEX_ENGINE_MINHASH_MINHASH_H_
#define SYNDEX_ENGINE_MINHASH_MINHASH_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/util/cpu.h"
#include "engine/util/hash.h"

namespace syndex {

// MinHash signatures of sets of 64-bit shingle hashes, by one permutation
// hashing with optimal densification (Shrivastava, "Optimal Densification
// for Fast and Accurate Minwise Hashing", ICML 2017). The scheme below is
// part of the on-disk format (docs/format.md): changing any detail changes
// every stored signature.
//
// Let k = num_perm, key and probe_key the first and second values of
// SplitMix64(seed), and Bin(r) = floor(r * k / 2^32) for a 32-bit r (all
// arithmetic on unsigned 64-bit integers).
//
//  1. Each shingle x is hashed once, h = Mix64(x ^ key). It falls into bin
//     Bin(h >> 32) with value h mod 2^32 (the low 32 bits). Value i of the
//     signature is the minimum value of the shingles in bin i.
//  2. An empty set has every value 0xFFFFFFFF.
//  3. Otherwise each bin i that no shingle fell into takes the value of the
//     first bin that one did among the probes: for t = 1, 2, ..., 1024 the
//     bin Bin(Mix64(probe_key ^ (i << 32 | t)) >> 32); then, if none of those
//     was filled, bins i + 1, i + 2, ... (mod k). Only bins filled in step 1
//     are sources.
//
// The probe sequence of a bin depends only on (seed, k, i), never on the
// set, so for any two sets A and B value i agrees exactly when the minimum of
// A u B in the first probed bin that A u B fills belongs to A n B (barring
// 32-bit ties): the probability of agreement is the Jaccard similarity, as
// for k independent permutations, while each shingle costs one hash instead
// of k. Shingles are expected to be hashes (uniform-looking values); Mix64
// keeps structured input such as runs of consecutive integers from falling
// into few bins.
//
// Values of different positions are not independent: with fewer shingles
// than bins, empty bins copy values of filled ones.
//
// The computation is exact integer arithmetic, so the results are identical
// everywhere; the AVX2 path hashes four shingles at a time and gives the same
// values as the portable one. Thread-safe after construction.
class MinHasher {
 public:
  // REQUIRES: num_perm > 0, Supports(simd).
  MinHasher(int num_perm, uint64_t seed, SimdLevel simd = BestSimdLevel());

  int num_perm() const { return num_perm_; }
  uint64_t seed() const { return seed_; }

  // Writes num_perm() values to `out`, the signature of the set of the `n`
  // values at `shingles` (order and repeats are irrelevant).
  void Sign(const uint64_t* shingles, size_t n, uint32_t* out) const;
  std::vector<uint32_t> Sign(const std::vector<uint64_t>& shingles) const;

 private:
  // Steps 2 and 3 of the scheme: `out` from the bin minima of a non-empty
  // set (kept in 64 bits, 2^32 marking a bin no shingle fell into).
  void Densify(const uint64_t* mins, uint32_t* out) const;

  int num_perm_;
  uint64_t seed_;
  uint64_t key_;        // Mixed into every shingle before hashing.
  uint64_t probe_key_;  // Seeds the densification probes.
  SimdLevel simd_;
};

// The fraction of equal positions of two signatures of `num_perm` values: an
// unbiased estimate of the Jaccard similarity of the two sets. Two empty
// sets' signatures (every value 0xFFFFFFFF) are defined to have similarity 0.
double EstimateJaccard(const uint32_t* a, const uint32_t* b, int num_perm);

// From a Jaccard estimate and the two set sizes, the estimated containment of
// A in B, |A n B| / |A| = J (|A| + |B|) / ((1 + J) |A|), clamped to [0, 1].
// Zero when |A| is zero.
double EstimateContainment(double jaccard, uint32_t size_a, uint32_t size_b);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_MINHASH_MINHASH_H_
