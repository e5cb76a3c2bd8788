// Commits through the commit log (docs/format.md, "Commit log"): what they
// write, that a reopened index replays them to the state its writer had,
// and when a commit writes a whole generation instead.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/output/json.h"
#include "engine/syndex.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

class CommitLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            absl::StrCat(
                "syndex_commit_log_",
                ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                "_", ::getpid()))
               .string();
    fs::remove_all(dir_);
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    std::map<std::string, int64_t> skipped;
    auto read = ReadArticles({absl::StrCat(source == nullptr ? "." : source,
                                           "/datasets/sample/news.jsonl")},
                             ReaderOptions(), &skipped);
    ASSERT_TRUE(read.ok()) << read.status();
    articles_ = *std::move(read);
    ASSERT_EQ(articles_.size(), 42u);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<Article> Slice(size_t begin, size_t end) const {
    return std::vector<Article>(articles_.begin() + begin,
                                articles_.begin() + end);
  }
  static OpenOptions Options(uint64_t max_log_bytes = uint64_t{64} << 20) {
    OpenOptions options;
    options.threads = 2;
    options.max_log_bytes = max_log_bytes;
    return options;
  }
  // The first `n` articles as generation 1.
  void BuildBase(size_t n = 20) {
    auto index = Index::Create(dir_, IndexParams(), false, Options());
    ASSERT_TRUE(index.ok()) << index.status();
    AddReport report;
    ASSERT_TRUE((*index)->Add(Slice(0, n), AddOptions(), &report).ok());
    ASSERT_TRUE((*index)->Commit().ok());
  }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
  std::vector<Article> articles_;
};

TEST_F(CommitLogTest, ReplayGivesTheStateItsWriterHad) {
  BuildBase();
  auto writer = Index::Open(dir_, true, Options());
  ASSERT_TRUE(writer.ok()) << writer.status();
  Index& w = **writer;
  // Queries first, so that the additions extend what they built.
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(w.QueryId(articles_[i].id, QueryOptions()).ok());
  }
  AddReport report;
  ASSERT_TRUE(w.Add(Slice(20, 30), AddOptions(), &report).ok());
  ASSERT_TRUE(w.Commit().ok());
  EXPECT_EQ(w.generation(), 2u);
  ASSERT_TRUE(w.Remove({articles_[3].id}).ok());
  ASSERT_TRUE(w.Add(Slice(30, 42), AddOptions(), &report).ok());
  ASSERT_TRUE(w.Commit().ok());
  ASSERT_TRUE(w.Commit().ok());  // Nothing changed: nothing written.
  EXPECT_EQ(w.generation(), 3u);
  EXPECT_EQ(Files(),
            (std::vector<std::string>{"CURRENT", "LOCK", "data-000001.sdx",
                                      "log-000001.sdl"}));
  const IndexStats stats = w.Stats();
  EXPECT_GT(stats.log_bytes, 0u);
  EXPECT_EQ(stats.data_file, dir_ + "/data-000001.sdx");

  auto reader = Index::Open(dir_, false, Options());
  ASSERT_TRUE(reader.ok()) << reader.status();
  Index& r = **reader;
  EXPECT_EQ(r.generation(), 3u);
  ASSERT_EQ(r.size(), 41u);
  EXPECT_FALSE(r.Find(articles_[3].id).has_value());
  for (uint32_t doc = 0; doc < r.size(); ++doc) {
    EXPECT_EQ(r.article(doc).id, w.article(doc).id);
    EXPECT_EQ(r.article(doc).content_hash, w.article(doc).content_hash);
  }
  for (const Article& a : articles_) {
    auto x = w.QueryId(a.id, QueryOptions());
    auto y = r.QueryId(a.id, QueryOptions());
    ASSERT_EQ(x.ok(), y.ok()) << a.id;
    if (x.ok()) {
      EXPECT_EQ(MatchLines(a.id, *x), MatchLines(a.id, *y)) << a.id;
    }
  }
  // A checkpoint takes the log in: the next data file has the number after
  // its last record.
  ASSERT_TRUE(w.Checkpoint().ok());
  EXPECT_EQ(w.generation(), 4u);
  // The old generation is kept with its log (the same state).
  EXPECT_EQ(Files(),
            (std::vector<std::string>{"CURRENT", "LOCK", "data-000001.sdx",
                                      "data-000004.sdx", "log-000001.sdl"}));
  writer->reset();
  auto again = Index::Open(dir_, false, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 41u);
  EXPECT_EQ((*again)->generation(), 4u);
}

