#ifndef SYNDEX_ENGINE_CLUSTERING_COPY_GROUPS_H_
#define SYNDEX_ENGINE_CLUSTERING_COPY_GROUPS_H_

// Copy groups without chains: each group is a star of depth at most two
// around its canonical article, so that a chain of weak links never joins
// two different texts.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/relations/relation.h"

namespace syndex {

// A verified copy relation between two articles, decided from the pair
// itself.
struct CopyLink {
  uint32_t a = 0;
  uint32_t b = 0;
  Relation relation = Relation::kNone;  // kExact, kSyndicated or kPartial.
  float jaccard = 0;                    // Breaks ties between links.
};

// The copy group of every article.
struct CopyGroups {
  // The group's canonical article, per doc (itself for a canonical).
  std::vector<uint32_t> canonical;
  // The article it joined through: its canonical, or a member linked to
  // the canonical directly; itself for a canonical.
  std::vector<uint32_t> via;
  // The relation of its link to `via` (kNone for a canonical).
  std::vector<Relation> link;
};

// Places the articles of `order` (distinct docs below n, in canonical
// order) one by one. Each joins the group of the best article placed
// before it that it has a link with and that is a group's canonical or a
// member linked to its canonical directly; the best link has the strongest
// relation, then the highest Jaccard, then the earlier article. An article
// without such a link starts its own group and is its canonical. So every
// member of a group has a link with the canonical or with a member that
// has one, and the canonical is the group's first article in `order`.
// Docs below n that `order` leaves out are their own canonicals. Links
// with a doc outside `order`, or that are not copies, are ignored.
// Cost: O(n + L log L) for L links.
CopyGroups PlaceCopyGroups(size_t n, const std::vector<uint32_t>& order,
                           std::vector<CopyLink> links);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_COPY_GROUPS_H_
