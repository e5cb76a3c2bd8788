// Copy groups: exact duplicates collapsed, candidate pairs verified, and
// groups placed without chains (copy_groups.h) with the earliest full copy
// as canonical; then stories (stories.cc).

#include "engine/clustering/clustering.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "engine/clustering/candidates.h"
#include "engine/clustering/copy_groups.h"
#include "engine/clustering/full_copies.h"
#include "engine/clustering/pairs.h"
#include "engine/clustering/stories.h"
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

// The distinct texts of the index: articles with equal content hashes are
// one text, stood for by the first of them in canonical order.
struct Texts {
  std::vector<uint32_t> representative;  // Per doc.
  std::vector<uint32_t> order;           // Representatives, canonical order.
  std::vector<uint32_t> rank;            // Per doc: its representative's place.
};

Texts DistinctTexts(const IndexCore& index) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  std::vector<uint32_t> docs(n);
  std::iota(docs.begin(), docs.end(), 0u);
  std::sort(docs.begin(), docs.end(), [&](uint32_t a, uint32_t b) {
    return CanonicalBefore(index.article(a), index.article(b));
  });
  Texts texts;
  texts.representative.resize(n);
  texts.rank.resize(n);
  absl::flat_hash_map<uint64_t, uint32_t> first;
  for (uint32_t doc : docs) {
    const ArticleInfo& a = index.article(doc);
    // Texts without a shingle (empty after chrome) are not one text.
    uint32_t rep = doc;
    if (a.shingles > 0)
      rep = first.try_emplace(a.content_hash, doc).first->second;
    texts.representative[doc] = rep;
    if (rep == doc) texts.order.push_back(doc);
  }
  for (uint32_t i = 0; i < texts.order.size(); ++i) {
    texts.rank[texts.order[i]] = i;
  }
  for (uint32_t doc = 0; doc < n; ++doc) {
    texts.rank[doc] = texts.rank[texts.representative[doc]];
  }
  return texts;
}

// Candidate pairs with their copy relations.
struct Verified {
  std::vector<uint64_t> pairs;     // Candidate pairs (a << 32 | b), a < b.
  std::vector<Relation> relation;  // The copy relation, else kNone.
  std::vector<float> jaccard;
  std::vector<char> excerpt;  // Partial only through an excerpt.
};

// Classifies candidate `pairs` for the copy groups.
Verified VerifyCopies(const IndexCore& index,
                      const std::vector<ScoringQuery>& queries,
                      std::vector<uint64_t> pairs,
                      const RelationOptions& relations) {
  // Copy groups join copies of one text: exact, syndicated, and partial
  // copies that lie mostly inside the other article. An excerpt (a shared
  // passage only) joins later, and only within a story.
  Verified links;
  links.pairs = std::move(pairs);
  const size_t m = links.pairs.size();
  links.relation.assign(m, Relation::kNone);
  links.jaccard.assign(m, 0);
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
      links.jaccard[i] = static_cast<float>(scores.jaccard);
      links.excerpt[i] = !IsCopy(links.relation[i]) &&
                         Classify(scores, relations) == Relation::kPartial;
    }
    progress.Add(e - b);
  });
  return links;
}

// Appends the copy links of `verified` to `links`; with `excerpts`, its
// excerpt links (as partial copies) instead.
void AppendLinks(const Verified& verified, bool excerpts,
                 std::vector<CopyLink>* links) {
  for (size_t i = 0; i < verified.pairs.size(); ++i) {
    const bool take =
        excerpts ? verified.excerpt[i] != 0 : IsCopy(verified.relation[i]);
    if (!take) continue;
    links->push_back({static_cast<uint32_t>(verified.pairs[i] >> 32),
                      static_cast<uint32_t>(verified.pairs[i]),
                      excerpts ? Relation::kPartial : verified.relation[i],
                      verified.jaccard[i]});
  }
}

// The canonical articles of `groups` among the texts, in canonical order.
std::vector<uint32_t> Canonicals(const Texts& texts, const CopyGroups& groups) {
  std::vector<uint32_t> canonicals;
  for (uint32_t doc : texts.order) {
    if (groups.canonical[doc] == doc) canonicals.push_back(doc);
  }
  return canonicals;
}

// The canonical article of every doc's copy group.
std::vector<uint32_t> GroupOf(const Texts& texts, const CopyGroups& groups) {
  std::vector<uint32_t> group_of(texts.representative.size());
  for (size_t doc = 0; doc < group_of.size(); ++doc) {
    group_of[doc] = groups.canonical[texts.representative[doc]];
  }
  return group_of;
}

// The `k` nearest of `canonicals` to every text, n x k docs, best first
// (kNoDoc where fewer were found; VectorStore::SearchStored). Exact
// duplicates are not searched by an IVF store (their rows are unused).
// REQUIRES: k <= canonicals.size().
absl::StatusOr<std::vector<uint32_t>> NearestCanonicals(
    const IndexCore& index, const Texts& texts,
    const std::vector<uint32_t>& canonicals, int k) {
  const VectorStore& vectors = *index.vectors();
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<VectorStore> store,
                          vectors.Subset(canonicals));
  const size_t n = index.size();
  std::vector<float> scores(n * k);
  std::vector<int64_t> ids(n * k);
  // Canonical articles look for the story graph's edges among all the
  // lists probed; the other members of a copy group only for copies their
  // canonical article may lack, which lie close to them.
  std::vector<uint8_t> probes(n, 0);
  for (uint32_t doc : texts.order) probes[doc] = kCopyProbes;
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

