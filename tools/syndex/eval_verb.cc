// syndex eval: scores `syndex cluster` output against a truth file:
// pairwise scores of copy groups and stories, look-alike story merges,
// per-copy recall by kind and transform, and (with the corpus) false
// copy-group merges within one outlet. docs/QUALITY.md has the definitions.

#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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

// Reads the string fields `names` of every non-empty line of a JSON Lines
// file, one vector per line; a line without them is an error
// "path:line: not `what`".
absl::StatusOr<std::vector<std::vector<std::string>>> ReadStringFields(
    const std::string& path, const std::vector<const char*>& names,
    absl::string_view what) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  std::vector<std::vector<std::string>> rows;
  simdjson::dom::parser parser;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    bool ok = !parser.parse(line.data(), line.size()).get(doc);
    std::vector<std::string>& row = rows.emplace_back();
    for (const char* name : names) {
      std::string_view value;
      ok = ok && !doc[name].get(value);
      row.emplace_back(ok ? value : std::string_view());
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: not %s", path, line_number, what));
    }
  }
  return rows;
}

// Reads cluster JSON Lines: id -> assignment.
absl::StatusOr<absl::flat_hash_map<std::string, Assignment>> ReadClusters(
    const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(
      auto rows,
      ReadStringFields(path, {"id", "copy_group", "story"},
                       "a cluster line (needs id, copy_group, story)"));
  absl::flat_hash_map<std::string, Assignment> out;
  for (auto& row : rows) out[row[0]] = {std::move(row[1]), std::move(row[2])};
  return out;
}

struct Truth {
  std::vector<std::string> ids;
  std::map<std::string, std::vector<std::string>> columns;
};

