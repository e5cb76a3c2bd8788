#ifndef SYNDEX_ENGINE_CLUSTERING_FULL_COPIES_H_
#define SYNDEX_ENGINE_CLUSTERING_FULL_COPIES_H_

// The canonical article of a copy group is its earliest full copy, and the
// relation each member reports against it. Shared by the index's
// clustering (clustering.cc) and the distributed one (engine/scale_out.h),
// which calls it on the articles of one connected component at a time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/clustering/copy_groups.h"
#include "engine/relations/relation.h"
#include "engine/syndex.h"

namespace syndex {

// The stored metadata of article `doc`.
using ArticleOf = std::function<const ArticleInfo&(uint32_t doc)>;
// The scores of article `a` (as A) against `b` (as B), with their TF-IDF
// cosine.
using PairScorer = std::function<PairScores(uint32_t a, uint32_t b)>;

// Where a group's first article in `order` (the texts, in canonical order)
// is a truncation of members linked to it, the earliest of those members
// that is not itself a truncation of the fullest of them is placed first
// instead. Returns the order to place the texts in (PlaceCopyGroups), and
// appends to `links` the copy links of each promoted article with every
// member of its group, decided from the pair itself. `groups` are the
// groups placed in `order`; docs are below n.
std::vector<uint32_t> PromoteFullCopies(
    size_t n, const std::vector<uint32_t>& order, const CopyGroups& groups,
    const ArticleOf& article, const PairScorer& score,
    const RelationOptions& relations, std::vector<CopyLink>* links);

// The relation a member reports against its canonical article: that of
// their scores if a copy, else `joined_by`, the link it joined through.
Relation MemberRelation(const PairScores& scores, Relation joined_by,
                        const RelationOptions& relations);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_FULL_COPIES_H_
