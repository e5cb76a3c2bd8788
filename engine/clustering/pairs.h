#ifndef SYNDEX_ENGINE_CLUSTERING_PAIRS_H_
#define SYNDEX_ENGINE_CLUSTERING_PAIRS_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

namespace syndex {

// Marks a missing neighbour.
inline constexpr uint32_t kNoDoc = std::numeric_limits<uint32_t>::max();

// Pairs ahead of the one being scored whose second article is fetched
// into the cache (copy verification, story edges).
inline constexpr size_t kPairsAhead = 4;

// A pair of docs as one sortable key, the smaller doc first: a << 32 | b.
inline uint64_t PairKey(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_PAIRS_H_