// Reads a TSV with a header line naming its columns; `id` is required.
absl::StatusOr<Truth> ReadTruth(const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  std::vector<std::string> lines =
      absl::StrSplit(data, '\n', absl::SkipEmpty());
  if (lines.empty()) return absl::InvalidArgumentError(path + ": empty");
  std::vector<std::string> header = absl::StrSplit(lines[0], '\t');
  Truth truth;
  for (size_t l = 1; l < lines.size(); ++l) {
    std::vector<std::string> fields = absl::StrSplit(lines[l], '\t');
    if (fields.size() != header.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: %d fields, header has %d", path, l + 1,
                          fields.size(), header.size()));
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

std::string ScoresJson(const PairwiseScores& s) {
  return absl::StrFormat(
      "{\"precision\":%s,\"recall\":%s,\"f1\":%s,\"ari\":%s,\"true_pairs\":%d,"
      "\"predicted_pairs\":%d,\"agreed_pairs\":%d}",
      Fixed(s.precision), Fixed(s.recall), Fixed(s.f1), Fixed(s.adjusted_rand),
      s.true_pairs, s.predicted_pairs, s.agreed_pairs);
}

// Labels as dense integers: equal strings get equal numbers.
std::vector<int> Intern(const std::vector<std::string>& labels) {
  absl::flat_hash_map<std::string, int> number;
  std::vector<int> out;
  out.reserve(labels.size());
  for (const std::string& label : labels) {
    out.push_back(number.emplace(label, number.size()).first->second);
  }
  return out;
}

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

// Pairs of items in one block (same topic, same outlet) but different true
// clusters, and how many of them the prediction put in one cluster.
struct MergeCount {
  int64_t pairs = 0;
  int64_t merged = 0;
  double Rate() const {
    return pairs ? static_cast<double>(merged) / pairs : 0;
  }
};

// Counts through tallies per (block), (block, truth), (block, predicted) and
// (block, predicted, truth), so the cost is linear in the number of items:
// pairs = sum C(block) - sum C(block, truth) and
// merged = sum C(block, predicted) - sum C(block, predicted, truth).
MergeCount CountMerges(const std::vector<std::string>& block,
                       const std::vector<std::string>& truth,
                       const std::vector<std::string>& predicted) {
  const std::vector<int> b = Intern(block), t = Intern(truth),
                         p = Intern(predicted);
  absl::flat_hash_map<int, int64_t> by_block;
  absl::flat_hash_map<std::pair<int, int>, int64_t> by_truth, by_predicted;
  absl::flat_hash_map<std::tuple<int, int, int>, int64_t> by_both;
  for (size_t i = 0; i < b.size(); ++i) {
    ++by_block[b[i]];
    ++by_truth[{b[i], t[i]}];
    ++by_predicted[{b[i], p[i]}];
    ++by_both[{b[i], p[i], t[i]}];
  }
  MergeCount count;
  for (const auto& [key, n] : by_block) count.pairs += Pairs(n);
  for (const auto& [key, n] : by_truth) count.pairs -= Pairs(n);
  for (const auto& [key, n] : by_predicted) count.merged += Pairs(n);
  for (const auto& [key, n] : by_both) count.merged -= Pairs(n);
  return count;
}

std::string MergeJson(const MergeCount& m) {
  return absl::StrFormat("{\"pairs\":%d,\"merged\":%d,\"rate\":%s}", m.pairs,
                         m.merged, absl::StrFormat("%.6f", m.Rate()));
}

struct Recall {
  int64_t copies = 0;
  int64_t recalled = 0;
  double Value() const {
    return copies ? static_cast<double>(recalled) / copies : 1;
  }
};

// Copy-group recall per copy, broken down by kind and by transform. A copy
// is a member of a true copy group of more than one article other than the
// group's source: the member of kind `original`, else the first member.
struct CopyRecall {
  Recall all;
  std::map<std::string, Recall> by_kind;       // Empty without `kind`.
  std::map<std::string, Recall> by_transform;  // Empty without `transforms`.
};

CopyRecall ScoreCopies(const std::vector<std::string>& truth_group,
                       const std::vector<std::string>* kind,
                       const std::vector<std::string>* transforms,
                       const std::vector<std::string>& predicted_group) {
  absl::flat_hash_map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < truth_group.size(); ++i) {
    members[truth_group[i]].push_back(i);
  }
  CopyRecall out;
  for (const auto& [group, items] : members) {
    if (items.size() < 2) continue;
    size_t source = items[0];
    if (kind != nullptr) {
      for (size_t i : items) {
        if ((*kind)[i] == "original") {
          source = i;
          break;
        }
      }
    }
    for (size_t i : items) {
      if (i == source) continue;
      const bool recalled = predicted_group[i] == predicted_group[source];
      auto tally = [recalled](Recall& r) {
        ++r.copies;
        r.recalled += recalled;
      };
      tally(out.all);
      if (kind != nullptr) tally(out.by_kind[(*kind)[i]]);
      if (transforms != nullptr) {
        for (absl::string_view t :
             absl::StrSplit((*transforms)[i], ',', absl::SkipEmpty())) {
          tally(out.by_transform[t == "-" ? "none" : std::string(t)]);
        }
      }
    }
  }
  return out;
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

// Reads the `source` of each article of a JSON Lines corpus: id -> source.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadSources(
    const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(
      auto rows, ReadStringFields(path, {"id", "source"},
                                  "an article line (needs string id and source)"));
  absl::flat_hash_map<std::string, std::string> out;
  for (auto& row : rows) out[row[0]] = std::move(row[1]);
  return out;
}

}  // namespace

