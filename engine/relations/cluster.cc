#include "engine/relations/cluster.h"

#include <algorithm>
#include <numeric>
#include <queue>
#include <tuple>

#include "absl/container/flat_hash_map.h"

namespace syndex {

UnionFind::UnionFind(size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

uint32_t UnionFind::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool UnionFind::Union(uint32_t x, uint32_t y) {
  x = Find(x);
  y = Find(y);
  if (x == y) return false;
  if (size_[x] < size_[y]) std::swap(x, y);
  parent_[y] = x;
  size_[x] += size_[y];
  return true;
}

namespace {

// Sorts edges by (a, b) with a < b, keeps the largest weight of each pair and
// drops self-loops.
std::vector<WeightedEdge> CanonicalEdges(std::vector<WeightedEdge> edges) {
  for (auto& e : edges) {
    if (e.a > e.b) std::swap(e.a, e.b);
  }
  std::sort(edges.begin(), edges.end(), [](const auto& x, const auto& y) {
    return std::tie(x.a, x.b, y.weight) < std::tie(y.a, y.b, x.weight);
  });
  std::vector<WeightedEdge> out;
  out.reserve(edges.size());
  for (const auto& e : edges) {
    if (e.a == e.b) continue;
    if (!out.empty() && out.back().a == e.a && out.back().b == e.b) continue;
    out.push_back(e);
  }
  return out;
}

// The agglomeration state. Clusters are named by a surviving node id.
class Agglomerator {
 public:
  Agglomerator(size_t n, const std::vector<WeightedEdge>& edges,
               double threshold)
      : threshold_(threshold),
        size_(n, 1),
        min_id_(n),
        version_(n, 0),
        alive_(n, true),
        neighbours_(n),
        merged_(n) {
    std::iota(min_id_.begin(), min_id_.end(), 0u);
    for (const auto& e : edges) {
      neighbours_[e.a][e.b] = e.weight;
      neighbours_[e.b][e.a] = e.weight;
      Push(e.a, e.b, e.weight);
    }
  }

  void Run() {
    while (!heap_.empty()) {
      const Candidate c = heap_.top();
      heap_.pop();
      if (!alive_[c.a] || !alive_[c.b] || version_[c.a] != c.version_a ||
          version_[c.b] != c.version_b) {
        continue;
      }
      Merge(c.a, c.b);
    }
  }

  std::vector<uint32_t> Labels() {
    // The union-find root need not be the surviving cluster, so take the
    // smallest member per root directly.
    const uint32_t n = static_cast<uint32_t>(size_.size());
    std::vector<uint32_t> smallest(n, n);
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t& m = smallest[merged_.Find(i)];
      m = std::min(m, i);
    }
    std::vector<uint32_t> labels(n);
    for (uint32_t i = 0; i < n; ++i) labels[i] = smallest[merged_.Find(i)];
    return labels;
  }

 private:
  struct Candidate {
    double similarity;
    uint32_t a, b;  // a < b by min_id_ at push time.
    uint32_t version_a, version_b;
    uint32_t key_a, key_b;  // min ids, for deterministic ties.
    bool operator<(const Candidate& o) const {
      if (similarity != o.similarity) return similarity < o.similarity;
      return std::tie(key_a, key_b) > std::tie(o.key_a, o.key_b);
    }
  };

  void Push(uint32_t x, uint32_t y, double sum) {
    const double similarity =
        sum / (static_cast<double>(size_[x]) * static_cast<double>(size_[y]));
    if (similarity < threshold_) return;
    uint32_t kx = min_id_[x], ky = min_id_[y];
    if (kx > ky) {
      std::swap(x, y);
      std::swap(kx, ky);
    }
    heap_.push({similarity, x, y, version_[x], version_[y], kx, ky});
  }

  // Merges the smaller neighbour map into the larger; the owner of the
  // larger map survives.
  void Merge(uint32_t x, uint32_t y) {
    if (neighbours_[x].size() < neighbours_[y].size()) std::swap(x, y);
    auto& into = neighbours_[x];
    into.erase(y);
    for (const auto& [z, sum] : neighbours_[y]) {
      if (z == x) continue;
      into[z] += sum;
      auto& other = neighbours_[z];
      other.erase(y);
      other[x] += sum;
    }
    neighbours_[y] = {};
    alive_[y] = false;
    size_[x] += size_[y];
    min_id_[x] = std::min(min_id_[x], min_id_[y]);
    merged_.Union(x, y);
    ++version_[x];
    for (const auto& [z, sum] : into) Push(x, z, sum);
  }

  double threshold_;
  std::vector<uint32_t> size_;
  std::vector<uint32_t> min_id_;
  std::vector<uint32_t> version_;
  std::vector<bool> alive_;
  std::vector<absl::flat_hash_map<uint32_t, double>> neighbours_;
  UnionFind merged_;
  std::priority_queue<Candidate> heap_;
};

}  // namespace

std::vector<uint32_t> AverageLinkage(size_t n, std::vector<WeightedEdge> edges,
                                     double threshold) {
  Agglomerator agglomerator(n, CanonicalEdges(std::move(edges)), threshold);
  agglomerator.Run();
  return agglomerator.Labels();
}

}  // namespace syndex