// The pairs of each text with its nearest canonical articles, less those
// in `known` (sorted).
std::vector<uint64_t> NearestPairs(const Texts& texts,
                                   const std::vector<uint32_t>& nearest, int k,
                                   const std::vector<uint64_t>& known) {
  std::vector<uint64_t> near;
  for (uint32_t doc : texts.order) {
    for (int j = 0; j < k; ++j) {
      const uint32_t other = nearest[static_cast<size_t>(doc) * k + j];
      if (other != kNoDoc && other != doc) near.push_back(PairKey(doc, other));
    }
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  std::vector<uint64_t> fresh;
  std::set_difference(near.begin(), near.end(), known.begin(), known.end(),
                      std::back_inserter(fresh));
  return fresh;
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
// its story label and the link it joined through.
std::vector<ClusterEntry> Entries(const IndexCore& index,
                                  const std::vector<ScoringQuery>& queries,
                                  const std::vector<uint32_t>& copy_group,
                                  const std::vector<uint32_t>& story,
                                  const std::vector<Relation>& joined_by,
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
      // Joined through a member linked to the canonical: that link.
      entry.relation = MemberRelation(entry.scores, joined_by[i], relations);
    }
  });
  return entries;
}

absl::StatusOr<std::vector<ClusterEntry>> ClusterIndex(
    const IndexCore& index, const ClusterOptions& options,
    ClusterStats* stats) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  ClusterStats local;
  local.articles = n;
  if (n == 0) {
    if (stats != nullptr) *stats = local;
    return std::vector<ClusterEntry>();
  }

  // Stage 1: copy groups. Exact duplicates collapse into one text first;
  // the texts' LSH pairs (bounded: candidates.h) and their pairs with the
  // nearest canonical articles of the groups those give are verified, and
  // the groups placed without chains (copy_groups.h). The one vector
  // search finds the copies LSH misses (OCR noise, excerpts, partial
  // copies) and the candidate edges of the story graph. Queries view the
  // stored vectors and precomputed weights.
  const Texts texts = DistinctTexts(index);
  local.exact_duplicates = n - texts.order.size();
  const std::vector<const float*> dense = index.vectors()->Vectors();
  const std::vector<float> weights = index.AllWeights();
  const std::vector<ScoringQuery> queries = index.AllQueries(dense, weights);
  CandidateCounts counts;
  const Verified lsh =
      VerifyCopies(index, queries,
                   LshCandidatePairs(index.Lsh(), texts.representative,
                                     texts.rank, CandidateOptions(), &counts),
                   options.relations);
  local.capped_buckets = counts.capped_buckets;
  local.largest_bucket = counts.largest_bucket;
  local.lsh_pairs = counts.pairs;
  std::vector<CopyLink> links;
  AppendLinks(lsh, false, &links);
  CopyGroups groups = PlaceCopyGroups(n, texts.order, links);
  const std::vector<uint32_t> canonicals = Canonicals(texts, groups);
  const int k = static_cast<int>(std::min<size_t>(
      options.neighbours + 1 + kExtraNeighbours, canonicals.size()));
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<uint32_t> nearest,
                          NearestCanonicals(index, texts, canonicals, k));
  // Without the nearest canonicals' pairs (lsh_copies_only), the copy
  // groups are the distributed clustering's (engine/scale_out.h).
  const Verified near =
      options.lsh_copies_only
          ? Verified()
          : VerifyCopies(index, queries,
                         NearestPairs(texts, nearest, k, lsh.pairs),
                         options.relations);
  local.nearest_pairs = near.pairs.size();
  AppendLinks(near, false, &links);
  groups = PlaceCopyGroups(n, texts.order, links);
  const std::vector<uint32_t> group_of = GroupOf(texts, groups);

  // Stage 2: stories over the copy groups' canonical articles.
  const std::vector<uint32_t> label =
      StoryLabels(index, queries, nearest, k, group_of, options);
  std::vector<uint32_t> story(n);
  for (uint32_t i = 0; i < n; ++i) story[i] = label[group_of[i]];

  // Stage 3: an article holding a passage of another article of its story
  // (an excerpt) may join that article's group; links between stories are
  // dropped, so that every group lies in one story.
  // Left out with lsh_copies_only, whose groups do not depend on stories.
  if (!options.lsh_copies_only) {
    AppendLinks(lsh, true, &links);
    AppendLinks(near, true, &links);
    std::erase_if(links,
                  [&](const CopyLink& l) { return story[l.a] != story[l.b]; });
  }
  local.copy_links = links.size();
  groups = PlaceCopyGroups(n, texts.order, links);

  // Stage 4: the earliest full copy is each group's canonical.
  const std::vector<uint32_t> order = PromoteFullCopies(
      n, texts.order, groups,
      [&](uint32_t doc) -> const ArticleInfo& { return index.article(doc); },
      [&](uint32_t a, uint32_t b) {
        return index.Score(queries[a], b, queries[b].weighted);
      },
      options.relations, &links);
  if (order != texts.order) groups = PlaceCopyGroups(n, order, links);

  std::vector<uint32_t> copy_group = GroupOf(texts, groups);
  std::vector<Relation> joined_by(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t rep = texts.representative[i];
    // An exact duplicate of a member joined as that member did.
    joined_by[i] = rep == i || groups.canonical[rep] != rep ? groups.link[rep]
                                                            : Relation::kExact;
  }
  if (stats != nullptr) *stats = local;
  return Entries(index, queries, copy_group, story, joined_by,
                 options.relations);
}

}  // namespace syndex