TEST_F(CommitLogTest, ACommitPastTheLimitWritesAGeneration) {
  BuildBase();
  auto writer = Index::Open(dir_, true, Options(/*max_log_bytes=*/8000));
  ASSERT_TRUE(writer.ok());
  AddReport report;
  ASSERT_TRUE((*writer)->Add(Slice(20, 22), AddOptions(), &report).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(Files(),
            (std::vector<std::string>{"CURRENT", "LOCK", "data-000001.sdx",
                                      "log-000001.sdl"}));
  ASSERT_TRUE((*writer)->Add(Slice(22, 42), AddOptions(), &report).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ((*writer)->generation(), 3u);
  EXPECT_EQ(Files(),
            (std::vector<std::string>{"CURRENT", "LOCK", "data-000001.sdx",
                                      "data-000003.sdx", "log-000001.sdl"}));
  writer->reset();
  auto reader = Index::Open(dir_, false, Options());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), 42u);
}

// The chrome an add learns, and the features computed with it, as a
// reader replaying the log sees them and as a data file written at once
// holds them.
void ExpectSameChromeAndFeatures(const Index& a, const Index& b,
                                 const std::vector<Article>& articles) {
  const std::vector<ChromeModel::Passage> x = a.Chrome(std::nullopt);
  const std::vector<ChromeModel::Passage> y = b.Chrome(std::nullopt);
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].source, y[i].source);
    EXPECT_EQ(x[i].text, y[i].text);
    EXPECT_EQ(x[i].docs, y[i].docs);
    EXPECT_EQ(x[i].cross_reference, y[i].cross_reference);
  }
  EXPECT_EQ(a.Stats().chrome_sources, b.Stats().chrome_sources);
  for (const Article& article : articles) {
    auto f = a.StoredFeatures(article.id);
    auto g = b.StoredFeatures(article.id);
    ASSERT_TRUE(f.ok() && g.ok()) << article.id;
    EXPECT_EQ(f->content_hash, g->content_hash) << article.id;
    EXPECT_EQ(f->shingles, g->shingles) << article.id;
    EXPECT_EQ(f->signature, g->signature) << article.id;
    EXPECT_EQ(f->char_signature, g->char_signature) << article.id;
  }
}

TEST_F(CommitLogTest, ReplayHasTheChromeAnAddLearned) {
  // 10 articles teach the chrome of one source; the other 32 that of six
  // more.
  BuildBase(10);
  size_t base_passages = 0;
  {
    auto base = Index::Open(dir_, false, Options());
    ASSERT_TRUE(base.ok());
    base_passages = (*base)->Chrome(std::nullopt).size();
  }
  auto writer = Index::Open(dir_, true, Options());
  ASSERT_TRUE(writer.ok());
  Index& w = **writer;
  AddReport report;
  ASSERT_TRUE(w.Add(Slice(10, 42), AddOptions(), &report).ok());
  ASSERT_TRUE(w.Commit().ok());
  ASSERT_GT(w.Stats().log_bytes, 0u);
  // The add learned chrome of sources the base had too few articles of.
  ASSERT_NE(w.Chrome(std::nullopt).size(), base_passages);

  auto replayed = Index::Open(dir_, false, Options());
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  ExpectSameChromeAndFeatures(w, **replayed, articles_);

  ASSERT_TRUE(w.Checkpoint().ok());
  writer->reset();
  auto written = Index::Open(dir_, false, Options());
  ASSERT_TRUE(written.ok()) << written.status();
  ExpectSameChromeAndFeatures(**replayed, **written, articles_);
}

