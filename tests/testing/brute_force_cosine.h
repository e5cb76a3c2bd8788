#ifndef SYNDEX_TESTS_TESTING_BRUTE_FORCE_COSINE_H_
#define SYNDEX_TESTS_TESTING_BRUTE_FORCE_COSINE_H_

// A deliberately naive nearest-neighbour search by inner product (cosine for
// unit vectors), for checking the vector store against.

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace syndex {

// One neighbour: its id and inner product with the query.
struct BruteForceHit {
  int64_t id;
  double score;
};

// Inner product of two `dims`-dimensional vectors, accumulated in double.
inline double BruteForceDot(const float* a, const float* b, int dims) {
  double sum = 0;
  for (int i = 0; i < dims; ++i) sum += double{a[i]} * b[i];
  return sum;
}

// The `k` vectors of `base` (n x dims, row-major) with the highest inner
// product with `query`, best first; ties broken by lower id.
inline std::vector<BruteForceHit> BruteForceTopK(const std::vector<float>& base,
                                                 int dims, const float* query,
                                                 int k) {
  const int64_t n = static_cast<int64_t>(base.size()) / dims;
  std::vector<BruteForceHit> hits;
  hits.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    hits.push_back({i, BruteForceDot(&base[i * dims], query, dims)});
  }
  const size_t top = std::min<size_t>(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + top, hits.end(),
                    [](const BruteForceHit& a, const BruteForceHit& b) {
                      return a.score != b.score ? a.score > b.score
                                                : a.id < b.id;
                    });
  hits.resize(top);
  return hits;
}

}  // namespace syndex

#endif  // SYNDEX_TESTS_TESTING_BRUTE_FORCE_COSINE_H_
