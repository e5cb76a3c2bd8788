#include "engine/report/report.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// The members of each story, by story doc number.
std::map<uint32_t, std::vector<uint32_t>> StoryMembers(
    const std::vector<ClusterEntry>& entries) {
  std::map<uint32_t, std::vector<uint32_t>> members;
  for (const ClusterEntry& e : entries) members[e.story].push_back(e.doc);
  return members;
}

// A story's summary, before its articles are placed in the report.
ReportStory Summarize(const Index& index, uint32_t story,
                      const std::vector<uint32_t>& docs,
                      const std::vector<ClusterEntry>& entries) {
  ReportStory s;
  s.story = story;
  std::set<std::string> sources;
  for (uint32_t doc : docs) {
    sources.insert(index.article(doc).source);
    const ClusterEntry& e = entries[doc];
    s.copy_groups += e.original() && e.copy_group_size > 1;
  }
  s.outlets = sources.size();
  return s;
}

// Story doc numbers, ranked by `rank`, ties to the smaller doc number.
std::vector<uint32_t> RankStories(
    const std::map<uint32_t, ReportStory>& stories,
    const std::map<uint32_t, std::vector<uint32_t>>& members, StoryRank rank) {
  std::vector<uint32_t> order;
  for (const auto& [story, s] : stories) order.push_back(story);
  const auto key = [&](uint32_t story) {
    const size_t size = members.at(story).size();
    const size_t outlets = stories.at(story).outlets;
    return rank == StoryRank::kSize ? std::make_pair(size, outlets)
                                    : std::make_pair(outlets, size);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return key(a) > key(b); });
  return order;
}

// Dated articles by time, then doc order; then undated ones in doc order.
void OrderByTime(const Index& index, std::vector<uint32_t>* docs) {
  std::stable_sort(docs->begin(), docs->end(), [&](uint32_t a, uint32_t b) {
    const auto& pa = index.article(a).published;
    const auto& pb = index.article(b).published;
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    return pa && *pa < *pb;
  });
}

std::optional<double> Median(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return static_cast<double>(values[mid]);
  return (static_cast<double>(values[mid - 1]) + values[mid]) / 2;
}

std::vector<OutletRow> Outlets(const std::vector<ReportArticle>& articles) {
  std::map<std::string, OutletRow> rows;
  std::map<std::string, std::vector<int64_t>> lags;
  for (const ReportArticle& a : articles) {
    OutletRow& row = rows[a.info.source];
    row.source = a.info.source;
    ++row.articles;
    if (a.entry.copy_group_size < 2) continue;
    ++row.copies;
    row.originals += a.entry.original();
    if (a.lag_seconds) lags[a.info.source].push_back(*a.lag_seconds);
  }
  std::vector<OutletRow> out;
  for (auto& [source, row] : rows) {
    row.median_lag_seconds = Median(lags[source]);
    out.push_back(std::move(row));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OutletRow& a, const OutletRow& b) {
                     return a.copies > b.copies;
                   });
  return out;
}

}  // namespace

absl::Status ReportOptions::Validate() const {
  if (top < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("top must not be negative, not ", top));
  }
  SYNDEX_RETURN_IF_ERROR(cluster.Validate());
  return query.Validate();
}

absl::StatusOr<StoryReport> BuildStoryReport(const Index& index,
                                             const ReportOptions& options) {
  SYNDEX_RETURN_IF_ERROR(options.Validate());
  std::optional<uint32_t> chosen;
  if (!options.story_of.empty()) {
    chosen = index.Find(options.story_of);
    if (!chosen) {
      return absl::NotFoundError(
          absl::StrCat("no article with id '", options.story_of, "'"));
    }
  }
  SYNDEX_ASSIGN_OR_RETURN(const std::vector<ClusterEntry> entries,
                          index.Cluster(options.cluster));
  std::map<uint32_t, std::vector<uint32_t>> members = StoryMembers(entries);
  StoryReport report;
  report.index_articles = index.size();
  report.index_stories = members.size();
  report.rank = options.rank;
  std::map<uint32_t, ReportStory> stories;
  for (const auto& [story, docs] : members) {
    if (chosen && entries[*chosen].story != story) continue;
    stories[story] = Summarize(index, story, docs, entries);
  }
  std::vector<uint32_t> order = RankStories(stories, members, options.rank);
  if (options.top > 0 && order.size() > static_cast<size_t>(options.top)) {
    order.resize(options.top);
  }
  for (uint32_t story : order) {
    ReportStory s = std::move(stories[story]);
    std::vector<uint32_t>& docs = members[story];
    OrderByTime(index, &docs);
    for (uint32_t doc : docs) {
      ReportArticle a;
      a.info = index.article(doc);
      a.entry = entries[doc];
      const auto& canonical = index.article(a.entry.copy_group).published;
      if (!a.entry.original() && a.info.published && canonical) {
        a.lag_seconds = *a.info.published - *canonical;
      }
      SYNDEX_ASSIGN_OR_RETURN(a.matches,
                              index.QueryId(a.info.id, options.query));
      s.dated += a.info.published.has_value();
      s.articles.push_back(report.articles.size());
      report.articles.push_back(std::move(a));
    }
    report.stories.push_back(std::move(s));
  }
  report.outlets = Outlets(report.articles);
  return report;
}

}  // namespace syndex
