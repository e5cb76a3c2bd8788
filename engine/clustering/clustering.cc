// Copy groups: verified candidate pairs joined by union-find, with the
// canonical article of each group; then stories (stories.cc).

#include "engine/clustering/clustering.h"

#include <algorithm>
#include <limits>

#include "engine/clustering/pairs.h"
#include "engine/clustering/stories.h"
#include "engine/relations/cluster.h"
#include "engine/util/parallel.h"
#include "engine/util/progress.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Nearest neighbours searched per article beyond the story graph's: room
// for the copies that fill some of the first places.
constexpr int kExtraNeighbours = 5;
// Lists probed by the search for an article that is not its copy group's
// canonical article.
constexpr uint8_t kCopyProbes = 4;

// Candidate pairs with their copy relations.
struct CopyLinks {
  std::vector<uint64_t> pairs;     // Candidate pairs (a << 32 | b), a < b.
  std::vector<Relation> relation;  // The copy relation, else kNone.
  std::vector<char> excerpt;       // Partial only through an excerpt.
};

// For each root of `groups`, the group's canonical article (indexed by
// root; other entries are unspecified).
std::vector<uint32_t> Canonicals(const IndexCore& index, UnionFind& groups) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  std::vector<uint32_t> canonical(n, n);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t& c = canonical[groups.Find(i)];
    if (c == n || CanonicalBefore(index.article(i), index.article(c))) c = i;
  }
  return canonical;
}

// The pairs of articles that share an LSH bucket, sorted.
std::vector<uint64_t> LshPairs(const IndexCore& index) {
  std::vector<uint64_t> pairs;
  index.Lsh().ForEachCandidatePair(kMaxLshBucket, [&](uint32_t a, uint32_t b) {
    pairs.push_back(PairKey(a, b));
  });
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

// Classifies candidate `pairs` for the copy groups.
CopyLinks VerifyCopies(const IndexCore& index,
                       const std::vector<ScoringQuery>& queries,
                       std::vector<uint64_t> pairs,
                       const RelationOptions& relations) {
  // Copy groups join copies of one text: exact, syndicated, and partial
  // copies that lie mostly inside the other article. An excerpt (a shared
  // passage only) joins later, and only within a story: on real news,
  // shared background paragraphs would otherwise merge different stories.
  CopyLinks links;
  links.pairs = std::move(pairs);
  const size_t m = links.pairs.size();
  links.relation.resize(m);
  links.excerpt.assign(m, 0);
  RelationOptions joining = relations;
  joining.min_excerpt_shingles = std::numeric_limits<uint32_t>::max();
  StageProgress progress(index.options().progress, "verify", m);
  ParallelFor(m, index.threads(), kGrain, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      if (i + kPairsAhead < e) {
        index.PrefetchSignatures(
            static_cast<uint32_t>(links.pairs[i + kPairsAhead]));
      }
      const uint32_t x = links.pairs[i] >> 32;
      const uint32_t y = static_cast<uint32_t>(links.pairs[i]);
      // A cosine can only stop a copy by characters, so it is computed for
      // the pairs that are copies without it.
      PairScores scores = index.Score(queries[x], y, SparseView());
      if (!IsCopy(Classify(scores, relations))) continue;
      scores.cosine = Dot(queries[x].weighted, queries[y].weighted);
      links.relation[i] = Classify(scores, joining);
      links.excerpt[i] = !IsCopy(links.relation[i]) &&
                         Classify(scores, relations) == Relation::kPartial;
    }
    progress.Add(e - b);
  });
  return links;
}

// The `k` nearest of `canonicals` to every article, n x k docs, best first
// (kNoDoc where fewer were found; VectorStore::SearchStored).
// REQUIRES: k <= canonicals.size().
absl::StatusOr<std::vector<uint32_t>> NearestCanonicals(
    const IndexCore& index, const std::vector<uint32_t>& canonicals, int k) {
  const VectorStore& vectors = *index.vectors();
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<VectorStore> store,
                          vectors.Subset(canonicals));
  const size_t n = index.size();
  std::vector<float> scores(n * k);
  std::vector<int64_t> ids(n * k);
  // Canonical articles look for the story graph's edges among all the
  // lists probed; the other members of a copy group only for copies their
  // canonical article may lack, which lie close to them.
  std::vector<uint8_t> probes(n, kCopyProbes);
  for (uint32_t doc : canonicals) {
    probes[doc] = std::numeric_limits<uint8_t>::max();  // All nprobe lists.
  }
  SYNDEX_RETURN_IF_ERROR(
      store->SearchStored(vectors, k, probes, scores.data(), ids.data()));
  std::vector<uint32_t> nearest(n * k, kNoDoc);
  for (size_t i = 0; i < nearest.size(); ++i) {
    if (ids[i] >= 0) nearest[i] = canonicals[ids[i]];
  }
  return nearest;
}

}  // namespace

// The order that picks canonical articles: earliest `published` (articles
// without one come last), then the most shingles (the fullest copy), then
// the smallest id.
bool CanonicalBefore(const ArticleInfo& a, const ArticleInfo& b) {
  const int64_t ta = a.published.value_or(std::numeric_limits<int64_t>::max());
  const int64_t tb = b.published.value_or(std::numeric_limits<int64_t>::max());
  if (ta != tb) return ta < tb;
  if (a.shingles != b.shingles) return a.shingles > b.shingles;
  return a.id < b.id;
}

