#ifndef SYNDEX_ENGINE_OUTPUT_JSON_H_
#define SYNDEX_ENGINE_OUTPUT_JSON_H_

// The one writer of syndex's JSON output schemas (README, "Output
// schemas"), used by every front end. Every function returns complete
// lines, each ending in '\n'; scores have 4 decimals.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/syndex.h"

namespace syndex {

// `query --json`: one line per match, ranks from 1, for the query
// `query_id`.
std::string MatchLines(absl::string_view query_id,
                       const std::vector<Match>& matches);

// `cluster --json` and `cluster --output`: one line per entry, in order.
std::string ClusterLines(const Index& index,
                         const std::vector<ClusterEntry>& entries);
// The same for `entries` of a Clustering, whose articles name them.
std::string ClusterLines(const Clustering& clustering,
                         const std::vector<ClusterEntry>& entries);

// `cluster --copies`, and the distributed clustering's output: the copy
// fields of the cluster schema, one line per entry, in order.
std::string CopyLines(const Index& index,
                      const std::vector<ClusterEntry>& entries);
// One line of that schema: `id` in the copy group of `canonical`, with
// its relation label (ClusterEntry::label) and scores against it (1 for
// the canonical itself).
std::string CopyLine(absl::string_view id, absl::string_view canonical,
                     absl::string_view label, double jaccard,
                     double containment);

// `stats --json`: one line.
std::string StatsLine(const IndexStats& stats);

// `explain --json`: one line.
std::string ExplanationLine(const Explanation& explanation);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_OUTPUT_JSON_H_
