// The public API in process: create, add, reload, query against the
// exhaustive oracle, explain, cluster, features, and the error paths.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/output/json.h"
#include "engine/syndex.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

std::string SampleCorpus() {
  const char* source = std::getenv("SYNDEX_SOURCE_DIR");
  return absl::StrCat(source == nullptr ? "." : source,
                      "/datasets/sample/news.jsonl");
}

class IndexApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat(
               "syndex_api_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name(),
               "_", ::getpid());
    std::filesystem::remove_all(dir_);
    std::map<std::string, int64_t> skipped;
    absl::StatusOr<std::vector<Article>> read =
        ReadArticles({SampleCorpus()}, ReaderOptions(), &skipped);
    ASSERT_TRUE(read.ok()) << read.status();
    articles_ = *std::move(read);
    ASSERT_EQ(articles_.size(), 42u);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The sample corpus as a committed index in dir_.
  std::unique_ptr<Index> Build() {
    absl::StatusOr<std::unique_ptr<Index>> index =
        Index::Create(dir_.string(), IndexParams(), false, Options());
    EXPECT_TRUE(index.ok()) << index.status();
    AddReport report;
    EXPECT_TRUE((*index)->Add(articles_, AddOptions(), &report).ok());
    EXPECT_EQ(report.added, 42);
    EXPECT_TRUE((*index)->Commit().ok());
    return *std::move(index);
  }
  static OpenOptions Options() {
    OpenOptions options;
    options.threads = 2;
    return options;
  }

  std::filesystem::path dir_;
  std::vector<Article> articles_;
};

TEST_F(IndexApiTest, ReloadedIndexAnswersAsTheOneThatWroteIt) {
  std::unique_ptr<Index> built = Build();
  absl::StatusOr<std::unique_ptr<Index>> loaded =
      Index::Open(dir_.string(), false, Options());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->size(), 42u);
  EXPECT_EQ((*loaded)->generation(), built->generation());
  const QueryOptions query;
  for (const Article& a : articles_) {
    absl::StatusOr<std::vector<Match>> x = built->QueryId(a.id, query);
    absl::StatusOr<std::vector<Match>> y = (*loaded)->QueryId(a.id, query);
    ASSERT_TRUE(x.ok() && y.ok());
    EXPECT_EQ(MatchLines(a.id, *x), MatchLines(a.id, *y)) << a.id;
  }
}

TEST_F(IndexApiTest, QueriesFindEveryMatchOfTheExhaustiveOracle) {
  std::unique_ptr<Index> index = Build();
  QueryOptions fast;
  fast.k = 50;
  QueryOptions oracle = fast;
  oracle.exhaustive = true;
  int64_t oracle_matches = 0;
  for (const Article& a : articles_) {
    absl::StatusOr<std::vector<Match>> got = index->QueryId(a.id, fast);
    absl::StatusOr<std::vector<Match>> want = index->QueryId(a.id, oracle);
    ASSERT_TRUE(got.ok() && want.ok());
    std::set<std::string> found;
    for (const Match& m : *got) {
      EXPECT_NE(m.article.id, a.id) << "a query returned itself";
      found.insert(m.article.id);
    }
    for (const Match& m : *want) {
      ++oracle_matches;
      EXPECT_TRUE(found.count(m.article.id))
          << a.id << " misses " << m.article.id << " ("
          << RelationName(m.relation) << ")";
    }
  }
  EXPECT_GT(oracle_matches, 40);
}

TEST_F(IndexApiTest, OutsideQueryLeavesOutTheStoredArticleWithItsId) {
  std::unique_ptr<Index> index = Build();
  QueryOptions query;
  query.k = 3;
  absl::StatusOr<std::vector<Match>> by_text =
      index->QueryArticle(articles_[0], query);
  ASSERT_TRUE(by_text.ok());
  ASSERT_FALSE(by_text->empty());
  EXPECT_LE(by_text->size(), 3u);
  for (const Match& m : *by_text) EXPECT_NE(m.article.id, articles_[0].id);
  // Under another id the stored article is its own exact copy.
  Article renamed = articles_[0];
  renamed.id = "not-stored";
  absl::StatusOr<std::vector<Match>> copy = index->QueryArticle(renamed, query);
  ASSERT_TRUE(copy.ok());
  ASSERT_FALSE(copy->empty());
  EXPECT_EQ((*copy)[0].article.id, articles_[0].id);
  EXPECT_EQ((*copy)[0].relation, Relation::kExact);
}

