// syndex eval: scores `syndex cluster` output against a truth file.

#include <fstream>
#include <iostream>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "engine/eval/metrics.h"
#include "engine/util/file.h"
#include "engine/util/status_macros.h"
#include "simdjson.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

struct Assignment {
  std::string copy_group;
  std::string story;
};

// Reads cluster JSON Lines: id -> assignment.
absl::StatusOr<absl::flat_hash_map<std::string, Assignment>> ReadClusters(
    const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  absl::flat_hash_map<std::string, Assignment> out;
  simdjson::dom::parser parser;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    std::string_view id, group, story;
    if (parser.parse(line.data(), line.size()).get(doc) ||
        doc["id"].get(id) || doc["copy_group"].get(group) ||
        doc["story"].get(story)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:%d: not a cluster line (needs id, copy_group, story)", path,
          line_number));
    }
    out[std::string(id)] = {std::string(group), std::string(story)};
  }
  return out;
}

struct Truth {
  std::vector<std::string> ids;
  std::map<std::string, std::vector<std::string>> columns;
};

// Reads a TSV with a header line naming its columns; `id` is required.
absl::StatusOr<Truth> ReadTruth(const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  std::vector<std::string> lines = absl::StrSplit(data, '\n', absl::SkipEmpty());
  if (lines.empty()) return absl::InvalidArgumentError(path + ": empty");
  std::vector<std::string> header = absl::StrSplit(lines[0], '\t');
  Truth truth;
  for (size_t l = 1; l < lines.size(); ++l) {
    std::vector<std::string> fields = absl::StrSplit(lines[l], '\t');
    if (fields.size() != header.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:%d: %d fields, header has %d", path, l + 1, fields.size(),
          header.size()));
    }
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == "id") {
        truth.ids.push_back(fields[c]);
      } else {
        truth.columns[header[c]].push_back(fields[c]);
      }
    }
  }
  if (truth.ids.empty()) {
    return absl::InvalidArgumentError(path + ": no id column or no rows");
  }
  return truth;
}

void PrintScores(const std::string& name, const PairwiseScores& s) {
  std::cout << absl::StrFormat(
      "%-12s precision %.4f  recall %.4f  F1 %.4f  ARI %.4f  (pairs: true "
      "%d, predicted %d, agreed %d)\n",
      name, s.precision, s.recall, s.f1, s.adjusted_rand, s.true_pairs,
      s.predicted_pairs, s.agreed_pairs);
}

// Of the pairs in one topic but different true stories, how many the
// prediction put in one story (the look-alike event false merge).
void PrintTopicMerges(const std::vector<std::string>& topic,
                      const std::vector<std::string>& story,
                      const std::vector<std::string>& predicted) {
  int64_t pairs = 0, merged = 0;
  for (size_t i = 0; i < topic.size(); ++i) {
    for (size_t j = i + 1; j < topic.size(); ++j) {
      if (topic[i] != topic[j] || story[i] == story[j]) continue;
      ++pairs;
      merged += predicted[i] == predicted[j];
    }
  }
  std::cout << absl::StrFormat(
      "look-alike   %d of %d same-topic pairs of different stories merged "
      "(%.2f%%)\n",
      merged, pairs, pairs ? 100.0 * merged / pairs : 0.0);
}

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  Flags flags;
  std::string clusters_path, truth_path;
  flags.String("clusters", &clusters_path,
               "JSON Lines written by syndex cluster (required)");
  flags.String("truth", &truth_path,
               "TSV with a header: id and story and/or copy_group columns, "
               "optional topic (required)");
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("eval", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (clusters_path.empty() || truth_path.empty()) {
    return UsageError("eval", "--clusters and --truth are required");
  }
  auto clusters = ReadClusters(clusters_path);
  if (!clusters.ok()) return Fail(clusters.status());
  auto truth = ReadTruth(truth_path);
  if (!truth.ok()) return Fail(truth.status());

  std::vector<std::string> stories, groups;
  for (const std::string& id : truth->ids) {
    auto it = clusters->find(id);
    if (it == clusters->end()) {
      return Fail(absl::InvalidArgumentError(absl::StrFormat(
          "%s: id '%s' of the truth is not in the clusters", clusters_path,
          id)));
    }
    stories.push_back(it->second.story);
    groups.push_back(it->second.copy_group);
  }
  std::cout << truth->ids.size() << " articles scored\n";
  const auto& cols = truth->columns;
  if (cols.count("copy_group")) {
    PrintScores("copy groups", ScoreClustering(cols.at("copy_group"), groups));
  }
  if (cols.count("story")) {
    PrintScores("stories", ScoreClustering(cols.at("story"), stories));
    if (cols.count("topic")) {
      PrintTopicMerges(cols.at("topic"), cols.at("story"), stories);
    }
  }
  return kExitOk;
}

}  // namespace syndex
