#include "engine/relations/cluster.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

// The textbook O(n^3) average linkage over a dense similarity matrix, with
// the same tie-break (largest similarity, then smallest pair of cluster min
// ids): the reference for AverageLinkage.
std::vector<uint32_t> NaiveAverageLinkage(
    size_t n, const std::vector<WeightedEdge>& edges, double threshold) {
  std::vector<std::vector<double>> sim(n, std::vector<double>(n, 0));
  for (const auto& e : edges) {
    if (e.a == e.b) continue;
    sim[e.a][e.b] = std::max<double>(sim[e.a][e.b], e.weight);
    sim[e.b][e.a] = sim[e.a][e.b];
  }
  std::vector<std::vector<uint32_t>> clusters;
  for (uint32_t i = 0; i < n; ++i) clusters.push_back({i});
  for (;;) {
    double best = -1;
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < clusters.size(); ++i) {
      for (size_t j = i + 1; j < clusters.size(); ++j) {
        double sum = 0;
        for (uint32_t x : clusters[i])
          for (uint32_t y : clusters[j]) sum += sim[x][y];
        const double s = sum / (clusters[i].size() * clusters[j].size());
        // Clusters are kept ordered by min id, so (i, j) order is the
        // tie-break order.
        if (s > best) {
          best = s;
          bi = i;
          bj = j;
        }
      }
    }
    if (best < threshold || clusters.size() < 2) break;
    clusters[bi].insert(clusters[bi].end(), clusters[bj].begin(),
                        clusters[bj].end());
    clusters.erase(clusters.begin() + bj);
  }
  std::vector<uint32_t> labels(n);
  for (const auto& c : clusters) {
    const uint32_t m = *std::min_element(c.begin(), c.end());
    for (uint32_t x : c) labels[x] = m;
  }
  return labels;
}

TEST(UnionFindTest, JoinsSets) {
  UnionFind uf(5);
  EXPECT_TRUE(uf.Union(0, 1));
  EXPECT_TRUE(uf.Union(3, 4));
  EXPECT_FALSE(uf.Union(1, 0));
  EXPECT_EQ(uf.Find(0), uf.Find(1));
  EXPECT_NE(uf.Find(0), uf.Find(3));
  EXPECT_NE(uf.Find(2), uf.Find(4));
}

TEST(AverageLinkageTest, MatchesNaiveOracleOnRandomGraphs) {
  SplitMix64 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 2 + rng.Next() % 14;
    std::vector<WeightedEdge> edges;
    const int m = static_cast<int>(rng.Next() % (n * 3));
    for (int i = 0; i < m; ++i) {
      // Weights are multiples of 1/8, so every sum is exact in both
      // implementations and ties break the same way.
      edges.push_back({static_cast<uint32_t>(rng.Next() % n),
                       static_cast<uint32_t>(rng.Next() % n),
                       static_cast<float>(1 + rng.Next() % 8) / 8});
    }
    const double threshold = (1 + rng.Next() % 6) / 8.0;
    EXPECT_EQ(AverageLinkage(n, edges, threshold),
              NaiveAverageLinkage(n, edges, threshold))
        << "trial " << trial;
  }
}

TEST(AverageLinkageTest, OneBridgeDoesNotChainTwoCliques) {
  // Two cliques of 5 with strong inner edges and one bridge well above the
  // threshold: single link would merge them; average link must not.
  std::vector<WeightedEdge> edges;
  for (uint32_t base : {0u, 5u}) {
    for (uint32_t i = 0; i < 5; ++i)
      for (uint32_t j = i + 1; j < 5; ++j)
        edges.push_back({base + i, base + j, 0.8f});
  }
  edges.push_back({4, 5, 0.7f});
  const auto labels = AverageLinkage(10, edges, 0.3);
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(labels[i], 0u);
  for (uint32_t i = 5; i < 10; ++i) EXPECT_EQ(labels[i], 5u);
}

TEST(AverageLinkageTest, NoEdgesMeansSingletons) {
  const auto labels = AverageLinkage(3, {}, 0.1);
  EXPECT_EQ(labels, (std::vector<uint32_t>{0, 1, 2}));
}

}  // namespace
}  // namespace syndex
