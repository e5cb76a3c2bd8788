// Stories: average linkage over the copy groups' canonical articles, then
// the groups it left alone attached to the story they link to most.

#include "engine/clustering/stories.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
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

// A copy group that average linkage left alone joins the story it links
// to most strongly on average over its links, if that average reaches
// `threshold`. Average linkage counts the pairs without a link as 0, and a
// group has links to its `neighbours` nearest groups only, so a lone
// report of a large story cannot reach the threshold over all of the
// story's members even when every link it has is strong.
void AttachLoneGroups(const std::vector<WeightedEdge>& edges,
                      const std::vector<uint32_t>& group_of, double threshold,
                      std::vector<uint32_t>* labels) {
  std::vector<uint32_t> members(labels->size(), 0);
  for (uint32_t doc = 0; doc < labels->size(); ++doc) {
    if (group_of[doc] == doc) ++members[(*labels)[doc]];
  }
  // For each lone group, the sum and number of its links to each story.
  using Links = absl::flat_hash_map<uint32_t, std::pair<double, int>>;
  absl::flat_hash_map<uint32_t, Links> lone;
  auto note = [&](uint32_t from, uint32_t to, float weight) {
    if (members[(*labels)[from]] != 1 || members[(*labels)[to]] < 2) return;
    auto& [sum, count] = lone[from][(*labels)[to]];
    sum += weight;
    ++count;
  };
  for (const WeightedEdge& e : edges) {
    note(e.a, e.b, e.weight);
    note(e.b, e.a, e.weight);
  }
  std::vector<std::pair<uint32_t, uint32_t>> moves;
  for (const auto& [doc, stories] : lone) {
    double best = 0;
    uint32_t to = 0;
    for (const auto& [story, link] : stories) {
      const double mean = link.first / link.second;
      if (mean > best || (mean == best && story < to)) {
        best = mean;
        to = story;
      }
    }
    if (best >= threshold) moves.emplace_back(doc, to);
  }
  // Lone groups join stories of two or more groups, never each other.
  for (const auto& [doc, to] : moves) (*labels)[doc] = to;
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
  std::vector<uint32_t> labels =
      AverageLinkage(index.size(), edges, options.story_threshold);
  AttachLoneGroups(edges, group_of, options.story_threshold, &labels);
  return labels;
}

}  // namespace syndex
