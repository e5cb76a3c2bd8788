#ifndef SYNDEX_TESTS_MINHASH_REFERENCE_MINHASH_H_
#define SYNDEX_TESTS_MINHASH_REFERENCE_MINHASH_H_

// Deliberately naive reference implementations of two MinHash schemes, for
// checking MinHasher against and for comparing the schemes' accuracy
// (minhash_accuracy.cc). Neither shares code with engine/minhash.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/util/hash.h"

namespace syndex {

// k independent permutations (the scheme of syndex format 1): permutation i
// is h_i(x) = (a_i * lo + b_i * hi + c_i) mod 2^64, keeping the high 32 bits,
// with a_i, b_i, c_i from SplitMix64(seed) in the order a_0, b_0, c_0, a_1,
// ...; value i is the minimum of h_i over the set.
inline std::vector<uint32_t> ReferenceKPermSign(
    int num_perm, uint64_t seed, const std::vector<uint64_t>& set) {
  SplitMix64 rng(seed);
  std::vector<uint32_t> out(num_perm, 0xFFFFFFFFu);
  for (int i = 0; i < num_perm; ++i) {
    const uint64_t a = rng.Next(), b = rng.Next(), c = rng.Next();
    for (uint64_t x : set) {
      const uint64_t h = a * (x & 0xFFFFFFFFu) + b * (x >> 32) + c;
      if (static_cast<uint32_t>(h >> 32) < out[i]) out[i] = h >> 32;
    }
  }
  return out;
}

// The bin of `num_perm` bins for the 32-bit value `r`: floor(r * k / 2^32).
inline int ReferenceBin(uint64_t r, int num_perm) {
  return static_cast<int>((r * static_cast<uint64_t>(num_perm)) >> 32);
}

// One permutation hashing with optimal densification (Shrivastava, ICML
// 2017). key = first SplitMix64(seed) value, probe_key = second. Shingle x
// goes to bin ReferenceBin(h >> 32) with value h mod 2^32, h = Mix64(x ^
// key); each bin keeps its minimum value. An empty set gives all
// 0xFFFFFFFF. Otherwise each bin i that received no shingle takes the value
// of the first bin that did among: for t = 1..1024, bin ReferenceBin(r >>
// 32) with r = Mix64(probe_key ^ (i << 32 | t)); then bins i+1, i+2, ...
// (mod k).
inline std::vector<uint32_t> ReferenceOphSign(
    int num_perm, uint64_t seed, const std::vector<uint64_t>& set) {
  SplitMix64 rng(seed);
  const uint64_t key = rng.Next(), probe_key = rng.Next();
  std::vector<uint32_t> bins(num_perm, 0xFFFFFFFFu);
  std::vector<bool> filled(num_perm, false);
  for (uint64_t x : set) {
    const uint64_t h = Mix64(x ^ key);
    const int bin = ReferenceBin(h >> 32, num_perm);
    filled[bin] = true;
    if (static_cast<uint32_t>(h) < bins[bin])
      bins[bin] = static_cast<uint32_t>(h);
  }
  if (set.empty()) return bins;
  std::vector<uint32_t> out = bins;
  for (int i = 0; i < num_perm; ++i) {
    if (filled[i]) continue;
    int source = -1;
    for (uint64_t t = 1; t <= 1024 && source < 0; ++t) {
      const uint64_t r =
          Mix64(probe_key ^ (static_cast<uint64_t>(i) << 32 | t));
      const int j = ReferenceBin(r >> 32, num_perm);
      if (filled[j]) source = j;
    }
    for (int step = 1; source < 0; ++step) {
      const int j = (i + step) % num_perm;
      if (filled[j]) source = j;
    }
    out[i] = bins[source];
  }
  return out;
}

}  // namespace syndex

#endif  // SYNDEX_TESTS_MINHASH_REFERENCE_MINHASH_H_
