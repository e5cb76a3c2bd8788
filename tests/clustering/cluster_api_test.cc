// Copy groups of whole indexes through the public API: no chains, mass
// exact duplicates at bounded work, the canonical after a removal, and the
// rule of each query match.

#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/output/json.h"
#include "engine/syndex.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1700000000;

// Random words of a fixed vocabulary of letter strings.
class Words {
 public:
  explicit Words(uint32_t seed) : rng_(seed) {
    for (int i = 0; i < 5000; ++i) {
      std::string w;
      const int length = 4 + static_cast<int>(rng_() % 6);
      for (int j = 0; j < length; ++j)
        w += static_cast<char>('a' + rng_() % 26);
      vocabulary_.push_back(w);
    }
  }
  std::vector<std::string> Take(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(vocabulary_[rng_() % vocabulary_.size()]);
    }
    return out;
  }

 private:
  std::mt19937 rng_;
  std::vector<std::string> vocabulary_;
};

Article MakeArticle(const std::string& id,
                    const std::vector<std::string>& words, int64_t published,
                    const std::string& source) {
  Article a;
  a.id = id;
  a.text = absl::StrJoin(words, " ");
  a.title = id;
  a.source = source;
  a.published = published;
  return a;
}

std::vector<std::string> Concat(
    std::initializer_list<const std::vector<std::string>*> parts) {
  std::vector<std::string> out;
  for (const auto* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}

class ClusterApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "syndex_cluster_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name(),
               "_", ::getpid());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Index> Build(std::vector<Article> articles) {
    OpenOptions options;
    options.threads = 2;
    absl::StatusOr<std::unique_ptr<Index>> index =
        Index::Create(dir_.string(), IndexParams(), false, options);
    EXPECT_TRUE(index.ok()) << index.status();
    AddReport report;
    const absl::Status st =
        (*index)->Add(std::move(articles), AddOptions(), &report);
    EXPECT_TRUE(st.ok()) << st;
    return *std::move(index);
  }

  // The entry of each article id.
  static std::map<std::string, ClusterEntry> ById(
      const Index& index, const std::vector<ClusterEntry>& entries) {
    std::map<std::string, ClusterEntry> out;
    for (const ClusterEntry& e : entries) out[index.article(e.doc).id] = e;
    return out;
  }
  static std::string Id(const Index& index, uint32_t doc) {
    return index.article(doc).id;
  }

  std::filesystem::path dir_;
};

TEST_F(ClusterApiTest, OverlappingTextsInAChainAreNotOneGroup) {
  // Each text shares two of its three passages with the next: a chain of
  // syndicated links from a to e, whose ends share nothing.
  Words words(3);
  std::vector<std::vector<std::string>> p;
  for (int i = 0; i < 7; ++i) p.push_back(words.Take(80));
  std::vector<Article> articles;
  const char* ids[] = {"a", "b", "c", "d", "e"};
  for (int i = 0; i < 5; ++i) {
    articles.push_back(MakeArticle(ids[i],
                                   Concat({&p[i], &p[i + 1], &p[i + 2]}),
                                   kStart + i * 3600, absl::StrCat("s", i)));
  }
  for (int i = 0; i < 30; ++i) {  // Unrelated texts, for the vectors.
    articles.push_back(MakeArticle(absl::StrCat("x", i), words.Take(200),
                                   kStart + i * 60, "other"));
  }
  std::unique_ptr<Index> index = Build(std::move(articles));
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(entries.ok()) << entries.status();
  const auto e = ById(*index, *entries);
  EXPECT_EQ(Id(*index, e.at("b").copy_group), "a");
  EXPECT_EQ(Id(*index, e.at("c").copy_group), "a");  // Through b.
  EXPECT_EQ(Id(*index, e.at("d").copy_group), "d");  // c is two links away.
  EXPECT_EQ(Id(*index, e.at("e").copy_group), "d");
  // Each member's own relation to the canonical, or the link it joined
  // through, is a copy.
  for (const ClusterEntry& x : *entries) {
    if (!x.original()) EXPECT_TRUE(IsCopy(x.relation)) << Id(*index, x.doc);
  }
}

