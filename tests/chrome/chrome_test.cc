#include "engine/chrome/chrome.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/bytes.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

// An article body of ~60 distinct words, different for each `n`.
std::string Body(int n) {
  std::string out;
  for (int i = 0; i < 60; ++i) absl::StrAppend(&out, "word", n, "x", i, " ");
  return out;
}

const std::string kShare =
    "share this article on social media and sign up for our daily "
    "newsletter to get the news first";
const std::string kFooter =
    "copyright 2024 the daily example all rights reserved comments are "
    "moderated according to our community guidelines";

ChromeModel Learn(const std::vector<std::pair<std::string, std::string>>&
                      articles,
                  ChromeOptions options = ChromeOptions()) {
  ChromeModel::Learner learner(options);
  for (const auto& [source, text] : articles) learner.Observe(source, text);
  ChromeModel model;
  std::move(learner).LearnInto(&model);
  return model;
}

TEST(ChromeTest, InlineChromeOfOneSourceIsLearnedAndStripped) {
  const ChromeModel model =
      Learn({{"a.com", kShare + " " + Body(1) + " " + kFooter},
             {"a.com", kShare + " " + Body(2) + " " + kFooter},
             {"a.com", Body(3) + " " + kFooter}});
  EXPECT_TRUE(model.Learned("a.com"));
  const std::string page = kShare + " " + Body(9) + " " + kFooter;
  const std::string body = model.Strip("a.com", page);
  EXPECT_EQ(body.find("newsletter"), std::string::npos) << body;
  EXPECT_EQ(body.find("reserved"), std::string::npos) << body;
  EXPECT_NE(body.find("word9x0"), std::string::npos) << body;
  // Another source keeps it: it was learned from one source only.
  EXPECT_EQ(model.Strip("b.com", page), page);
}

TEST(ChromeTest, ASyndicatedStoryAcrossSourcesIsKept) {
  std::vector<std::pair<std::string, std::string>> articles;
  for (int s = 0; s < 6; ++s) {
    const std::string source = absl::StrCat("outlet", s, ".com");
    const std::string chrome = absl::StrCat(
        "menu of outlet number ", s, " with its own links and its own words ",
        "that nobody else writes in this way at all");
    articles.push_back({source, chrome + " " + Body(100) + " " + Body(s)});
    articles.push_back({source, chrome + " " + Body(200 + s)});
  }
  const ChromeModel model = Learn(articles);
  const std::string story = Body(100);
  EXPECT_EQ(model.Strip("outlet0.com", story), story);
  const std::string page = articles[0].second;
  EXPECT_EQ(model.Strip("outlet0.com", page).find("menu"), std::string::npos);
}

TEST(ChromeTest, OneStoryTwiceInASourceIsNotChrome) {
  const std::string story = Body(7);
  const ChromeModel model = Learn({{"a.com", story}, {"a.com", story + " ok"},
                                   {"a.com", Body(8)}});
  EXPECT_EQ(model.Strip("a.com", story), story);
}

TEST(ChromeTest, ChromeOfTwoSourcesIsEveryonesChrome) {
  std::vector<std::pair<std::string, std::string>> articles;
  for (int s = 0; s < 2; ++s) {
    for (int a = 0; a < 2; ++a) {
      articles.push_back({absl::StrCat("s", s), Body(10 * s + a) + kFooter});
    }
  }
  const ChromeModel model = Learn(articles);
  const std::string page = Body(99) + kFooter;
  EXPECT_EQ(model.Strip("elsewhere.org", page).find("reserved"),
            std::string::npos);
}

TEST(ChromeTest, AllChromeTextComesBackWhole) {
  const ChromeModel model = Learn(
      {{"a.com", kShare + " " + Body(1)}, {"a.com", kShare + " " + Body(2)}});
  EXPECT_EQ(model.Strip("a.com", kShare), kShare);
}

TEST(ChromeTest, LearnersMergeToTheSameModelInAnyOrder) {
  std::vector<std::pair<std::string, std::string>> articles;
  for (int i = 0; i < 30; ++i) {
    articles.push_back({absl::StrCat("s", i % 3), kShare + Body(i) + kFooter});
  }
  ChromeOptions options;
  options.max_source_docs = 4;  // Each learner keeps only some.
  ChromeModel::Learner left(options), right(options);
  for (size_t i = 0; i < articles.size(); ++i) {
    (i % 2 ? left : right).Observe(articles[i].first, articles[i].second);
  }
  left.Merge(std::move(right));
  ChromeModel merged;
  std::move(left).LearnInto(&merged);
  std::reverse(articles.begin(), articles.end());
  const ChromeModel whole = Learn(articles, options);
  std::string a, b;
  ByteWriter wa(&a), wb(&b);
  merged.AppendTo(&wa);
  whole.AppendTo(&wb);
  EXPECT_EQ(a, b);
  EXPECT_GT(merged.size(), 0u);
}

TEST(ChromeTest, SerializesAndRefusesDamage) {
  const ChromeModel model =
      Learn({{"a.com", kShare + Body(1)}, {"a.com", kShare + Body(2)}});
  std::string bytes;
  ByteWriter w(&bytes);
  model.AppendTo(&w);
  ByteReader r(bytes, "chrome");
  ChromeModel read;
  ASSERT_TRUE(ChromeModel::ReadFrom(&r, ChromeOptions(), &read).ok());
  EXPECT_EQ(read.size(), model.size());
  const std::string page = kShare + Body(5);
  EXPECT_EQ(read.Strip("a.com", page), model.Strip("a.com", page));
  const std::string cut = bytes.substr(0, bytes.size() - 3);
  ByteReader bad(cut, "chrome");
  EXPECT_FALSE(ChromeModel::ReadFrom(&bad, ChromeOptions(), &read).ok());
}

TEST(ChromeTest, SourceKeyFallsBackToTheUrlHost) {
  EXPECT_EQ(SourceKey("Reuters", "https://x.com/a"), "Reuters");
  EXPECT_EQ(SourceKey("", "https://www.Example.com:8080/a?b"), "example.com");
  EXPECT_EQ(SourceKey("", ""), "");
}

}  // namespace
}  // namespace syndex
