// The distributed steps (engine/scale_out.h) against an index of the
// sample corpus: each step gives what the index computes on one machine.

#include "engine/scale_out.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

std::string SampleCorpus() {
  const char* source = std::getenv("SYNDEX_SOURCE_DIR");
  return absl::StrCat(source == nullptr ? "." : source,
                      "/datasets/sample/news.jsonl");
}

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("syndex_scale_out_", ::getpid());
    std::filesystem::remove_all(dir_);
    std::map<std::string, int64_t> skipped;
    absl::StatusOr<std::vector<Article>> read =
        ReadArticles({SampleCorpus()}, ReaderOptions(), &skipped);
    ASSERT_TRUE(read.ok()) << read.status();
    articles_ = *std::move(read);
    OpenOptions open;
    open.threads = 2;
    absl::StatusOr<std::unique_ptr<Index>> index =
        Index::Create(dir_.string(), IndexParams(), false, open);
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *std::move(index);
    AddReport report;
    ASSERT_TRUE(index_->Add(articles_, AddOptions(), &report).ok());
    ASSERT_GT(index_->Stats().chrome_lines, 0u);
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The chrome model of ChromeStats over `parts` parts of the corpus,
  // merged.
  std::string Model(size_t parts) const {
    std::vector<std::string> partial;
    const size_t n = articles_.size();
    for (size_t p = 0; p < parts; ++p) {
      ChromeStats stats{IndexParams()};
      for (size_t i = p * n / parts; i < (p + 1) * n / parts; ++i) {
        stats.Observe(articles_[i], i);
      }
      partial.push_back(stats.Serialize());
    }
    ChromeStats merged{IndexParams()};
    for (const std::string& s : partial) EXPECT_TRUE(merged.Merge(s).ok());
    return std::move(merged).Build();
  }

  std::filesystem::path dir_;
  std::vector<Article> articles_;
  std::unique_ptr<Index> index_;
};