int RunEval(const std::vector<std::string>& args) {
  Flags flags;
  std::string clusters_path, truth_path, corpus_path;
  bool json = false;
  flags.String("clusters", &clusters_path,
               "JSON Lines written by syndex cluster (required)");
  flags.String("truth", &truth_path,
               "TSV with a header: id and story and/or copy_group columns, "
               "optional topic, kind and transforms (required)");
  flags.String("corpus", &corpus_path,
               "the JSON Lines corpus; with it, also the rate of false "
               "copy-group merges between articles of the same source");
  flags.Bool("json", &json, "print all figures as one JSON object");
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
  const auto& cols = truth->columns;
  if (!corpus_path.empty() && !cols.count("copy_group")) {
    return UsageError("eval",
                      "--corpus needs a copy_group column in the truth");
  }

  std::vector<std::string> stories, groups, sources;
  for (const std::string& id : truth->ids) {
    auto it = clusters->find(id);
    if (it == clusters->end()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrFormat("%s: id '%s' of the truth is not in the clusters",
                          clusters_path, id)));
    }
    stories.push_back(it->second.story);
    groups.push_back(it->second.copy_group);
  }
  if (!corpus_path.empty()) {
    auto source_of = ReadSources(corpus_path);
    if (!source_of.ok()) return Fail(source_of.status());
    for (const std::string& id : truth->ids) {
      auto it = source_of->find(id);
      if (it == source_of->end()) {
        return Fail(absl::InvalidArgumentError(absl::StrFormat(
            "%s: id '%s' of the truth is not in the corpus", corpus_path, id)));
      }
      sources.push_back(it->second);
    }
  }

  std::vector<std::string> json_fields = {
      absl::StrFormat("\"articles\":%d", truth->ids.size())};
  if (!json) std::cout << truth->ids.size() << " articles scored\n";
  if (cols.count("copy_group")) {
    const PairwiseScores s = ScoreClustering(cols.at("copy_group"), groups);
    json_fields.push_back("\"copy_groups\":" + ScoresJson(s));
    if (!json) PrintScores("copy groups", s);
  }
  if (cols.count("story")) {
    const PairwiseScores s = ScoreClustering(cols.at("story"), stories);
    json_fields.push_back("\"stories\":" + ScoresJson(s));
    if (!json) PrintScores("stories", s);
    if (cols.count("topic")) {
      const MergeCount m =
          CountMerges(cols.at("topic"), cols.at("story"), stories);
      json_fields.push_back("\"look_alike\":" + MergeJson(m));
      if (!json) {
        std::cout << absl::StrFormat(
            "look-alike   %d of %d same-topic pairs of different stories "
            "merged (%.2f%%)\n",
            m.merged, m.pairs, 100.0 * m.Rate());
      }
    }
  }
  const bool has_kind = cols.count("kind") > 0;
  const bool has_transforms = cols.count("transforms") > 0;
  if (cols.count("copy_group") && (has_kind || has_transforms)) {
    const CopyRecall r = ScoreCopies(
        cols.at("copy_group"), has_kind ? &cols.at("kind") : nullptr,
        has_transforms ? &cols.at("transforms") : nullptr, groups);
    json_fields.push_back("\"copy_recall\":" + RecallJson(r.all));
    if (!json) {
      std::cout << absl::StrFormat(
          "copy recall  %d of %d copies in their source's group (%.4f)\n",
          r.all.recalled, r.all.copies, r.all.Value());
    }
    if (has_kind) {
      json_fields.push_back("\"copy_recall_by_kind\":" +
                            RecallTableJson(r.by_kind));
      if (!json) PrintRecallTable("kind", r.by_kind);
    }
    if (has_transforms) {
      json_fields.push_back("\"copy_recall_by_transform\":" +
                            RecallTableJson(r.by_transform));
      if (!json) PrintRecallTable("transform", r.by_transform);
    }
  }
  if (!sources.empty()) {
    const MergeCount m = CountMerges(sources, cols.at("copy_group"), groups);
    json_fields.push_back("\"same_outlet\":" + MergeJson(m));
    if (!json) {
      std::cout << absl::StrFormat(
          "same-outlet  %d of %d same-source pairs of different copy groups "
          "merged (%.4f%%)\n",
          m.merged, m.pairs, 100.0 * m.Rate());
    }
  }
  if (json) std::cout << "{" << absl::StrJoin(json_fields, ",") << "}\n";
  return kExitOk;
}

}  // namespace syndex
