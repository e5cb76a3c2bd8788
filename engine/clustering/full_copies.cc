#include "engine/clustering/full_copies.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "engine/clustering/clustering.h"
#include "engine/clustering/pairs.h"

namespace syndex {
namespace {

// True if `a` is a truncation of `b`: b contains it (Decide's containment
// rule) and a has fewer than partial_size_ratio times b's shingles.
bool TruncationOf(const ArticleOf& article, const PairScorer& score, uint32_t a,
                  uint32_t b, const RelationOptions& relations) {
  const uint32_t sa = article(a).shingles;
  const uint32_t sb = article(b).shingles;
  if (sa >= relations.partial_size_ratio * sb) return false;
  return Decide(score(a, b), relations).rule == Rule::kContainment;
}

}  // namespace

std::vector<uint32_t> PromoteFullCopies(
    size_t n, const std::vector<uint32_t>& order, const CopyGroups& groups,
    const ArticleOf& article, const PairScorer& score,
    const RelationOptions& relations, std::vector<CopyLink>* links) {
  // The direct members that contain their canonical, by canonical.
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> fuller;
  for (uint32_t doc : order) {
    const uint32_t c = groups.canonical[doc];
    if (doc != c && groups.via[doc] == c &&
        groups.link[doc] == Relation::kPartial &&
        TruncationOf(article, score, c, doc, relations)) {
      fuller[c].push_back(doc);
    }
  }
  if (fuller.empty()) return order;
  std::vector<uint32_t> promoted(n, kNoDoc);  // By canonical.
  std::vector<char> moved(n, 0);
  auto before = [&](uint32_t a, uint32_t b) {
    return CanonicalBefore(article(a), article(b));
  };
  for (const auto& [c, docs] : fuller) {
    const uint32_t fullest = *std::max_element(
        docs.begin(), docs.end(), [&](uint32_t a, uint32_t b) {
          const uint32_t sa = article(a).shingles;
          const uint32_t sb = article(b).shingles;
          return sa != sb ? sa < sb : before(b, a);
        });
    uint32_t best = fullest;
    for (uint32_t d : docs) {
      if (before(d, best) &&
          !TruncationOf(article, score, d, fullest, relations)) {
        best = d;
      }
    }
    promoted[c] = best;
    moved[best] = 1;
  }
  RelationOptions joining = relations;
  joining.min_excerpt_shingles = std::numeric_limits<uint32_t>::max();
  for (uint32_t doc : order) {
    const uint32_t f = promoted[groups.canonical[doc]];
    if (f == kNoDoc || f == doc) continue;
    const PairScores scores = score(doc, f);
    const Relation r = Classify(scores, joining);
    if (IsCopy(r)) {
      links->push_back({doc, f, r, static_cast<float>(scores.jaccard)});
    }
  }
  std::vector<uint32_t> placed;
  placed.reserve(order.size());
  for (uint32_t doc : order) {
    if (moved[doc]) continue;
    if (promoted[doc] != kNoDoc) placed.push_back(promoted[doc]);
    placed.push_back(doc);
  }
  return placed;
}

Relation MemberRelation(const PairScores& scores, Relation joined_by,
                        const RelationOptions& relations) {
  const Relation r = Classify(scores, relations);
  return IsCopy(r) ? r : joined_by;
}

}  // namespace syndex
