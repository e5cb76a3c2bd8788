#include "engine/clustering/copy_groups.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace syndex {

CopyGroups PlaceCopyGroups(size_t n, const std::vector<uint32_t>& order,
                           std::vector<CopyLink> links) {
  constexpr uint32_t kUnplaced = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> rank(n, kUnplaced);
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  // Each link oriented from its later article (b) to its earlier one (a),
  // sorted by the later article's place.
  std::erase_if(links, [&](const CopyLink& l) {
    return !IsCopy(l.relation) || l.a == l.b || rank[l.a] == kUnplaced ||
           rank[l.b] == kUnplaced;
  });
  for (CopyLink& l : links) {
    if (rank[l.a] > rank[l.b]) std::swap(l.a, l.b);
  }
  std::sort(links.begin(), links.end(),
            [&](const CopyLink& x, const CopyLink& y) {
              return rank[x.b] < rank[y.b];
            });

  CopyGroups groups;
  groups.canonical.resize(n);
  groups.via.resize(n);
  groups.link.assign(n, Relation::kNone);
  for (uint32_t i = 0; i < n; ++i) groups.canonical[i] = groups.via[i] = i;
  std::vector<uint8_t> depth(n, 0);  // 0: canonical, 1: direct, 2: via one.
  auto better = [&](const CopyLink& x, const CopyLink& y) {
    return std::make_tuple(x.relation, x.jaccard, -int64_t{rank[x.a]}) >
           std::make_tuple(y.relation, y.jaccard, -int64_t{rank[y.a]});
  };
  size_t next = 0;
  for (uint32_t doc : order) {
    const CopyLink* best = nullptr;
    for (; next < links.size() && links[next].b == doc; ++next) {
      const CopyLink& l = links[next];
      if (depth[l.a] <= 1 && (best == nullptr || better(l, *best))) best = &l;
    }
    if (best == nullptr) continue;  // Its own group.
    groups.canonical[doc] = groups.canonical[best->a];
    groups.via[doc] = best->a;
    groups.link[doc] = best->relation;
    depth[doc] = depth[best->a] + 1;
  }
  return groups;
}

}  // namespace syndex
