// Commits through the commit log (docs/format.md, "Commit log"): what they
// write, that a reopened index replays them to the state its writer had,
// and when a commit writes a whole generation instead.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
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
            absl::StrCat("syndex_commit_log_",
                         ::testing::UnitTest::GetInstance()
                             ->current_test_info()
                             ->name(),
                         "_", ::getpid()))
               .string();
    fs::remove_all(dir_);
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    std::map<std::string, int64_t> skipped;
    auto read = ReadArticles(
        {absl::StrCat(source == nullptr ? "." : source,
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
  // The first 20 articles as generation 1.
  void BuildBase() {
    auto index = Index::Create(dir_, IndexParams(), false, Options());
    ASSERT_TRUE(index.ok()) << index.status();
    AddReport report;
    ASSERT_TRUE((*index)->Add(Slice(0, 20), AddOptions(), &report).ok());
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
  EXPECT_EQ(Files(), (std::vector<std::string>{"CURRENT", "LOCK",
                                               "data-000001.sdx",
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
  EXPECT_EQ(Files(), (std::vector<std::string>{"CURRENT", "LOCK",
                                               "data-000004.sdx"}));
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
  EXPECT_EQ(Files(), (std::vector<std::string>{"CURRENT", "LOCK",
                                               "data-000001.sdx",
                                               "log-000001.sdl"}));
  ASSERT_TRUE((*writer)->Add(Slice(22, 42), AddOptions(), &report).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ((*writer)->generation(), 3u);
  EXPECT_EQ(Files(), (std::vector<std::string>{"CURRENT", "LOCK",
                                               "data-000003.sdx"}));
  writer->reset();
  auto reader = Index::Open(dir_, false, Options());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->size(), 42u);
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
