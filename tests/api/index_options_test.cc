// The public API's add --replace, stored field names, lock wait, option
// ranges and per-section sizes, in process.

#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/syndex.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

Article MakeArticle(const std::string& id, const std::string& text) {
  Article a;
  a.id = id;
  a.text = text;
  return a;
}

const char kStrike[] =
    "About four thousand dockworkers at the port of Kellhaven walked off the "
    "job on Tuesday after talks over automated cranes collapsed late on "
    "Monday, halting container traffic at the busiest harbour of the region.";
const char kTram[] =
    "A new tram line opened in Corrin two months ahead of schedule, the city "
    "council said, adding six stops between the station and the university "
    "campus and cutting journey times by a third for most commuters.";

class IndexOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            absl::StrCat("syndex_options_",
                         ::testing::UnitTest::GetInstance()
                             ->current_test_info()
                             ->name(),
                         "_", ::getpid()))
               .string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // An index of "a" (strike) and "b" (tram), committed.
  std::unique_ptr<Index> Build() {
    auto index = Index::Create(dir_, IndexParams(), false, OpenOptions());
    EXPECT_TRUE(index.ok()) << index.status();
    AddReport report;
    EXPECT_TRUE((*index)
                    ->Add({MakeArticle("a", kStrike), MakeArticle("b", kTram)},
                          AddOptions(), &report)
                    .ok());
    EXPECT_TRUE((*index)->Commit().ok());
    return *std::move(index);
  }

  std::string dir_;
};

TEST_F(IndexOptionsTest, ReplaceSwapsTheStoredArticle) {
  std::unique_ptr<Index> index = Build();
  AddReport report;
  EXPECT_TRUE(absl::IsInvalidArgument(
      index->Add({MakeArticle("a", kTram)}, AddOptions(), &report)));
  index.reset();
  auto reopened = Index::Open(dir_, /*for_write=*/true, OpenOptions());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  AddOptions replace;
  replace.replace = true;
  report = AddReport();
  ASSERT_TRUE(
      (*reopened)->Add({MakeArticle("a", kTram)}, replace, &report).ok());
  EXPECT_EQ(report.added, 1);
  EXPECT_EQ(report.replaced, 1);
  EXPECT_EQ((*reopened)->size(), 2u);
  // a now holds the tram text: an exact copy of b.
  auto matches = (*reopened)->QueryId("b", QueryOptions());
  ASSERT_TRUE(matches.ok());
  ASSERT_FALSE(matches->empty());
  EXPECT_EQ((*matches)[0].article.id, "a");
  EXPECT_EQ((*matches)[0].relation, Relation::kExact);
  // The same id twice in one call is an error even with replace.
  report = AddReport();
  EXPECT_TRUE(absl::IsInvalidArgument((*reopened)->Add(
      {MakeArticle("b", kStrike), MakeArticle("b", kTram)}, replace,
      &report)));
}

TEST_F(IndexOptionsTest, FieldNamesAreStored) {
  std::unique_ptr<Index> index = Build();
  EXPECT_EQ(index->field_names().id_field, "id");
  ReaderOptions names;
  names.id_field = "doc";
  names.published_field = "when";
  names.skip_bad = true;
  index->SetFieldNames(names);
  ASSERT_TRUE(index->Commit().ok());
  index.reset();
  auto reopened = Index::Open(dir_, /*for_write=*/false, OpenOptions());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const ReaderOptions back = (*reopened)->field_names();
  EXPECT_EQ(back.id_field, "doc");
  EXPECT_EQ(back.text_field, "text");
  EXPECT_EQ(back.published_field, "when");
  EXPECT_FALSE(back.skip_bad);
}

TEST_F(IndexOptionsTest, StatsGiveEverySectionsBytes) {
  std::unique_ptr<Index> index = Build();
  const IndexStats stats = index->Stats();
  uint64_t sum = 0;
  std::vector<std::string> tags;
  for (const auto& [tag, bytes] : stats.section_bytes) {
    tags.push_back(tag);
    sum += bytes;
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"PARM", "ARTS", "SIGS", "CSIG",
                                            "VOCB", "TERM", "CHRM", "FMAP",
                                            "PROJ", "VECS"}));
  // The rest is the header, the table and the padding to 64 bytes.
  EXPECT_LE(sum, stats.bytes);
  EXPECT_GE(sum + 32 + 32 * tags.size() + 64 * tags.size(), stats.bytes);
  index.reset();
  auto reopened = Index::Open(dir_, /*for_write=*/false, OpenOptions());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Stats().section_bytes, stats.section_bytes);
}

TEST_F(IndexOptionsTest, OpenWaitsForTheLock) {
  Build().reset();
  const int fd = ::open((dir_ + "/LOCK").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  OpenOptions options;
  EXPECT_TRUE(absl::IsFailedPrecondition(
      Index::Open(dir_, /*for_write=*/true, options).status()));
  options.lock_wait_seconds = 0.2;
  const auto status = Index::Open(dir_, /*for_write=*/true, options).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(status));
  EXPECT_NE(status.message().find("for 0.2 s"), absl::string_view::npos)
      << status;
  ::close(fd);  // Releases the lock.
  EXPECT_TRUE(Index::Open(dir_, /*for_write=*/true, options).ok());
}

TEST_F(IndexOptionsTest, OptionsOutOfRangeAreRefused) {
  OpenOptions open;
  open.threads = -1;
  EXPECT_TRUE(absl::IsInvalidArgument(
      Index::Create(dir_, IndexParams(), false, open).status()));
  open = OpenOptions();
  open.nprobe = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(open.Validate()));
  open = OpenOptions();
  open.lock_wait_seconds = -1;
  EXPECT_TRUE(absl::IsInvalidArgument(open.Validate()));
  QueryOptions query;
  query.k = 2000000000;
  EXPECT_TRUE(absl::IsInvalidArgument(query.Validate()));
  ExplainOptions explain;
  explain.relations.related_story = 7;
  EXPECT_TRUE(absl::IsInvalidArgument(explain.Validate()));
  std::unique_ptr<Index> index = Build();
  EXPECT_TRUE(absl::IsInvalidArgument(
      index->Explain("a", "b", explain).status()));
}

}  // namespace
}  // namespace syndex