TEST_F(CommitLogTest, ReplacingAddsReplayAsTheyRan) {
  BuildBase();
  auto writer = Index::Open(dir_, true, Options());
  ASSERT_TRUE(writer.ok());
  Index& w = **writer;
  std::vector<Article> again = Slice(2, 5);
  for (Article& a : again) a.text = articles_[30].text;
  AddOptions replace;
  replace.replace = true;
  AddReport report;
  ASSERT_TRUE(w.Add(again, replace, &report).ok());
  EXPECT_EQ(report.replaced, 3u);
  ASSERT_TRUE(w.Commit().ok());
  auto reader = Index::Open(dir_, false, Options());
  ASSERT_TRUE(reader.ok()) << reader.status();
  ASSERT_EQ((*reader)->size(), 20u);
  for (uint32_t doc = 0; doc < 20; ++doc) {
    EXPECT_EQ((*reader)->article(doc).id, w.article(doc).id);
    EXPECT_EQ((*reader)->article(doc).content_hash,
              w.article(doc).content_hash);
  }
}

TEST_F(CommitLogTest, RecoverCutsADamagedLogBeforeTheDamagedBatch) {
  BuildBase();
  {
    auto writer = Index::Open(dir_, true, Options());
    ASSERT_TRUE(writer.ok());
    AddReport report;
    ASSERT_TRUE((*writer)->Add(Slice(20, 30), AddOptions(), &report).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    ASSERT_TRUE((*writer)->Add(Slice(30, 42), AddOptions(), &report).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    ASSERT_EQ((*writer)->generation(), 3u);
  }
  // Flips a byte inside the first record's payload: a damaged record
  // followed by another.
  const std::string log = dir_ + "/log-000001.sdl";
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.good());
    f.seekg(32 + 24 + 40);
    char c = 0;
    f.read(&c, 1);
    f.seekp(32 + 24 + 40);
    c ^= 0x20;
    f.write(&c, 1);
  }
  EXPECT_FALSE(Index::Open(dir_, false, Options()).ok());
  auto verify = VerifyIndex(dir_, 2);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_FALSE(verify->ok());
  EXPECT_TRUE(absl::IsDataLoss(verify->live.log.status))
      << verify->live.log.status;
  EXPECT_EQ(verify->live.log.records, 0u);

  auto recovered = RecoverIndex(dir_, 2);
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_TRUE(recovered->log_truncated);
  EXPECT_FALSE(recovered->switched);
  EXPECT_EQ(recovered->chosen, 1u);
  EXPECT_EQ(recovered->log_records_kept, 0u);
  auto reader = Index::Open(dir_, false, Options());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->size(), 20u);  // The state before the damaged batch.
  auto clean = VerifyIndex(dir_, 2);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok()) << clean->live.status;
}

TEST_F(CommitLogTest, VerifyReplaysTheLogAndIgnoresACutShortRecord) {
  BuildBase();
  {
    auto writer = Index::Open(dir_, true, Options());
    ASSERT_TRUE(writer.ok());
    AddReport report;
    ASSERT_TRUE((*writer)->Add(Slice(20, 30), AddOptions(), &report).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
    ASSERT_TRUE((*writer)->Add(Slice(30, 42), AddOptions(), &report).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  const std::string log = dir_ + "/log-000001.sdl";
  fs::resize_file(log, fs::file_size(log) - 10);  // The last record cut.
  auto verify = VerifyIndex(dir_, 2);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok()) << verify->live.status;
  EXPECT_TRUE(verify->live.log.cut_short);
  EXPECT_EQ(verify->live.log.records, 1u);
  EXPECT_EQ(verify->live.articles, 30u);
}

TEST_F(CommitLogTest, QueriesRunWhileAddsApply) {
  BuildBase();
  auto writer = Index::Open(dir_, true, Options());
  ASSERT_TRUE(writer.ok());
  Index& w = **writer;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, queries{0};
  std::thread reader([&] {
    while (!done) {
      const size_t n = w.size();
      if (!w.QueryId(articles_[queries % 20].id, QueryOptions()).ok() ||
          w.size() < n) {
        ++failures;
      }
      ++queries;
    }
  });
  for (size_t at = 20; at < 42; at += 2) {
    AddReport report;
    ASSERT_TRUE(w.Add(Slice(at, at + 2), AddOptions(), &report).ok());
    ASSERT_TRUE(w.Commit().ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(queries, 0);
  EXPECT_EQ(w.size(), 42u);
}

}  // namespace
}  // namespace syndex
