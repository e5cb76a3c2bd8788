#ifndef SYNDEX_ENGINE_CLUSTERING_STORIES_H_
#define SYNDEX_ENGINE_CLUSTERING_STORIES_H_

#include <cstdint>
#include <vector>

#include "engine/core/index_core.h"
#include "engine/syndex.h"

namespace syndex {

// Average-linkage story label of each copy group's canonical article
// (indexed by doc), a group left alone joining the story it links to with
// an average strength of at least story_threshold over its links (a lone
// report of a large story has links to a few of its members only).
// `queries` views every article; `nearest` holds k
// nearest docs per article (kNoDoc where fewer were found); `group_of`
// maps each article to its group's canonical article.
std::vector<uint32_t> StoryLabels(const IndexCore& index,
                                  const std::vector<ScoringQuery>& queries,
                                  const std::vector<uint32_t>& nearest, int k,
                                  const std::vector<uint32_t>& group_of,
                                  const ClusterOptions& options);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_STORIES_H_
