// Stories: average linkage over the copy groups' canonical articles.

#include "engine/clustering/stories.h"

#include <algorithm>

#include "engine/clustering/pairs.h"
#include "engine/relations/cluster.h"
#include "engine/util/parallel.h"

namespace syndex {
namespace {

// The similarity of two articles in the story graph: their story strength
// (relations/story_score.h), as a query would score them.
double StoryEdge(const IndexCore& index, const ScoringQuery& a,
                 const ScoringQuery& b, uint32_t doc_b,
                 const ClusterOptions& options) {
  PairScores s;
  s.cosine = Dot(a.weighted, b.weighted);
  index.ScoreStory(a, doc_b, options.relations.story, &s);
  return s.story_strength;
}

}  // namespace

std::vector<uint32_t> StoryLabels(const IndexCore& index,
                                  const std::vector<ScoringQuery>& queries,
                                  const std::vector<uint32_t>& nearest, int k,
                                  const std::vector<uint32_t>& group_of,
                                  const ClusterOptions& options) {
  // Each copy group's canonical article links to the canonical articles of
  // the first `neighbours` other groups among its nearest articles.
  std::vector<uint64_t> pairs;
  std::vector<uint32_t> taken;
  for (uint32_t doc = 0; doc < group_of.size(); ++doc) {
    if (group_of[doc] != doc) continue;
    taken.clear();
    for (int j = 0; j < k && static_cast<int>(taken.size()) < options.neighbours;
         ++j) {
      const uint32_t other = nearest[static_cast<size_t>(doc) * k + j];
      if (other == kNoDoc) break;
      const uint32_t group = group_of[other];
      if (group == doc ||
          std::find(taken.begin(), taken.end(), group) != taken.end()) {
        continue;
      }
      taken.push_back(group);
      pairs.push_back(PairKey(doc, group));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  index.PrepareStory(options.relations.story, /*all_evidence=*/false);
  std::vector<WeightedEdge> edges(pairs.size());
  ParallelFor(pairs.size(), index.threads(), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) {
                  // The second article's query, then the start of its
                  // vector (the hardware prefetcher follows the rest).
                  if (i + 2 * kPairsAhead < e) {
                    __builtin_prefetch(&queries[static_cast<uint32_t>(
                        pairs[i + 2 * kPairsAhead])]);
                  }
                  if (i + kPairsAhead < e) {
                    const SparseView& v =
                        queries[static_cast<uint32_t>(pairs[i + kPairsAhead])]
                            .weighted;
                    PrefetchBytes(v.ids, 128);
                    PrefetchBytes(v.values, 128);
                  }
                  const uint32_t x = pairs[i] >> 32;
                  const uint32_t y = static_cast<uint32_t>(pairs[i]);
                  const double w =
                      StoryEdge(index, queries[x], queries[y], y, options);
                  edges[i] = {x, y,
                              w >= options.min_edge_strength
                                  ? static_cast<float>(w)
                                  : 0.0f};
                }
              });
  std::erase_if(edges, [](const WeightedEdge& e) { return e.weight <= 0; });
  return AverageLinkage(index.size(), std::move(edges),
                        options.story_threshold);
}

}  // namespace syndex