TEST_F(ScaleOutTest, MergedChromeGivesTheStoredFeatures) {
  const std::string one = Model(1);
  EXPECT_EQ(Model(5), one);
  absl::StatusOr<std::unique_ptr<FeaturePipeline>> pipeline =
      FeaturePipeline::Create(IndexParams(), one);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  for (const Article& a : articles_) {
    const CopyFeatures f = (*pipeline)->Features(a, nullptr);
    absl::StatusOr<CopyFeatures> stored = index_->StoredFeatures(a.id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(f.signature, stored->signature) << a.id;
    EXPECT_EQ(f.char_signature, stored->char_signature) << a.id;
    EXPECT_EQ(f.content_hash, stored->content_hash) << a.id;
    EXPECT_EQ(f.shingles, stored->shingles) << a.id;
  }
}

TEST_F(ScaleOutTest, ChromeSampleLimitsTheArticlesCounted) {
  ChromeStats none(IndexParams(), /*sample=*/0);
  for (size_t i = 0; i < articles_.size(); ++i) none.Observe(articles_[i], i);
  ChromeStats empty{IndexParams()};
  EXPECT_EQ(std::move(none).Build(), std::move(empty).Build());
  ChromeStats bad{IndexParams()};
  EXPECT_FALSE(bad.Merge("garbage").ok());
}

TEST_F(ScaleOutTest, BucketPairsLinkTheStoredCopies) {
  absl::StatusOr<std::unique_ptr<FeaturePipeline>> pipeline =
      FeaturePipeline::Create(IndexParams(), Model(1));
  ASSERT_TRUE(pipeline.ok());
  std::vector<BandEntry> entries;
  std::vector<uint64_t> keys((*pipeline)->bands());
  for (uint32_t doc = 0; doc < articles_.size(); ++doc) {
    const CopyFeatures f = (*pipeline)->Features(articles_[doc], nullptr);
    (*pipeline)->BandKeys(f.signature.data(), keys.data());
    for (int b = 0; b < (*pipeline)->bands(); ++b) {
      entries.push_back({static_cast<uint32_t>(b), keys[b], doc});
    }
  }
  std::reverse(entries.begin(), entries.end());  // Any order.
  const std::vector<uint64_t> pairs = BucketPairs(&entries);
  ASSERT_FALSE(pairs.empty());
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  // Every pair shares a band; every exact copy pair is found.
  std::set<uint64_t> found(pairs.begin(), pairs.end());
  for (uint32_t a = 0; a < articles_.size(); ++a) {
    for (uint32_t b = a + 1; b < articles_.size(); ++b) {
      absl::StatusOr<Explanation> e =
          index_->Explain(articles_[a].id, articles_[b].id, ExplainOptions());
      ASSERT_TRUE(e.ok());
      if (e->relation == Relation::kExact) {
        EXPECT_TRUE(found.count(uint64_t{a} << 32 | b)) << a << " " << b;
      }
    }
  }
}

TEST_F(ScaleOutTest, CosineAndRelationsEqualExplain) {
  absl::StatusOr<std::unique_ptr<FeaturePipeline>> pipeline =
      FeaturePipeline::Create(IndexParams(), Model(1));
  ASSERT_TRUE(pipeline.ok());
  // Term statistics of the corpus: first occurrence and df of each term.
  const size_t n = articles_.size();
  std::vector<CopyFeatures> features(n);
  std::vector<DocumentTerms> terms(n);
  std::map<uint64_t, std::pair<uint64_t, uint32_t>> stats;
  for (size_t i = 0; i < n; ++i) {
    features[i] = (*pipeline)->Features(articles_[i], &terms[i]);
    for (size_t t = 0; t < terms[i].hashes.size(); ++t) {
      auto [it, fresh] =
          stats.try_emplace(terms[i].hashes[t], uint64_t{i} << 32 | t, 0);
      ++it->second.second;
    }
  }
  auto vector = [&](size_t i) {
    TermVector v;
    for (size_t t = 0; t < terms[i].hashes.size(); ++t) {
      v.order.push_back(stats[terms[i].hashes[t]].first);
      v.counts.push_back(terms[i].counts[t]);
      v.df.push_back(stats[terms[i].hashes[t]].second);
    }
    return v;
  };
  int copies = 0;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      absl::StatusOr<Explanation> e =
          index_->Explain(articles_[a].id, articles_[b].id, ExplainOptions());
      ASSERT_TRUE(e.ok());
      absl::StatusOr<float> cosine = TfIdfCosine(vector(a), vector(b), n, 1);
      ASSERT_TRUE(cosine.ok());
      // Bit for bit.
      EXPECT_EQ(*cosine, static_cast<float>(e->scores.cosine)) << a << b;
      const PairScores s = ScoreSketches(
          ViewOf(features[a]), ViewOf(features[b]), 128, 128, *cosine);
      EXPECT_EQ(s.jaccard, e->scores.jaccard);
      EXPECT_EQ(s.char_jaccard, e->scores.char_jaccard);
      EXPECT_EQ(Classify(s, RelationOptions()), e->relation);
      // Without the cosine, a link is right whenever it does not ask for it.
      PairScores without = s;
      without.cosine = 0;
      if (!CopyLinkNeedsCosine(without, RelationOptions())) {
        EXPECT_EQ(CopyLink(without, RelationOptions()),
                  CopyLink(s, RelationOptions()));
      }
      copies += IsCopy(CopyLink(s, RelationOptions()));
    }
  }
  EXPECT_GT(copies, 0);
}

TEST_F(ScaleOutTest, ReadArticleRangeNumbersItsLines) {
  const std::string path = (dir_ / "three.jsonl").string();
  const std::string text =
      "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\",\"text\":\"y\"}\n"
      "{\"id\":\"c\"}\n";
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());
  const uint64_t second = text.find("{\"id\":\"b\"");
  absl::StatusOr<std::vector<Article>> first =
      ReadArticleRange(path, 0, second, 1, ReaderOptions());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].origin, path + ":1");
  absl::StatusOr<std::vector<Article>> rest =
      ReadArticleRange(path, second, text.size(), 3, ReaderOptions());
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.status().message(), path + ":4: missing field 'text'");
  Article empty;
  empty.origin = "f:9";
  empty.text = "t";
  EXPECT_EQ(CheckArticle(empty).message(), "f:9: empty id");
}

}  // namespace
}  // namespace syndex