TEST_F(IndexApiTest, ClusterPutsEveryArticleInItsCanonicalsGroupAndStory) {
  std::unique_ptr<Index> index = Build();
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 42u);
  int groups_of_two = 0;
  for (const ClusterEntry& e : *entries) {
    const ClusterEntry& canonical = (*entries)[e.copy_group];
    EXPECT_TRUE(canonical.original());
    EXPECT_EQ(canonical.story, e.story) << "a copy group spans two stories";
    EXPECT_EQ(canonical.copy_group_size, e.copy_group_size);
    if (e.original()) {
      EXPECT_EQ(e.label(), "original");
      groups_of_two += e.copy_group_size > 1;
    } else {
      EXPECT_TRUE(IsCopy(e.relation)) << index->article(e.doc).id;
    }
  }
  // datasets/sample/truth.tsv has three copy groups of more than one.
  EXPECT_EQ(groups_of_two, 3);
}

TEST_F(IndexApiTest, QueryExplainAndClusterShareOneStoryScore) {
  std::unique_ptr<Index> index = Build();
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(entries.ok());
  // The true story of each article (datasets/sample/truth.tsv: id,
  // copy_group, story, kind).
  std::map<std::string, std::string> story;
  std::map<std::string, int> story_size;
  {
    std::ifstream truth(
        std::filesystem::path(SampleCorpus()).parent_path() / "truth.tsv");
    std::string line;
    std::getline(truth, line);
    while (std::getline(truth, line)) {
      std::vector<std::string> cells = absl::StrSplit(line, '\t');
      ASSERT_GE(cells.size(), 3u) << line;
      story[cells[0]] = cells[2];
      ++story_size[cells[2]];
    }
  }
  ASSERT_EQ(story.size(), 42u);
  QueryOptions query;
  query.k = 41;
  int same_story = 0, agreed = 0;
  for (uint32_t doc = 0; doc < index->size(); ++doc) {
    const std::string& id = index->article(doc).id;
    absl::StatusOr<std::vector<Match>> matches = index->QueryId(id, query);
    ASSERT_TRUE(matches.ok());
    // Every article with another report of its story finds one.
    if (story_size[story[id]] > 1) EXPECT_FALSE(matches->empty()) << id;
    double last = 2;
    for (const Match& m : *matches) {
      absl::StatusOr<Explanation> e =
          index->Explain(id, m.article.id, ExplainOptions());
      ASSERT_TRUE(e.ok());
      EXPECT_DOUBLE_EQ(e->scores.story, m.scores.story);
      EXPECT_EQ(e->relation, m.relation);
      EXPECT_GE(m.scores.story, query.min_story_score - 1e-12);
      if (!IsCopy(m.relation)) {
        EXPECT_EQ(m.relation == Relation::kRelated,
                  m.scores.story >= query.relations.related_story);
        EXPECT_LE(m.scores.story, last) << "not ranked by story score";
        last = m.scores.story;
      }
      EXPECT_EQ(m.same_story,
                IsCopy(m.relation) ||
                    m.scores.story_strength >= query.same_story_strength);
      same_story += m.same_story;
      agreed += m.same_story &&
                (*entries)[doc].story == (*entries)[m.doc].story;
    }
  }
  // The pair rule and average linkage disagree only on pairs that an
  // average decides differently (206 of 234 agree on this sample).
  EXPECT_GT(same_story, 0);
  EXPECT_GE(agreed, 0.85 * same_story);
}

TEST_F(IndexApiTest, ExplainNamesTheDecidingRuleAndSharedPassages) {
  std::unique_ptr<Index> index = Build();
  absl::StatusOr<std::vector<ClusterEntry>> entries =
      index->Cluster(ClusterOptions());
  ASSERT_TRUE(entries.ok());
  auto copy = std::find_if(entries->begin(), entries->end(),
                           [](const ClusterEntry& e) {
                             return e.relation == Relation::kSyndicated;
                           });
  ASSERT_NE(copy, entries->end());
  const std::string a = index->article(copy->doc).id;
  const std::string b = index->article(copy->copy_group).id;
  ExplainOptions options;
  auto text = [&](const std::string& id) {
    return &*std::find_if(articles_.begin(), articles_.end(),
                          [&](const Article& x) { return x.id == id; });
  };
  options.text_a = text(a);
  options.text_b = text(b);
  absl::StatusOr<Explanation> e = index->Explain(a, b, options);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->relation, Relation::kSyndicated);
  EXPECT_EQ(e->rule, Rule::kJaccard);
  EXPECT_TRUE(e->has_passages);
  ASSERT_FALSE(e->passages.empty());
  EXPECT_GT(e->shared_words, e->words_a / 2);
  EXPECT_NE(ExplanationLine(*e).find("\"rule\":\"jaccard\""),
            std::string::npos);
}

