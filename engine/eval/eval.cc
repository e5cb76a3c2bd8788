#include "engine/eval/eval.h"

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/eval/inputs.h"
#include "engine/util/json.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// The truth column `name`, or null.
const std::vector<std::string>* Column(const Truth& truth,
                                       const std::string& name) {
  auto it = truth.columns.find(name);
  return it == truth.columns.end() ? nullptr : &it->second;
}

std::string ScoresJson(const PairwiseScores& s) {
  return absl::StrFormat(
      "{\"precision\":%s,\"recall\":%s,\"f1\":%s,\"ari\":%s,\"true_pairs\":%d,"
      "\"predicted_pairs\":%d,\"agreed_pairs\":%d}",
      Fixed(s.precision), Fixed(s.recall), Fixed(s.f1),
      Fixed(s.adjusted_rand), s.true_pairs, s.predicted_pairs, s.agreed_pairs);
}

std::string MergeJson(const MergeCount& m) {
  return absl::StrFormat("{\"pairs\":%d,\"merged\":%d,\"rate\":%.6f}", m.pairs,
                         m.merged, m.Rate());
}

std::string RecallJson(const Recall& r) {
  return absl::StrFormat("{\"copies\":%d,\"recalled\":%d,\"recall\":%s}",
                         r.copies, r.recalled, Fixed(r.Value()));
}

std::string RecallTableJson(const std::map<std::string, Recall>& rows) {
  std::string out = "{";
  for (const auto& [key, r] : rows) {
    if (out.size() > 1) out += ",";
    absl::StrAppend(&out, JsonString(key), ":", RecallJson(r));
  }
  return out + "}";
}

}  // namespace

absl::StatusOr<EvalReport> Evaluate(const EvalFiles& files) {
  SYNDEX_ASSIGN_OR_RETURN(const auto clusters, ReadClusters(files.clusters));
  SYNDEX_ASSIGN_OR_RETURN(const Truth truth,
                          ReadTruth(files.truth, files.truth_id));
  const std::vector<std::string>* truth_group =
      Column(truth, files.truth_copy_group);
  const std::vector<std::string>* truth_story =
      Column(truth, files.truth_story);
  const std::vector<std::string>* topic = Column(truth, "topic");
  const std::vector<std::string>* kind = Column(truth, "kind");
  const std::vector<std::string>* transforms = Column(truth, "transforms");
  if (!files.corpus.empty() && truth_group == nullptr) {
    return absl::FailedPreconditionError(
        "same-outlet merges need a copy_group column in the truth");
  }

  std::vector<std::string> groups, stories;
  for (const std::string& id : truth.ids) {
    auto it = clusters.find(id);
    if (it == clusters.end()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: id '%s' of the truth is not in the clusters",
                          files.clusters, id));
    }
    groups.push_back(it->second.copy_group);
    stories.push_back(it->second.story);
  }

  EvalReport report;
  report.articles = static_cast<int64_t>(truth.ids.size());
  if (truth_group != nullptr) {
    report.copy_groups = ScoreClustering(*truth_group, groups);
    report.mixed_copy_groups = FindMixedClusters(*truth_group, groups);
    if (kind != nullptr || transforms != nullptr) {
      report.copy_recall = ScoreCopies(*truth_group, kind, transforms, groups);
    }
  }
  if (truth_story != nullptr) {
    report.stories = ScoreClustering(*truth_story, stories);
    if (topic != nullptr) {
      report.look_alike = CountMerges(*topic, *truth_story, stories);
    }
  }
  if (!files.corpus.empty()) {
    SYNDEX_ASSIGN_OR_RETURN(const auto source_of, ReadSources(files.corpus));
    std::vector<std::string> sources;
    for (const std::string& id : truth.ids) {
      auto it = source_of.find(id);
      if (it == source_of.end()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: id '%s' of the truth is not in the corpus", files.corpus, id));
      }
      sources.push_back(it->second);
    }
    report.same_outlet = CountMerges(sources, *truth_group, groups);
  }
  return report;
}

std::string EvalReportJson(const EvalReport& r) {
  std::string out = absl::StrFormat("{\"articles\":%d", r.articles);
  if (r.copy_groups) {
    absl::StrAppend(&out, ",\"copy_groups\":", ScoresJson(*r.copy_groups));
  }
  if (r.stories) {
    absl::StrAppend(&out, ",\"stories\":", ScoresJson(*r.stories));
  }
  if (r.look_alike) {
    absl::StrAppend(&out, ",\"look_alike\":", MergeJson(*r.look_alike));
  }
  if (r.copy_recall) {
    const CopyRecall& c = *r.copy_recall;
    absl::StrAppend(&out, ",\"copy_recall\":", RecallJson(c.all));
    if (c.by_kind) {
      absl::StrAppend(&out,
                      ",\"copy_recall_by_kind\":", RecallTableJson(*c.by_kind));
    }
    if (c.by_transform) {
      absl::StrAppend(&out, ",\"copy_recall_by_transform\":",
                      RecallTableJson(*c.by_transform));
    }
  }
  if (r.same_outlet) {
    absl::StrAppend(&out, ",\"same_outlet\":", MergeJson(*r.same_outlet));
  }
  if (r.mixed_copy_groups) {
    const MixedClusters& m = *r.mixed_copy_groups;
    absl::StrAppend(&out, ",\"mixed_copy_groups\":{\"groups\":", m.clusters,
                    ",\"largest\":", m.largest,
                    ",\"largest_true_groups\":", m.largest_true, "}");
  }
  return out + "}";
}

}  // namespace syndex
