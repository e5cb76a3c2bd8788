#ifndef SYNDEX_ENGINE_EVAL_EVAL_H_
#define SYNDEX_ENGINE_EVAL_EVAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/eval/metrics.h"

namespace syndex {

// Scores the output of `syndex cluster` against a truth table: pairwise
// scores of copy groups and stories, look-alike story merges, per-copy
// recall by kind and transform, and (with the corpus) false copy-group
// merges within one outlet. docs/QUALITY.md has the definitions.
//
//   SYNDEX_ASSIGN_OR_RETURN(EvalReport report,
//                           Evaluate({.clusters = "c.jsonl",
//                                     .truth = "truth.tsv"}));
//   std::string json = EvalReportJson(report);

// The files to score (formats in engine/eval/inputs.h).
struct EvalFiles {
  std::string clusters;  // JSON Lines of `syndex cluster --output`.
  std::string truth;     // Truth TSV.
  std::string corpus;    // JSON Lines corpus for outlets; empty = none.
  // Column names of the truth: the article id, the true story and the true
  // copy group. Defaults: "id", "story", "copy_group".
  std::string truth_id = "id";
  std::string truth_story = "story";
  std::string truth_copy_group = "copy_group";
};

// Every figure of an evaluation. A figure is set when the truth (and the
// corpus) has what it needs.
struct EvalReport {
  int64_t articles = 0;  // Rows of the truth, each scored.
  // Truth column copy_group against the predicted copy groups.
  std::optional<PairwiseScores> copy_groups;
  // Truth column story against the predicted stories.
  std::optional<PairwiseScores> stories;
  // With story and topic: pairs of the same topic but different true
  // stories, and how many were put in one predicted story.
  std::optional<MergeCount> look_alike;
  // With copy_group and kind and/or transforms (metrics.h, ScoreCopies).
  std::optional<CopyRecall> copy_recall;
  // With the corpus: pairs of the same source but different true copy
  // groups, and how many were put in one predicted copy group.
  std::optional<MergeCount> same_outlet;
  // With copy_group: the predicted copy groups that span two or more true
  // ones, and the largest of them.
  std::optional<MixedClusters> mixed_copy_groups;
};

// Reads the files and scores every article of the truth. Errors: those of
// the readers (inputs.h); FailedPreconditionError if a corpus is given but
// the truth has no copy_group column (checked before any id is looked up);
// InvalidArgumentError "clusters: id 'x' of the truth is not in the
// clusters" or "corpus: id 'x' of the truth is not in the corpus". Articles
// of the clusters or the corpus that the truth does not list are ignored.
absl::StatusOr<EvalReport> Evaluate(const EvalFiles& files);

// The report as one JSON object, without a newline. Keys in this order,
// each only when its figure is set:
//   articles: integer
//   copy_groups, stories: {"precision","recall","f1","ari": 4 decimals,
//     "true_pairs","predicted_pairs","agreed_pairs": integers}
//   look_alike: {"pairs","merged": integers, "rate": 6 decimals}
//   copy_recall: {"copies","recalled": integers, "recall": 4 decimals}
//   copy_recall_by_kind, copy_recall_by_transform: {key: as copy_recall}
//     with keys in byte order
//   same_outlet: as look_alike
//   mixed_copy_groups: {"groups","largest","largest_true_groups": integers}
std::string EvalReportJson(const EvalReport& report);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_EVAL_EVAL_H_