TEST_F(ClusterApiTest, MassExactDuplicatesCollapseBeforePairwiseWork) {
  // One article repeated 20,000 times among 10,000 others.
  Words words(5);
  std::vector<Article> articles;
  const std::vector<std::string> repeated = words.Take(120);
  for (int i = 0; i < 30000; ++i) {
    const bool copy = i % 3 != 0;
    articles.push_back(MakeArticle(absl::StrCat("a", i),
                                   copy ? repeated : words.Take(120),
                                   kStart + i, absl::StrCat("s", i % 400)));
  }
  std::unique_ptr<Index> index = Build(std::move(articles));
  ClusterStats stats;
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      index->Cluster(ClusterOptions(), &stats);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(stats.articles, 30000u);
  EXPECT_EQ(stats.exact_duplicates, 19999u);
  // Random texts share no band but by chance: far fewer pairs than texts.
  EXPECT_LT(stats.lsh_pairs, 10001u);
  EXPECT_EQ(stats.capped_buckets, 0u);
  const ClusterEntry& first = (*entries)[1];  // a1, the first copy.
  EXPECT_TRUE(first.original());
  EXPECT_EQ(first.copy_group_size, 20000u);
  for (const ClusterEntry& x : *entries) {
    if (x.doc % 3 != 0 && x.doc != 1) {
      ASSERT_EQ(x.copy_group, 1u);
      ASSERT_EQ(x.relation, Relation::kExact);
    }
  }
}

TEST_F(ClusterApiTest, RemovingTheCanonicalMakesTheEarliestFullCopyCanonical) {
  // An original, a truncated copy published before every full copy, and
  // three full copies with small edits.
  Words words(7);
  const std::vector<std::string> text = words.Take(400);
  std::vector<Article> articles;
  articles.push_back(MakeArticle("orig", text, kStart, "wire"));
  articles.push_back(MakeArticle(
      "trunc", std::vector<std::string>(text.begin(), text.begin() + 160),
      kStart + kDay, "t"));
  for (int i = 0; i < 3; ++i) {
    std::vector<std::string> copy = text;
    copy[50 + 100 * i] = "edited";
    articles.push_back(MakeArticle(absl::StrCat("full", i), copy,
                                   kStart + (2 + i) * kDay,
                                   absl::StrCat("f", i)));
  }
  for (int i = 0; i < 30; ++i) {
    articles.push_back(MakeArticle(absl::StrCat("x", i), words.Take(200),
                                   kStart + i * 60, "other"));
  }
  std::unique_ptr<Index> index = Build(std::move(articles));
  absl::StatusOr<std::vector<ClusterEntry>> before =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(before.ok());
  auto e = ById(*index, *before);
  EXPECT_EQ(Id(*index, e.at("trunc").copy_group), "orig");
  EXPECT_EQ(e.at("trunc").relation, Relation::kPartial);
  EXPECT_EQ(e.at("full0").relation, Relation::kSyndicated);

  ASSERT_TRUE(index->Remove({"orig"}).ok());
  absl::StatusOr<std::vector<ClusterEntry>> after =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(after.ok());
  e = ById(*index, *after);
  EXPECT_EQ(Id(*index, e.at("full0").copy_group), "full0");
  EXPECT_EQ(e.at("full0").label(), "original");
  EXPECT_EQ(Id(*index, e.at("trunc").copy_group), "full0");
  EXPECT_EQ(e.at("trunc").relation, Relation::kPartial);
  for (const char* id : {"full1", "full2"}) {
    EXPECT_EQ(Id(*index, e.at(id).copy_group), "full0") << id;
    EXPECT_EQ(e.at(id).relation, Relation::kSyndicated) << id;
  }
}

TEST_F(ClusterApiTest, QueryMatchesNameTheirDecidingRule) {
  Words words(9);
  const std::vector<std::string> text = words.Take(300);
  std::vector<Article> articles;
  articles.push_back(MakeArticle("a", text, kStart, "s"));
  articles.push_back(MakeArticle("b", text, kStart + 60, "t"));
  articles.push_back(MakeArticle(
      "c", std::vector<std::string>(text.begin(), text.begin() + 120),
      kStart + 120, "u"));
  for (int i = 0; i < 20; ++i) {
    articles.push_back(MakeArticle(absl::StrCat("x", i), words.Take(200),
                                   kStart + i * 60, "other"));
  }
  std::unique_ptr<Index> index = Build(std::move(articles));
  const QueryOptions options;
  absl::StatusOr<std::vector<Match>> matches = index->QueryId("a", options);
  ASSERT_TRUE(matches.ok());
  ASSERT_GE(matches->size(), 2u);
  std::map<std::string, Rule> rules;
  for (const Match& m : *matches) {
    EXPECT_EQ(m.rule, Decide(m.scores, options.relations).rule);
    rules[m.article.id] = m.rule;
  }
  EXPECT_EQ(rules.at("b"), Rule::kSameText);
  EXPECT_EQ(rules.at("c"), Rule::kContainment);
  const std::string lines = MatchLines("a", *matches);
  EXPECT_NE(lines.find(",\"rule\":\"same-text\","), std::string::npos)
      << lines;
  EXPECT_NE(lines.find(",\"rule\":\"containment\","), std::string::npos)
      << lines;
}

}  // namespace
}  // namespace syndex
