#ifndef SYNDEX_TESTS_TESTING_EXACT_JACCARD_H_
#define SYNDEX_TESTS_TESTING_EXACT_JACCARD_H_

// Deliberately naive reference implementations of set similarity, for
// checking the sketches and indexes against.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace syndex {

// |A n B| of two sorted vectors without duplicates.
inline size_t ExactIntersectionSize(const std::vector<uint64_t>& a,
                                    const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

// |A n B| / |A u B| of two sorted vectors without duplicates; 0 when both
// are empty (the convention of EstimateJaccard).
inline double ExactJaccard(const std::vector<uint64_t>& a,
                           const std::vector<uint64_t>& b) {
  const size_t common = ExactIntersectionSize(a, b);
  const size_t uni = a.size() + b.size() - common;
  return uni == 0 ? 0.0 : static_cast<double>(common) / uni;
}

// |A n B| / |A|; 0 when A is empty.
inline double ExactContainment(const std::vector<uint64_t>& a,
                               const std::vector<uint64_t>& b) {
  if (a.empty()) return 0.0;
  return static_cast<double>(ExactIntersectionSize(a, b)) / a.size();
}

// Every pair (i, j), i < j, of `sets` (each sorted, without duplicates) with
// ExactJaccard >= threshold, in lexicographic order. Quadratic by design.
inline std::vector<std::pair<uint32_t, uint32_t>> ExactPairsAtLeast(
    const std::vector<std::vector<uint64_t>>& sets, double threshold) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (size_t i = 0; i < sets.size(); ++i) {
    for (size_t j = i + 1; j < sets.size(); ++j) {
      if (ExactJaccard(sets[i], sets[j]) >= threshold) {
        pairs.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
      }
    }
  }
  return pairs;
}

}  // namespace syndex

#endif  // SYNDEX_TESTS_TESTING_EXACT_JACCARD_H_
