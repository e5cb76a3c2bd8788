// The distributed steps (engine/scale_out.h) against an index of the
// sample corpus: each step gives what the index computes on one machine.

#include "engine/scale_out.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/clustering/candidates.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

std::string SampleCorpus() {
  const char* source = std::getenv("SYNDEX_SOURCE_DIR");
  return absl::StrCat(source == nullptr ? "." : source,
                      "/datasets/sample/news.jsonl");
}

// Articles per batch of the index's ingest: the sample's 42 articles are
// learned in three batches.
constexpr uint64_t kBatch = 15;

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
    Build();
  }
  void TearDown() override {
    index_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A new index of articles_, kBatch articles a batch.
  void Build() {
    index_.reset();
    std::filesystem::remove_all(dir_);
    OpenOptions open;
    open.threads = 2;
    absl::StatusOr<std::unique_ptr<Index>> index =
        Index::Create(dir_.string(), IndexParams(), false, open);
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = *std::move(index);
    AddReport report;
    AddOptions add;
    add.batch_size = kBatch;
    size_t next = 0;
    ASSERT_TRUE(index_
                    ->Add(
                        [&](Article* a) -> absl::StatusOr<bool> {
                          if (next == articles_.size()) return false;
                          *a = articles_[next++];
                          return true;
                        },
                        add, &report)
                    .ok());
  }

  // The chrome models after each batch, learned over `parts` parts of the
  // corpus and merged per batch.
  std::vector<std::string> Models(size_t parts) const {
    std::vector<std::vector<std::string>> by_batch;
    const size_t n = articles_.size();
    for (size_t p = 0; p < parts; ++p) {
      const size_t begin = p * n / parts, end = (p + 1) * n / parts;
      if (begin == end) continue;
      std::vector<Article> part(articles_.begin() + begin,
                                articles_.begin() + end);
      absl::StatusOr<std::vector<std::string>> learners =
          ObserveChrome(IndexParams(), part, begin, kBatch);
      EXPECT_TRUE(learners.ok()) << learners.status();
      for (size_t b = 0; b < learners->size(); ++b) {
        const size_t batch = begin / kBatch + b;
        by_batch.resize(std::max(by_batch.size(), batch + 1));
        by_batch[batch].push_back((*learners)[b]);
      }
    }
    std::vector<std::string> merged;
    for (const auto& learners : by_batch) {
      absl::StatusOr<std::string> m =
          MergeChromeLearners(IndexParams(), learners);
      EXPECT_TRUE(m.ok()) << m.status();
      merged.push_back(*m);
    }
    absl::StatusOr<std::vector<std::string>> models =
        ChromeModels(IndexParams(), merged);
    EXPECT_TRUE(models.ok()) << models.status();
    return *models;
  }

  // The features of every article under its batch's model.
  std::vector<CopyFeatures> Features(std::vector<DocumentTerms>* terms) const {
    const std::vector<std::string> models = Models(1);
    std::vector<CopyFeatures> out;
    terms->resize(articles_.size());
    for (size_t i = 0; i < articles_.size(); ++i) {
      absl::StatusOr<std::unique_ptr<FeaturePipeline>> pipeline =
          FeaturePipeline::Create(IndexParams(), models[i / kBatch]);
      EXPECT_TRUE(pipeline.ok());
      out.push_back((*pipeline)->Features(articles_[i], &(*terms)[i]));
    }
    return out;
  }

  int ExpectIndexCopyGroups(size_t* largest);

  std::filesystem::path dir_;
  std::vector<Article> articles_;
  std::unique_ptr<Index> index_;
};

