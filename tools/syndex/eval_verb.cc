// syndex eval: scores `syndex cluster` output against a truth file
// (engine/eval/eval.h) and prints the figures as a table or as JSON.

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "engine/eval/eval.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

void PrintScores(const std::string& name, const PairwiseScores& s) {
  std::cout << absl::StrFormat(
      "%-12s precision %.4f  recall %.4f  F1 %.4f  ARI %.4f  (pairs: true "
      "%d, predicted %d, agreed %d)\n",
      name, s.precision, s.recall, s.f1, s.adjusted_rand, s.true_pairs,
      s.predicted_pairs, s.agreed_pairs);
}

void PrintRecallTable(const std::string& name,
                      const std::map<std::string, Recall>& rows) {
  std::cout << absl::StrFormat("copy recall by %s\n", name);
  std::cout << absl::StrFormat("  %-20s %8s %9s %8s\n", name, "copies",
                               "recalled", "recall");
  for (const auto& [key, r] : rows) {
    std::cout << absl::StrFormat("  %-20s %8d %9d %8.4f\n", key, r.copies,
                                 r.recalled, r.Value());
  }
}

void PrintTable(const EvalReport& r) {
  std::cout << r.articles << " articles scored\n";
  if (r.copy_groups) PrintScores("copy groups", *r.copy_groups);
  if (r.stories) PrintScores("stories", *r.stories);
  if (r.look_alike) {
    std::cout << absl::StrFormat(
        "look-alike   %d of %d same-topic pairs of different stories "
        "merged (%.2f%%)\n",
        r.look_alike->merged, r.look_alike->pairs,
        100.0 * r.look_alike->Rate());
  }
  if (r.copy_recall) {
    const CopyRecall& c = *r.copy_recall;
    std::cout << absl::StrFormat(
        "copy recall  %d of %d copies in their source's group (%.4f)\n",
        c.all.recalled, c.all.copies, c.all.Value());
    if (c.by_kind) PrintRecallTable("kind", *c.by_kind);
    if (c.by_transform) PrintRecallTable("transform", *c.by_transform);
  }
  if (r.same_outlet) {
    std::cout << absl::StrFormat(
        "same-outlet  %d of %d same-source pairs of different copy groups "
        "merged (%.4f%%)\n",
        r.same_outlet->merged, r.same_outlet->pairs,
        100.0 * r.same_outlet->Rate());
  }
  if (r.mixed_copy_groups) {
    const MixedClusters& m = *r.mixed_copy_groups;
    std::cout << absl::StrFormat(
        "mixed groups %d predicted copy groups span two or more true ones; "
        "the largest has %d articles of %d true groups\n",
        m.clusters, m.largest, m.largest_true);
  }
}

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  Flags flags;
  EvalFiles files;
  bool json = false;
  flags.String("clusters", &files.clusters,
               "JSON Lines written by syndex cluster (required; .gz too)");
  flags.String("truth", &files.truth,
               "TSV with a header: id and story and/or copy_group columns, "
               "optional topic, kind and transforms (required)");
  flags.String("corpus", &files.corpus,
               "the JSON Lines corpus; with it, also the rate of false "
               "copy-group merges between articles of the same source");
  flags.String("truth-id", &files.truth_id, "the truth's column of ids");
  flags.String("truth-story", &files.truth_story,
               "the truth's column of story labels");
  flags.String("truth-copy-group", &files.truth_copy_group,
               "the truth's column of copy-group labels");
  flags.Bool("json", &json, "print all figures as one JSON object");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("eval", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (files.clusters.empty() || files.truth.empty()) {
    return UsageError("eval", "--clusters and --truth are required");
  }
  absl::StatusOr<EvalReport> report = Evaluate(files);
  if (absl::IsFailedPrecondition(report.status())) {
    return UsageError(
        "eval",
        "--corpus needs a copy-group column in the truth (--truth-copy-group)");
  }
  if (!report.ok()) return Fail(report.status());
  if (json) {
    std::cout << EvalReportJson(*report) << "\n";
  } else {
    PrintTable(*report);
  }
  return kExitOk;
}

}  // namespace syndex
