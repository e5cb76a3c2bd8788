#ifndef SYNDEX_ENGINE_CLUSTERING_CLUSTERING_H_
#define SYNDEX_ENGINE_CLUSTERING_CLUSTERING_H_

// The clustering policy of an index: copy groups from verified candidate
// pairs, placed without chains (copy_groups.h), stories over the copy
// groups by average linkage, and the canonical article of each group.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/core/index_core.h"
#include "engine/syndex.h"

namespace syndex {

// The order that picks canonical articles: earliest `published` (articles
// without one come last), then the most shingles (the fullest copy), then
// the smallest id.
bool CanonicalBefore(const ArticleInfo& a, const ArticleInfo& b);

// Copy groups and stories of every article of `index`, one entry per
// article in doc order (Index::Cluster); `stats`, if not null, receives
// what the copy-group stage did.
absl::StatusOr<std::vector<ClusterEntry>> ClusterIndex(
    const IndexCore& index, const ClusterOptions& options,
    ClusterStats* stats);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_CLUSTERING_CLUSTERING_H_