// The TF-IDF cosines of a corpus from its documents' terms, as the index
// computes them (TfIdfCosine over corpus-wide first occurrences and
// document frequencies).
class Cosines {
 public:
  explicit Cosines(const std::vector<DocumentTerms>& terms) : terms_(terms) {
    for (size_t i = 0; i < terms.size(); ++i) {
      for (size_t t = 0; t < terms[i].hashes.size(); ++t) {
        auto [it, fresh] =
            stats_.try_emplace(terms[i].hashes[t], uint64_t{i} << 32 | t, 0);
        ++it->second.second;
      }
    }
  }
  TermVector Vector(size_t i) const {
    TermVector v;
    for (size_t t = 0; t < terms_[i].hashes.size(); ++t) {
      const auto& s = stats_.at(terms_[i].hashes[t]);
      v.order.push_back(s.first);
      v.counts.push_back(terms_[i].counts[t]);
      v.df.push_back(s.second);
    }
    return v;
  }
  float Of(size_t a, size_t b) const {
    absl::StatusOr<float> c =
        TfIdfCosine(Vector(a), Vector(b), terms_.size(), 1);
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

 private:
  const std::vector<DocumentTerms>& terms_;
  std::map<uint64_t, std::pair<uint64_t, uint32_t>> stats_;
};

TEST_F(ScaleOutTest, MergedChromeLearnersGiveTheStoredFeatures) {
  ASSERT_GT(index_->Stats().chrome_passages, 0u);
  const std::vector<std::string> one = Models(1);
  ASSERT_EQ(one.size(), 3u);
  // Any partition gives the models of one learner per batch.
  EXPECT_EQ(Models(5), one);
  EXPECT_EQ(Models(42), one);
  std::vector<DocumentTerms> terms;
  const std::vector<CopyFeatures> features = Features(&terms);
  for (size_t i = 0; i < articles_.size(); ++i) {
    absl::StatusOr<CopyFeatures> stored =
        index_->StoredFeatures(articles_[i].id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(features[i].signature, stored->signature) << i;
    EXPECT_EQ(features[i].char_signature, stored->char_signature) << i;
    EXPECT_EQ(features[i].content_hash, stored->content_hash) << i;
    EXPECT_EQ(features[i].shingles, stored->shingles) << i;
  }
  // Chrome learned by a later batch changes features: one model for all
  // would not do.
  EXPECT_NE(one.front(), one.back());
  EXPECT_FALSE(MergeChromeLearners(IndexParams(), {"garbage"}).ok());
}

// Runs the distributed steps over articles_ in one process and expects
// the copy groups of the index's Cluster with lsh_copies_only. Returns the
// articles grouped with another and sets `largest` to the most distinct
// texts of one bucket.
int ScaleOutTest::ExpectIndexCopyGroups(size_t* largest) {
  std::vector<DocumentTerms> terms;
  const std::vector<CopyFeatures> f = Features(&terms);
  const Cosines cosines(terms);
  const uint32_t n = static_cast<uint32_t>(articles_.size());
  std::vector<ArticleInfo> info(n);
  for (uint32_t i = 0; i < n; ++i) {
    info[i].id = articles_[i].id;
    info[i].published = articles_[i].published;
    info[i].shingles = f[i].shingles;
    info[i].content_hash = f[i].content_hash;
    info[i].char_grams = f[i].char_grams;
  }
  // Buckets, in any order of entries.
  absl::StatusOr<std::unique_ptr<FeaturePipeline>> pipeline =
      FeaturePipeline::Create(IndexParams(), "");
  EXPECT_TRUE(pipeline.ok());
  std::vector<BandEntry> entries;
  std::vector<uint64_t> keys((*pipeline)->bands());
  for (uint32_t doc = n; doc-- > 0;) {
    (*pipeline)->BandKeys(f[doc].signature.data(), keys.data());
    for (int b = 0; b < (*pipeline)->bands(); ++b) {
      entries.push_back({static_cast<uint32_t>(b), keys[b], doc});
    }
  }
  *largest = 0;
  std::map<std::pair<uint32_t, uint64_t>, std::set<uint64_t>> texts;
  for (const BandEntry& e : entries) {
    auto& t = texts[{e.band, e.key}];
    t.insert(f[e.doc].content_hash);
    *largest = std::max(*largest, t.size());
  }
  std::vector<uint64_t> duplicates;
  const std::vector<uint64_t> pairs = BucketPairs(
      &entries, [&](uint32_t d) -> const ArticleInfo& { return info[d]; },
      &duplicates);
  EXPECT_FALSE(pairs.empty());
  // Verified links, and components over links and duplicates.
  std::vector<uint32_t> parent(n);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<CopyLink> links;
  std::vector<uint32_t> representative(n);
  for (uint32_t i = 0; i < n; ++i) representative[i] = i;
  for (uint64_t d : duplicates) {
    representative[d >> 32] = static_cast<uint32_t>(d);
    parent[find(d >> 32)] = find(static_cast<uint32_t>(d));
  }
  for (uint64_t p : pairs) {
    const uint32_t a = p >> 32, b = static_cast<uint32_t>(p);
    PairScores s = ScoreSketches(ViewOf(f[a]), ViewOf(f[b]), 128, 128, 0);
    if (LinkNeedsCosine(s, RelationOptions())) s.cosine = cosines.Of(a, b);
    const Relation r = LinkRelation(s, RelationOptions());
    if (!IsCopy(r)) continue;
    links.push_back({a, b, r, static_cast<float>(s.jaccard)});
    parent[find(a)] = find(b);
  }
  // Each component placed by itself, with the cosines it asks for.
  std::map<uint32_t, std::vector<ComponentArticle>> components;
  for (uint32_t i = 0; i < n; ++i) {
    components[find(i)].push_back({i, representative[i], info[i],
                                   f[i].signature.data(),
                                   f[i].char_signature.data()});
  }
  std::vector<ComponentEntry> placed(n);
  for (const auto& [root, members] : components) {
    std::vector<CopyLink> own;
    for (const CopyLink& l : links) {
      if (find(l.a) == root) own.push_back(l);
    }
    absl::flat_hash_map<uint64_t, float> known;
    for (;;) {
      std::vector<uint64_t> missing;
      absl::StatusOr<std::vector<ComponentEntry>> e = PlaceComponents(
          members, own, 128, 128, RelationOptions(), known, &missing);
      EXPECT_TRUE(e.ok()) << e.status();
      if (!e.ok()) return 0;
      if (missing.empty()) {
        for (const ComponentEntry& x : *e) placed[x.doc] = x;
        break;
      }
      for (uint64_t k : missing) {
        known[k] = cosines.Of(k >> 32, static_cast<uint32_t>(k));
      }
    }
  }
  ClusterOptions options;
  options.lsh_copies_only = true;
  ClusterStats stats;
  absl::StatusOr<std::vector<ClusterEntry>> cluster =
      index_->Cluster(options, &stats);
  EXPECT_EQ(pairs.size(), stats.lsh_pairs);
  EXPECT_EQ(duplicates.size(), stats.exact_duplicates);
  EXPECT_EQ(*largest, stats.largest_bucket);
  EXPECT_TRUE(cluster.ok()) << cluster.status();
  if (!cluster.ok()) return 0;
  int grouped = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const ClusterEntry& want = (*cluster)[i];
    EXPECT_EQ(placed[i].canonical, want.copy_group) << i;
    grouped += placed[i].canonical != i;
    if (want.original()) continue;
    EXPECT_EQ(placed[i].relation, want.relation) << i;
    EXPECT_EQ(placed[i].jaccard, want.scores.jaccard) << i;
    EXPECT_EQ(placed[i].containment, want.scores.containment_ab) << i;
  }
  return grouped;
}

TEST_F(ScaleOutTest, DistributedStepsGiveTheIndexCopyGroups) {
  size_t largest = 0;
  EXPECT_GT(ExpectIndexCopyGroups(&largest), 0);
  // A link outside the articles is an error.
  std::vector<uint64_t> missing;
  EXPECT_FALSE(PlaceComponents({}, {{0, 1, Relation::kExact, 1}}, 128, 128,
                               RelationOptions(), {}, &missing)
                   .ok());
}

TEST_F(ScaleOutTest, LargeBucketsAreCappedAsOnOneMachine) {
  // 150 versions of one text, version i with its first 2i words
  // changed, from five outlets, dated in an order of their own: buckets of
  // more texts than CandidateOptions::full_bucket, whose pairs depend on
  // the canonical order.
  std::string base;
  for (int w = 0; w < 400; ++w) {
    absl::StrAppend(&base, w == 0 ? "" : " ", "term", w * 7919 % 1009);
  }
  for (int i = 0; i < 150; ++i) {
    Article a;
    a.id = absl::StrCat("version-", i);
    a.source = absl::StrCat("outlet", i % 5);
    a.published = int64_t{1700000000} + (i * 37 % 150) * 60;
    std::vector<std::string> words = absl::StrSplit(base, ' ');
    for (int w = 0; w < 2 * i; ++w) words[w] = absl::StrCat("changed", i);
    a.text = absl::StrJoin(words, " ");
    articles_.push_back(a);
    if (i % 50 == 0) articles_.push_back(a), articles_.back().id += "-dup";
  }
  Build();
  size_t largest = 0;
  EXPECT_GT(ExpectIndexCopyGroups(&largest), 150);
  EXPECT_GT(largest, CandidateOptions().full_bucket);
}

TEST_F(ScaleOutTest, CosineAndRelationsEqualExplain) {
  std::vector<DocumentTerms> terms;
  const std::vector<CopyFeatures> features = Features(&terms);
  const Cosines cosines(terms);
  const size_t n = articles_.size();
  int copies = 0;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      absl::StatusOr<Explanation> e =
          index_->Explain(articles_[a].id, articles_[b].id, ExplainOptions());
      ASSERT_TRUE(e.ok());
      const float cosine = cosines.Of(a, b);
      // Bit for bit.
      EXPECT_EQ(cosine, static_cast<float>(e->scores.cosine)) << a << b;
      const PairScores s = ScoreSketches(ViewOf(features[a]),
                                         ViewOf(features[b]), 128, 128, cosine);
      EXPECT_EQ(s.jaccard, e->scores.jaccard);
      EXPECT_EQ(s.char_jaccard, e->scores.char_jaccard);
      // Without the cosine, a link is right whenever it does not ask for it.
      PairScores without = s;
      without.cosine = 0;
      if (!LinkNeedsCosine(without, RelationOptions())) {
        EXPECT_EQ(LinkRelation(without, RelationOptions()),
                  LinkRelation(s, RelationOptions()));
      }
      copies += IsCopy(LinkRelation(s, RelationOptions()));
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
