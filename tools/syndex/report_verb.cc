// syndex report: the story report, one self-contained HTML page.

#include <iostream>

#include "absl/strings/str_format.h"
#include "engine/output/report_html.h"
#include "engine/report/report.h"
#include "engine/util/file.h"
#include "tools/syndex/common.h"

namespace syndex {

int RunReport(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, output, rank = "size";
  OpenOptions open;
  ReportOptions options;
  bool quiet = false;
  flags.String("index", &dir, "index directory (required)");
  flags.String("output", &output, "the HTML file to write (required)");
  flags.String("story", &options.story_of,
               "report only the story of the article with this id");
  flags.Int("top", &options.top, "stories reported, 0 = all");
  flags.String("rank", &rank,
               "rank stories by 'size' (articles) or 'outlets' (spread)");
  flags.Int("k", &options.query.k,
            "copies and related articles listed per article");
  flags.Double("story-threshold", &options.cluster.story_threshold,
               "average-linkage cosine threshold of stories");
  AddOpenFlags(&flags, &open, &quiet);
  AddRelationFlags(&flags, &options.query.relations);
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("report", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  SetUpProgress(quiet, &open);
  options.cluster.relations = options.query.relations;
  if (dir.empty()) return UsageError("report", "--index DIR is required");
  if (output.empty()) return UsageError("report", "--output FILE is required");
  if (!positional.empty()) {
    return UsageError("report", "unexpected argument '" + positional[0] + "'");
  }
  if (rank != "size" && rank != "outlets") {
    return UsageError("report",
                      "--rank must be 'size' or 'outlets', not '" + rank + "'");
  }
  options.rank = rank == "size" ? StoryRank::kSize : StoryRank::kOutlets;
  options.cluster.relations = options.query.relations;
  if (absl::Status st = options.Validate(); !st.ok()) {
    return UsageError("report", std::string(st.message()));
  }
  if (int code = CheckFlags("report", open.Validate()); code != kExitOk) {
    return code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, open);
  if (!index.ok()) return Fail(index.status());
  absl::StatusOr<StoryReport> report = BuildStoryReport(**index, options);
  if (!report.ok()) return Fail(report.status());
  absl::Status st = WriteFileAtomically(output, StoryReportHtml(*report, dir));
  if (!st.ok()) return Fail(st);
  std::cout << absl::StrFormat(
      "report: %d of %d stories, %d articles, %d outlets written to %s\n",
      report->stories.size(), report->index_stories, report->articles.size(),
      report->outlets.size(), output);
  return kExitOk;
}

}  // namespace syndex
