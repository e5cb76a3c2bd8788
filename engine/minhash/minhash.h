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
// where a_i, b_i and c_i are 64-bit values from SplitMix64(seed) in the order
// a_0, b_0, c_0, a_1, ... (docs/format.md). This is the strongly universal
// multiply-shift hashing of the vector (lo, hi) (Thorup, "High Speed Hashing
// for Integers and Strings", 2015). The multipliers must be full 64-bit: with
// 32-bit multipliers the products never wrap, h_i is then a plain linear
// function of (lo, hi), and the estimates err several times more than
// sampling allows. Shingles are expected to be hashes (uniform-looking
// values); on structured input such as runs of consecutive integers the
// estimates are biased.
//
// Signature value i is the minimum of h_i over the set; an empty set has
// every value 0xFFFFFFFF. The arithmetic is exact integer arithmetic, so the
// AVX2 path (picked at run time when the CPU has AVX2) gives bit-identical
// results to the scalar path, which is used otherwise. (Baseline SSE2 lacks
// the 32-bit products and unsigned minimum that would make a vector path
// there faster than the scalar one.)
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

  // The scalar reference path (what Sign runs without AVX2).
  void SignScalar(const uint64_t* shingles, size_t n, uint32_t* out) const;

  // True if Sign uses the AVX2 path on this CPU.
  bool UsesAvx2() const { return use_avx2_; }

 private:
  void SignAvx2(const uint64_t* shingles, size_t n, uint32_t* out) const;

  int num_perm_;
  uint64_t seed_;
  bool use_avx2_;
  std::vector<uint64_t> a_, b_, c_;  // In permutation order.
  // a_, b_, c_ reordered for the AVX2 path: in each block of 8 permutations
  // the even ones come first, then the odd ones, so that the high halves of
  // two 4 x u64 vectors blend into 8 consecutive u32 values.
  std::vector<uint64_t> a_avx_, b_avx_, c_avx_;
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