TEST_F(IndexApiTest, FeaturesEqualWhatTheIndexStores) {
  std::unique_ptr<Index> index = Build();
  for (const Article& a : articles_) {
    const CopyFeatures computed = index->Features(a);
    absl::StatusOr<CopyFeatures> stored = index->StoredFeatures(a.id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(computed.signature, stored->signature) << a.id;
    EXPECT_EQ(computed.char_signature, stored->char_signature) << a.id;
    EXPECT_EQ(computed.content_hash, stored->content_hash) << a.id;
    EXPECT_EQ(computed.shingles, stored->shingles) << a.id;
  }
}

TEST_F(IndexApiTest, FeaturesWithoutAnIndexEqualAnIndexWithoutChrome) {
  // Articles without a source or URL, too few for any chrome.
  std::vector<Article> few(articles_.begin(), articles_.begin() + 2);
  for (Article& a : few) a.source = a.url = "";
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Create(dir_.string(), IndexParams(), false, Options());
  ASSERT_TRUE(index.ok());
  AddReport report;
  ASSERT_TRUE((*index)->Add(few, AddOptions(), &report).ok());
  ASSERT_EQ((*index)->Stats().chrome_passages, 0u);
  for (const Article& a : few) {
    absl::StatusOr<CopyFeatures> alone = ComputeFeatures(a, IndexParams());
    absl::StatusOr<CopyFeatures> stored = (*index)->StoredFeatures(a.id);
    ASSERT_TRUE(alone.ok() && stored.ok());
    EXPECT_EQ(alone->signature, stored->signature);
    EXPECT_EQ(alone->char_signature, stored->char_signature);
    EXPECT_EQ(alone->content_hash, stored->content_hash);
  }
}

TEST_F(IndexApiTest, AddFromASourceEqualsAddOfTheVector) {
  std::unique_ptr<Index> built = Build();
  const std::filesystem::path other = dir_.string() + "-source";
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Create(other.string(), IndexParams(), true, Options());
  ASSERT_TRUE(index.ok());
  size_t next = 0;
  const ArticleSource source = [&](Article* a) -> absl::StatusOr<bool> {
    if (next == articles_.size()) return false;
    *a = articles_[next++];
    return true;
  };
  AddOptions options;
  options.batch_size = 5;  // The first batch learns the chrome.
  AddReport report;
  ASSERT_TRUE((*index)->Add(source, options, &report).ok());
  EXPECT_EQ(report.added, 42);
  EXPECT_EQ((*index)->size(), 42u);
  for (const Article& a : articles_) {
    EXPECT_TRUE((*index)->StoredFeatures(a.id).ok());
  }
  std::filesystem::remove_all(other);
}

TEST_F(IndexApiTest, IndexGrownByManyAddsEqualsOneBuiltAtOnce) {
  IndexParams params;
  params.chrome.final_source_docs = 200;
  absl::StatusOr<std::unique_ptr<Index>> built =
      Index::Create(dir_.string(), params, false, Options());
  ASSERT_TRUE(built.ok());
  std::unique_ptr<Index> once = *std::move(built);
  AddReport all;
  ASSERT_TRUE(once->Add(articles_, AddOptions(), &all).ok());
  ASSERT_FALSE(once->Chrome().empty()) << "the sample has chrome to learn";
  const std::filesystem::path other = dir_.string() + "-grown";
  absl::StatusOr<std::unique_ptr<Index>> grown =
      Index::Create(other.string(), params, true, Options());
  ASSERT_TRUE(grown.ok());
  // Seven batches of six, each committed and the index opened again.
  for (size_t begin = 0; begin < articles_.size(); begin += 6) {
    const std::vector<Article> batch(articles_.begin() + begin,
                                     articles_.begin() + begin + 6);
    AddReport report;
    ASSERT_TRUE((*grown)->Add(batch, AddOptions(), &report).ok());
    EXPECT_EQ(report.added, 6);
    ASSERT_TRUE((*grown)->Commit().ok());
    grown->reset();  // The writer lock goes with it.
    grown = Index::Open(other.string(), true, Options());
    ASSERT_TRUE(grown.ok()) << grown.status();
  }
  auto passages = [](const Index& index) {
    std::vector<std::string> out;
    for (const ChromeModel::Passage& p : index.Chrome()) {
      out.push_back(absl::StrCat(p.source, "|", p.text, "|", p.docs, "|",
                                 p.cross_reference));
    }
    return out;
  };
  EXPECT_EQ(passages(**grown), passages(*once));
  for (const Article& a : articles_) {
    absl::StatusOr<CopyFeatures> x = once->StoredFeatures(a.id);
    absl::StatusOr<CopyFeatures> y = (*grown)->StoredFeatures(a.id);
    ASSERT_TRUE(x.ok() && y.ok()) << a.id;
    EXPECT_EQ(x->content_hash, y->content_hash) << a.id;
    EXPECT_EQ(x->signature, y->signature) << a.id;
    EXPECT_EQ(x->char_signature, y->char_signature) << a.id;
  }
  grown->reset();
  std::filesystem::remove_all(other);
}

TEST_F(IndexApiTest, SourcesTurnFinalWhileTheIndexGrows) {
  // Three articles make a source's chrome final: most sources of the
  // sample pass that in a later batch, with stored articles to compute
  // again and then to forget the texts of.
  IndexParams params;
  params.chrome.final_source_docs = 3;
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Create(dir_.string(), params, false, Options());
  ASSERT_TRUE(index.ok());
  for (size_t begin = 0; begin < articles_.size(); begin += 6) {
    const std::vector<Article> batch(articles_.begin() + begin,
                                     articles_.begin() + begin + 6);
    AddReport report;
    ASSERT_TRUE((*index)->Add(batch, AddOptions(), &report).ok());
    ASSERT_TRUE((*index)->Commit().ok());
  }
  index->reset();
  index = Index::Open(dir_.string(), false, Options());
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->size(), 42u);
  EXPECT_FALSE((*index)->Chrome().empty());
  for (const Article& a : articles_) {
    absl::StatusOr<CopyFeatures> stored = (*index)->StoredFeatures(a.id);
    absl::StatusOr<CopyFeatures> now = (*index)->Features(a);
    ASSERT_TRUE(stored.ok() && now.ok()) << a.id;
    // A final source's articles carry the features of its final chrome.
    EXPECT_EQ(stored->signature, now->signature) << a.id;
  }
}

