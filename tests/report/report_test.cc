// The story report of the bundled sample plus an undated copy, in process:
// which stories and articles it holds, in what order, their lags, the
// per-outlet table, and the page's escaping of article texts.

#include "engine/report/report.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/output/report_html.h"
#include "engine/syndex.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "syndex_report_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name(),
               "_", ::getpid());
    std::filesystem::remove_all(dir_);
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    std::map<std::string, int64_t> skipped;
    absl::StatusOr<std::vector<Article>> articles =
        ReadArticles({absl::StrCat(source == nullptr ? "." : source,
                                   "/datasets/sample/news.jsonl")},
                     ReaderOptions(), &skipped);
    ASSERT_TRUE(articles.ok()) << articles.status();
    // An undated copy of s01-a, whose title would end a script element.
    Article undated = articles->front();
    undated.id = "x-undated";
    undated.source = "undated.example";
    undated.title = "</script><b>not markup</b>";
    undated.published.reset();
    articles->push_back(undated);
    OpenOptions open;
    open.threads = 2;
    absl::StatusOr<std::unique_ptr<Index>> index =
        Index::Create(dir_.string(), IndexParams(), false, open);
    ASSERT_TRUE(index.ok()) << index.status();
    AddReport report;
    ASSERT_TRUE(
        (*index)->Add(*std::move(articles), AddOptions(), &report).ok());
    index_ = *std::move(index);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  StoryReport Build(const ReportOptions& options) {
    absl::StatusOr<StoryReport> report = BuildStoryReport(*index_, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *std::move(report) : StoryReport();
  }
  const ReportArticle* Find(const StoryReport& r, const std::string& id) {
    for (const ReportArticle& a : r.articles) {
      if (a.info.id == id) return &a;
    }
    return nullptr;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(ReportTest, AllStoriesHoldEveryArticleOnceRankedBySize) {
  ReportOptions options;
  options.top = 0;
  const StoryReport r = Build(options);
  EXPECT_EQ(r.index_articles, 43u);
  ASSERT_EQ(r.stories.size(), r.index_stories);
  EXPECT_EQ(r.stories.size(), 15u);  // datasets/sample/truth.tsv
  std::set<std::string> ids;
  for (const ReportArticle& a : r.articles) ids.insert(a.info.id);
  EXPECT_EQ(ids.size(), 43u);
  EXPECT_EQ(r.articles.size(), 43u);
  for (size_t i = 1; i < r.stories.size(); ++i) {
    EXPECT_GE(r.stories[i - 1].articles.size(), r.stories[i].articles.size());
  }
  EXPECT_EQ(index_->article(r.stories[0].story).id, "s01-a");
}

TEST_F(ReportTest, UndatedArticlesComeLastAndHaveNoLag) {
  const StoryReport r = Build(ReportOptions());
  const ReportStory& s = r.stories[0];
  ASSERT_EQ(s.articles.size(), 12u);
  EXPECT_EQ(s.dated, 11u);
  const ReportArticle& last = r.articles[s.articles.back()];
  EXPECT_EQ(last.info.id, "x-undated");
  EXPECT_FALSE(last.lag_seconds.has_value());
  EXPECT_EQ(index_->article(last.entry.copy_group).id, "s01-a");
  for (size_t i = 1; i < s.dated; ++i) {
    EXPECT_LE(*r.articles[s.articles[i - 1]].info.published,
              *r.articles[s.articles[i]].info.published);
  }
}

TEST_F(ReportTest, LagsAreBehindTheCanonical) {
  const StoryReport r = Build(ReportOptions());
  const ReportArticle* b = Find(r, "s01-b");  // 07:55, canonical 06:40.
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->lag_seconds, 75 * 60);
  const ReportArticle* a = Find(r, "s01-a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->entry.original());
  EXPECT_FALSE(a->lag_seconds.has_value());
  // Its matches are the query's: its exact copy s01-g first.
  ASSERT_FALSE(a->matches.empty());
  EXPECT_EQ(a->matches[0].article.id, "s01-g");
  EXPECT_EQ(a->matches[0].relation, Relation::kExact);
}

TEST_F(ReportTest, OutletsCountCopiesOriginalsAndMedianLag) {
  ReportOptions options;
  options.top = 0;
  const StoryReport r = Build(options);
  std::map<std::string, OutletRow> rows;
  for (const OutletRow& o : r.outlets) rows[o.source] = o;
  EXPECT_EQ(rows.size(), 12u);
  const OutletRow& meridian = rows["meridianpress.net"];
  EXPECT_EQ(meridian.articles, 2);
  EXPECT_EQ(meridian.copies, 2);
  EXPECT_EQ(meridian.originals, 2);
  EXPECT_FALSE(meridian.median_lag_seconds.has_value());
  // s01-b, s02-b and s03-f: 1h15, 1h15, 3h25 after their canonicals.
  const OutletRow& gazette = rows["harbourgazette.com"];
  EXPECT_EQ(gazette.copies, 3);
  EXPECT_EQ(gazette.originals, 0);
  EXPECT_EQ(gazette.median_lag_seconds, 75 * 60.0);
  // The undated copy counts as a copy without a lag.
  const OutletRow& undated = rows["undated.example"];
  EXPECT_EQ(undated.copies, 1);
  EXPECT_FALSE(undated.median_lag_seconds.has_value());
  for (size_t i = 1; i < r.outlets.size(); ++i) {
    EXPECT_GE(r.outlets[i - 1].copies, r.outlets[i].copies);
  }
}

TEST_F(ReportTest, TopRankAndOneStory) {
  ReportOptions options;
  options.top = 2;
  EXPECT_EQ(Build(options).stories.size(), 2u);
  options.top = 0;
  options.rank = StoryRank::kOutlets;
  const StoryReport by_outlets = Build(options);
  for (size_t i = 1; i < by_outlets.stories.size(); ++i) {
    EXPECT_GE(by_outlets.stories[i - 1].outlets, by_outlets.stories[i].outlets);
  }
  options.story_of = "s05-b";
  const StoryReport one = Build(options);
  ASSERT_EQ(one.stories.size(), 1u);
  std::set<std::string> ids;
  for (const ReportArticle& a : one.articles) ids.insert(a.info.id);
  EXPECT_EQ(ids, (std::set<std::string>{"s05-a", "s05-b"}));
}

TEST_F(ReportTest, RefusesBadOptions) {
  ReportOptions options;
  options.story_of = "no-such-id";
  EXPECT_TRUE(absl::IsNotFound(BuildStoryReport(*index_, options).status()));
  options = ReportOptions();
  options.top = -1;
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildStoryReport(*index_, options).status()));
  options = ReportOptions();
  options.query.k = 0;
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildStoryReport(*index_, options).status()));
}

TEST_F(ReportTest, PageEmbedsTextsWithoutEndingItsScript) {
  const std::string html = StoryReportHtml(Build(ReportOptions()), "a<b");
  size_t count = 0;
  for (size_t at = html.find("</script>"); at != std::string::npos;
       at = html.find("</script>", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u);  // The data and the script, nothing else.
  EXPECT_NE(html.find("\\u003c/script>\\u003cb>not markup"), std::string::npos);
  EXPECT_NE(html.find("<title>syndex story report: a&lt;b</title>"),
            std::string::npos);
  // No address the page could load anything from.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

}  // namespace
}  // namespace syndex
