#ifndef SYNDEX_ENGINE_RELATIONS_CLUSTER_H_
#define SYNDEX_ENGINE_RELATIONS_CLUSTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace syndex {

// Disjoint sets over 0..n-1 with path halving and union by size.
// Thread-compatible.
class UnionFind {
 public:
  explicit UnionFind(size_t n);
  uint32_t Find(uint32_t x);
  // Returns true if x and y were in different sets.
  bool Union(uint32_t x, uint32_t y);
  size_t size() const { return parent_.size(); }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

// An undirected edge of a sparse similarity graph.
struct WeightedEdge {
  uint32_t a;
  uint32_t b;
  float weight;  // Similarity in [0, 1].
};

// Average-linkage agglomerative clustering of nodes 0..n-1 over a sparse
// similarity graph. The similarity of two clusters is the sum of the weights
// of the edges between them divided by the product of their sizes: pairs
// without an edge count as similarity 0. Repeatedly merges the two most
// similar clusters while that similarity is at least `threshold`.
//
// Unlike single link, one strong edge cannot chain two large clusters: a
// merge needs strong similarity on average over all member pairs. Duplicate
// edges between the same pair are combined by taking the largest weight;
// self-loops are ignored. Ties are broken by the smallest node ids, so the
// result is deterministic.
//
// Returns for each node the smallest node id of its cluster.
// Cost: O(E log E) with E edges, using per-cluster neighbour maps merged
// smaller into larger.
std::vector<uint32_t> AverageLinkage(size_t n, std::vector<WeightedEdge> edges,
                                     double threshold);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_RELATIONS_CLUSTER_H_