TEST_F(IndexApiTest, ErrorsNameTheProblemAndNoCommandLine) {
  std::unique_ptr<Index> index = Build();
  absl::StatusOr<std::vector<Match>> unknown =
      index->QueryId("nope", QueryOptions());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("'nope'"), absl::string_view::npos);

  QueryOptions bad;
  bad.k = 0;
  EXPECT_EQ(index->QueryId(articles_[0].id, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = QueryOptions();
  bad.relations.related_story = 7;
  EXPECT_EQ(index->QueryId(articles_[0].id, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  QueryOptions exhaustive;
  exhaustive.exhaustive = true;
  EXPECT_FALSE(index->QueryArticle(articles_[0], exhaustive).ok());

  AddReport report;
  absl::Status duplicate =
      index->Add({articles_[0]}, AddOptions(), &report);
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(duplicate.message().find("duplicate id"), absl::string_view::npos);

  // The writer lock is held while `index` lives.
  EXPECT_FALSE(Index::Open(dir_.string(), true, Options()).ok());
  index.reset();
  absl::StatusOr<std::unique_ptr<Index>> exists =
      Index::Create(dir_.string(), IndexParams(), false, Options());
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.status().code(), absl::StatusCode::kFailedPrecondition);
  const absl::string_view message =
      exists.status().message().substr(dir_.string().size());
  for (absl::string_view word : {"syndex", "--"}) {
    EXPECT_EQ(message.find(word), absl::string_view::npos) << message;
  }
  IndexParams params;
  params.num_perm = 12;
  EXPECT_EQ(Index::Create(dir_.string() + "-p", params, true, Options())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir_.string() + "-p");
}

}  // namespace
}  // namespace syndex
