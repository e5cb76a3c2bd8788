#include "engine/output/report_html.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/output/report_page.h"
#include "engine/util/json.h"

namespace syndex {
namespace {

std::string OptionalTime(const std::optional<int64_t>& t) {
  return t ? absl::StrCat(*t) : "null";
}

std::string OptionalIso(const std::optional<int64_t>& t) {
  return t ? JsonString(FormatIsoTime(*t)) : "null";
}

void AppendMatch(const Match& m, std::string* out) {
  const PairScores& s = m.scores;
  absl::StrAppend(out, "{\"id\":", JsonString(m.article.id),
                  ",\"relation\":", JsonString(RelationName(m.relation)),
                  ",\"jaccard\":", Fixed(s.jaccard), ",\"containment\":",
                  Fixed(std::max(s.containment_ab, s.containment_ba)),
                  ",\"cosine\":", Fixed(s.cosine),
                  ",\"char_jaccard\":", Fixed(s.char_jaccard),
                  ",\"title\":", JsonString(m.article.title),
                  ",\"source\":", JsonString(m.article.source),
                  ",\"published\":", OptionalIso(m.article.published), "}");
}

void AppendArticle(const StoryReport& report, const ReportArticle& a,
                   std::string* out) {
  const ClusterEntry& e = a.entry;
  const bool original = e.original();
  absl::StrAppend(
      out, "{\"id\":", JsonString(a.info.id),
      ",\"title\":", JsonString(a.info.title),
      ",\"source\":", JsonString(a.info.source),
      ",\"url\":", JsonString(a.info.url),
      ",\"published\":", OptionalIso(a.info.published),
      ",\"t\":", OptionalTime(a.info.published), ",\"group\":", e.copy_group,
      ",\"group_size\":", e.copy_group_size,
      ",\"relation\":", JsonString(e.label()),
      ",\"jaccard\":", Fixed(original ? 1 : e.scores.jaccard),
      ",\"containment\":", Fixed(original ? 1 : e.scores.containment_ab),
      ",\"cosine\":", Fixed(original ? 1 : e.scores.cosine),
      ",\"lag\":", OptionalTime(a.lag_seconds), ",\"matches\":[");
  for (size_t i = 0; i < a.matches.size(); ++i) {
    if (i > 0) absl::StrAppend(out, ",");
    AppendMatch(a.matches[i], out);
  }
  absl::StrAppend(out, "]}");
}

void AppendStory(const ReportStory& s, std::string* out) {
  absl::StrAppend(out, "{\"story\":", s.story, ",\"dated\":", s.dated,
                  ",\"outlets\":", s.outlets,
                  ",\"copy_groups\":", s.copy_groups, ",\"articles\":[");
  for (size_t i = 0; i < s.articles.size(); ++i) {
    absl::StrAppend(out, i == 0 ? "" : ",", s.articles[i]);
  }
  absl::StrAppend(out, "]}");
}

void AppendOutlet(const OutletRow& o, std::string* out) {
  absl::StrAppend(
      out, "{\"source\":", JsonString(o.source), ",\"articles\":", o.articles,
      ",\"copies\":", o.copies, ",\"originals\":", o.originals,
      ",\"median_lag\":",
      o.median_lag_seconds ? absl::StrCat(*o.median_lag_seconds) : "null", "}");
}

}  // namespace

std::string StoryReportJson(const StoryReport& report,
                            absl::string_view title) {
  // Articles refer to their copy group and story by doc number ("group",
  // "story" of ReportStory); the page maps doc numbers to articles.
  std::string out = absl::StrCat(
      "{\"title\":", JsonString(title), ",\"rank\":",
      report.rank == StoryRank::kOutlets ? "\"outlets\"" : "\"size\"",
      ",\"index_articles\":", report.index_articles,
      ",\"index_stories\":", report.index_stories, ",\"articles\":[");
  for (size_t i = 0; i < report.articles.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, ",");
    AppendArticle(report, report.articles[i], &out);
  }
  absl::StrAppend(&out, "],\"docs\":[");
  for (size_t i = 0; i < report.articles.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", report.articles[i].entry.doc);
  }
  absl::StrAppend(&out, "],\"stories\":[");
  for (size_t i = 0; i < report.stories.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, ",");
    AppendStory(report.stories[i], &out);
  }
  absl::StrAppend(&out, "],\"outlets\":[");
  for (size_t i = 0; i < report.outlets.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, ",");
    AppendOutlet(report.outlets[i], &out);
  }
  absl::StrAppend(&out, "]}");
  return absl::StrReplaceAll(out, {{"<", "\\u003c"}});
}

std::string StoryReportHtml(const StoryReport& report,
                            absl::string_view title) {
  std::string escaped_title = absl::StrReplaceAll(
      title, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
      "<title>syndex story report: ",
      escaped_title, "</title>\n<style>\n", ReportPageStyle(),
      "</style>\n</head>\n<body>\n", ReportPageBody(),
      "<script type=\"application/json\" id=\"report-data\">",
      StoryReportJson(report, title), "</script>\n<script>\n",
      ReportPageScript(), "</script>\n</body>\n</html>\n");
}

}  // namespace syndex