// The entries of every article from its copy group's canonical article,
// its story label and its strongest copy link.
std::vector<ClusterEntry> Entries(const IndexCore& index,
                                  const std::vector<ScoringQuery>& queries,
                                  const std::vector<uint32_t>& copy_group,
                                  const std::vector<uint32_t>& story,
                                  const std::vector<Relation>& best_copy,
                                  const RelationOptions& relations) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  // The first article of each story: the canonical-order minimum.
  std::vector<uint32_t> story_first(n, n);
  std::vector<uint32_t> group_size(n, 0), story_size(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t& f = story_first[story[i]];
    if (f == n || CanonicalBefore(index.article(i), index.article(f))) f = i;
    ++group_size[copy_group[i]];
    ++story_size[story[i]];
  }
  std::vector<ClusterEntry> entries(n);
  ParallelFor(n, index.threads(), kGrain, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      ClusterEntry& entry = entries[i];
      entry.doc = i;
      entry.copy_group = copy_group[i];
      entry.story = story_first[story[i]];
      entry.copy_group_size = group_size[copy_group[i]];
      entry.story_size = story_size[story[i]];
      if (entry.copy_group == i) continue;
      entry.scores = index.Score(queries[i], entry.copy_group,
                                 queries[entry.copy_group].weighted);
      entry.relation = Classify(entry.scores, relations);
      // Joined through a chain of copies: report the article's strongest
      // copy link instead.
      if (!IsCopy(entry.relation)) entry.relation = best_copy[i];
    }
  });
  return entries;
}

absl::StatusOr<std::vector<ClusterEntry>> ClusterIndex(
    const IndexCore& index, const ClusterOptions& options) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  if (n == 0) return std::vector<ClusterEntry>();

  // Stage 1: copy groups, from the pairs that share an LSH bucket, then
  // from every article's nearest canonical articles of those groups. That
  // one vector search finds the copies LSH misses (OCR noise, excerpts,
  // partial copies) and the candidate edges of the story graph. Queries
  // view the stored vectors and precomputed weights.
  const std::vector<const float*> dense = index.vectors()->Vectors();
  const std::vector<float> weights = index.AllWeights();
  const std::vector<ScoringQuery> queries =
      index.AllQueries(dense, weights);
  UnionFind groups(n);
  std::vector<Relation> best_copy(n, Relation::kNone);
  auto join = [&](uint64_t pair, Relation r) {
    const uint32_t x = pair >> 32;
    const uint32_t y = static_cast<uint32_t>(pair);
    best_copy[x] = std::max(best_copy[x], r);
    best_copy[y] = std::max(best_copy[y], r);
    return groups.Union(x, y);
  };
  auto join_copies = [&](const CopyLinks& links) {
    for (size_t i = 0; i < links.pairs.size(); ++i) {
      if (IsCopy(links.relation[i])) join(links.pairs[i], links.relation[i]);
    }
  };
  const CopyLinks lsh_links =
      VerifyCopies(index, queries, LshPairs(index), options.relations);
  join_copies(lsh_links);
  std::vector<uint32_t> canonical = Canonicals(index, groups);
  std::vector<uint32_t> canonicals;
  for (uint32_t i = 0; i < n; ++i) {
    if (canonical[groups.Find(i)] == i) canonicals.push_back(i);
  }
  const int k = static_cast<int>(std::min<size_t>(
      options.neighbours + 1 + kExtraNeighbours, canonicals.size()));
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint32_t> nearest,
                          NearestCanonicals(index, canonicals, k));
  std::vector<uint64_t> near;
  for (size_t i = 0; i < nearest.size(); ++i) {
    const uint32_t doc = i / k;
    if (nearest[i] != kNoDoc && nearest[i] != doc) {
      near.push_back(PairKey(doc, nearest[i]));
    }
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  const CopyLinks near_links =
      options.lsh_copies_only
          ? CopyLinks()
          : VerifyCopies(index, queries, std::move(near), options.relations);
  join_copies(near_links);
  canonical = Canonicals(index, groups);
  std::vector<uint32_t> group_of(n);
  for (uint32_t i = 0; i < n; ++i) group_of[i] = canonical[groups.Find(i)];

  // Stage 2: stories over the copy groups' canonical articles.
  const std::vector<uint32_t> label =
      StoryLabels(index, queries, nearest, k, group_of, options);
  std::vector<uint32_t> story(n);
  for (uint32_t i = 0; i < n; ++i) story[i] = label[group_of[i]];

  // Stage 3: an article holding a passage of another article of its story
  // (an excerpt) joins that article's copy group.
  bool joined = false;
  for (const CopyLinks* links : {&lsh_links, &near_links}) {
    if (options.lsh_copies_only) break;
    for (size_t i = 0; i < links->pairs.size(); ++i) {
      const uint32_t x = links->pairs[i] >> 32;
      const uint32_t y = static_cast<uint32_t>(links->pairs[i]);
      if (links->excerpt[i] && story[x] == story[y]) {
        joined |= join(links->pairs[i], Relation::kPartial);
      }
    }
  }
  if (joined) canonical = Canonicals(index, groups);

  std::vector<uint32_t> copy_group(n);
  for (uint32_t i = 0; i < n; ++i) copy_group[i] = canonical[groups.Find(i)];
  return Entries(index, queries, copy_group, story, best_copy,
                 options.relations);
}

}  // namespace syndex
