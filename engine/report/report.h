#ifndef SYNDEX_ENGINE_REPORT_REPORT_H_
#define SYNDEX_ENGINE_REPORT_REPORT_H_

// The story report: how the stories of an index spread over outlets and
// time, computed from the public API (Index::Cluster, Index::QueryId and the
// stored article metadata). engine/output/report_html.h writes it as one
// self-contained HTML page (`syndex report`).
//
//   ReportOptions options;
//   options.top = 20;
//   SYNDEX_ASSIGN_OR_RETURN(StoryReport report,
//                           BuildStoryReport(*index, options));

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/syndex.h"

namespace syndex {

// How stories are ranked.
enum class StoryRank {
  kSize,     // Most articles first.
  kOutlets,  // Most distinct outlets (sources) first: the widest spread.
};

struct ReportOptions {
  // Copy groups and stories. Default: see ClusterOptions.
  ClusterOptions cluster;
  // The matches listed for every reported article (its copies and related
  // articles; k is the number per article). Default: see QueryOptions.
  QueryOptions query;
  // Stories reported, best ranked first; 0 means all. Default: 20.
  int top = 20;
  // Ranking of the stories; ties go to the earlier story (doc order of its
  // first article). Default: kSize.
  StoryRank rank = StoryRank::kSize;
  // If not empty: report only the story of the article with this id.
  // Default: "".
  std::string story_of;

  // InvalidArgumentError naming the first option out of range.
  absl::Status Validate() const;
};

// One article of a reported story.
struct ReportArticle {
  ArticleInfo info;
  ClusterEntry entry;  // Its copy group, story and relation to the canonical.
  // Seconds it was published after its copy group's canonical; set for a
  // copy (not the canonical) when both are dated.
  std::optional<int64_t> lag_seconds;
  // Its best matches (Index::QueryId with ReportOptions::query).
  std::vector<Match> matches;
};

// One reported story.
struct ReportStory {
  uint32_t story = 0;  // Doc number of its first article (ClusterEntry).
  // Indexes into StoryReport::articles: dated articles by publication time
  // (then doc order), then the undated ones in doc order.
  std::vector<size_t> articles;
  size_t dated = 0;        // The first `dated` of `articles` have a date.
  size_t outlets = 0;      // Distinct sources (an empty source counts once).
  size_t copy_groups = 0;  // Copy groups of two or more articles.
};

// One outlet (source) over the reported stories.
struct OutletRow {
  std::string source;  // "" for articles without one.
  int64_t articles = 0;
  // Articles in copy groups of two or more, and of those the canonicals
  // (the first to publish the text).
  int64_t copies = 0;
  int64_t originals = 0;
  // Median of lag_seconds over its copies that have one (the mean of the
  // middle two for an even count); unset if none has.
  std::optional<double> median_lag_seconds;
};

struct StoryReport {
  uint64_t index_articles = 0;          // Articles in the index.
  uint64_t index_stories = 0;           // Stories in the index.
  StoryRank rank = StoryRank::kSize;    // How `stories` are ranked.
  std::vector<ReportArticle> articles;  // Of the reported stories.
  std::vector<ReportStory> stories;     // Ranked.
  // Every source of the reported stories: most copies first, then by name.
  std::vector<OutletRow> outlets;
};

// The report of `index`. NotFoundError if options.story_of names no stored
// article; InvalidArgumentError for options out of range.
absl::StatusOr<StoryReport> BuildStoryReport(const Index& index,
                                             const ReportOptions& options);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_REPORT_REPORT_H_
