// syndex cluster: copy groups and stories of the whole index.

#include <fstream>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/output/json.h"
#include "engine/util/file.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

std::string Published(const ArticleInfo& a) {
  return a.published ? FormatIsoTime(*a.published) : "";
}

// A readable report: stories of more than one article, largest first, with
// their copy groups; then a count of single-article stories.
void PrintReport(const Index& index, const std::vector<ClusterEntry>& entries) {
  std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>> stories;
  for (const ClusterEntry& e : entries) {
    stories[e.story][e.copy_group].push_back(e.doc);
  }
  std::vector<std::pair<size_t, uint32_t>> order;
  size_t copy_groups = 0, singles = 0;
  for (const auto& [story, groups] : stories) {
    size_t size = 0;
    for (const auto& [g, docs] : groups) {
      size += docs.size();
      copy_groups += docs.size() > 1;
    }
    if (size == 1) {
      ++singles;
      continue;
    }
    order.push_back({size, story});
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::cout << absl::StrFormat(
      "%d articles, %d stories (%d with more than one article), %d copy "
      "groups of two or more\n",
      entries.size(), stories.size(), order.size(), copy_groups);
  int number = 0;
  for (const auto& [size, story] : order) {
    const ArticleInfo& first = index.article(story);
    std::cout << absl::StrFormat("\nstory %d: %d articles, first %s %s\n",
                                 ++number, size, first.id, Published(first));
    for (const auto& [group, docs] : stories[story]) {
      std::cout << absl::StrFormat("  %s group of %d, canonical %s\n",
                                   docs.size() > 1 ? "copy" : "own-text",
                                   docs.size(), index.article(group).id);
      for (uint32_t doc : docs) {
        const ClusterEntry& e = entries[doc];
        const ArticleInfo& a = index.article(doc);
        std::cout << absl::StrFormat(
            "    %-12s %-10s j=%.2f c=%.2f  %-20s %s\n", a.id,
            e.label(), doc == group ? 1.0 : e.scores.jaccard,
            doc == group ? 1.0 : e.scores.containment_ab, a.source, a.title);
      }
    }
  }
  std::cout << "\n" << singles << " articles form stories of their own\n";
}

}  // namespace

int RunCluster(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, output;
  bool json = false;
  OpenOptions open;
  ClusterOptions options;
  flags.String("index", &dir, "index directory (required)");
  flags.String("output", &output, "write JSON Lines to this file");
  flags.Bool("json", &json, "print JSON Lines instead of a report");
  flags.Double("story-threshold", &options.story_threshold,
               "average-linkage threshold of stories on the story strength");
  flags.Int("neighbours", &options.neighbours,
            "nearest neighbours per copy group in the story graph");
  flags.Bool("lsh-copies-only", &options.lsh_copies_only,
             "copy groups from LSH candidates alone (no nearest-canonical "
             "search, no excerpt joins): the distributed job's copy groups");
  bool copies = false;
  flags.Bool("copies", &copies,
             "JSON Lines of the copy fields only (id, copy_group, canonical, "
             "relation, jaccard, containment)");
  bool quiet = false;
  AddOpenFlags(&flags, &open, &quiet);
  AddRelationFlags(&flags, &options.relations);
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("cluster", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  SetUpProgress(quiet, &open);
  if (dir.empty()) return UsageError("cluster", "--index DIR is required");
  if (!positional.empty()) {
    return UsageError("cluster",
                      "unexpected argument '" + positional[0] + "'");
  }
  if (absl::Status st = options.Validate(); !st.ok()) {
    return UsageError("cluster", std::string(st.message()));
  }
  if (int code = CheckFlags("cluster", open.Validate()); code != kExitOk) {
    return code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, open);
  if (!index.ok()) return FailIndex(index.status(), dir);
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      (*index)->Cluster(options);
  if (!entries.ok()) return Fail(entries.status());
  auto lines = [&] {
    return copies ? CopyLines(**index, *entries)
                  : ClusterLines(**index, *entries);
  };
  if (!output.empty()) {
    absl::Status st = WriteFileAtomically(output, lines());
    if (!st.ok()) return Fail(st);
  }
  if (json) {
    std::cout << lines();
  } else if (output.empty()) {
    PrintReport(**index, *entries);
  }
  return kExitOk;
}

}  // namespace syndex
