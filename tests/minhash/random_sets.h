#ifndef SYNDEX_TESTS_MINHASH_RANDOM_SETS_H_
#define SYNDEX_TESTS_MINHASH_RANDOM_SETS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/util/hash.h"

namespace syndex {

// A sorted set of `size` random 64-bit values.
inline std::vector<uint64_t> RandomSet(SplitMix64& rng, size_t size) {
  std::vector<uint64_t> set;
  while (set.size() < size) {
    for (size_t i = set.size(); i < size; ++i) set.push_back(rng.Next());
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  return set;
}

// A set B of the size of `a` with ExactJaccard(a, B) close to `jaccard`:
// keeps s = 2|a|J / (1 + J) elements of `a` and adds fresh ones.
inline std::vector<uint64_t> Variant(SplitMix64& rng,
                                     const std::vector<uint64_t>& a,
                                     double jaccard) {
  const size_t keep = static_cast<size_t>(
      std::lround(2.0 * a.size() * jaccard / (1.0 + jaccard)));
  std::vector<uint64_t> b = a;
  for (size_t i = b.size() - 1; i > 0; --i) {  // Fisher-Yates.
    std::swap(b[i], b[rng.Next() % (i + 1)]);
  }
  b.resize(std::min(keep, b.size()));
  std::vector<uint64_t> fresh = RandomSet(rng, a.size() - b.size());
  b.insert(b.end(), fresh.begin(), fresh.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

}  // namespace syndex

#endif  // SYNDEX_TESTS_MINHASH_RANDOM_SETS_H_
