#include "engine/index/index_log.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

class IndexLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            absl::StrCat("syndex_log_",
                         ::testing::UnitTest::GetInstance()
                             ->current_test_info()
                             ->name(),
                         "_", ::getpid()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(uint64_t generation) const {
    return absl::StrCat(dir_, "/", IndexLog::FileName(generation));
  }
  // Appends `payloads` to the log of generation 7.
  void Write(const std::vector<std::string>& payloads) {
    std::vector<std::string> records;
    auto log = IndexLog::OpenForAppend(dir_, 7, &records);
    ASSERT_TRUE(log.ok()) << log.status();
    for (const std::string& p : payloads) ASSERT_TRUE((*log)->Append(p).ok());
  }
  void Truncate(uint64_t size) { fs::resize_file(Path(7), size); }

  std::string dir_;
};

TEST_F(IndexLogTest, RecordsComeBackInOrderWithTheirNumbers) {
  EXPECT_EQ(IndexLog::FileName(7), "log-000007.sdl");
  Write({"one", "", std::string(100000, 'x')});
  auto records = IndexLog::Read(dir_, 7);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(*records,
            (std::vector<std::string>{"one", "", std::string(100000, 'x')}));
  std::vector<std::string> again;
  auto log = IndexLog::OpenForAppend(dir_, 7, &again);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(again, *records);
  EXPECT_EQ((*log)->last(), 10u);
  EXPECT_EQ((*log)->bytes(), fs::file_size(Path(7)));
}

TEST_F(IndexLogTest, NoFileMeansNoRecords) {
  auto records = IndexLog::Read(dir_, 3);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST_F(IndexLogTest, ACutShortLastRecordIsDroppedAndTruncated) {
  Write({"first", "second"});
  const uint64_t full = fs::file_size(Path(7));
  // Every cut inside the second record loses it and keeps the first.
  for (uint64_t cut = full - 1; cut > full - 6 - 24; cut -= 5) {
    Truncate(cut);
    auto records = IndexLog::Read(dir_, 7);
    ASSERT_TRUE(records.ok()) << cut << ": " << records.status();
    EXPECT_EQ(*records, std::vector<std::string>{"first"}) << cut;
  }
  std::vector<std::string> records;
  auto log = IndexLog::OpenForAppend(dir_, 7, &records);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(records, std::vector<std::string>{"first"});
  ASSERT_TRUE((*log)->Append("third").ok());
  EXPECT_EQ(*IndexLog::Read(dir_, 7),
            (std::vector<std::string>{"first", "third"}));
}

TEST_F(IndexLogTest, ALastRecordWithABadChecksumWasCutShort) {
  Write({"first", "second"});
  std::string bytes = *ReadFile(Path(7));
  bytes.back() ^= 1;
  ASSERT_TRUE(WriteFileSynced(Path(7), bytes).ok());
  EXPECT_EQ(*IndexLog::Read(dir_, 7), std::vector<std::string>{"first"});
}

TEST_F(IndexLogTest, ADamagedRecordBeforeOthersIsDataLoss) {
  Write({"first", "second"});
  std::string bytes = *ReadFile(Path(7));
  bytes[32 + 24] ^= 1;  // The first payload byte.
  ASSERT_TRUE(WriteFileSynced(Path(7), bytes).ok());
  auto records = IndexLog::Read(dir_, 7);
  EXPECT_EQ(records.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(records.status().message(),
            absl::StrCat(Path(7), ": record 1 (at byte 32) is damaged"));
  std::vector<std::string> out;
  EXPECT_EQ(IndexLog::OpenForAppend(dir_, 7, &out).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(IndexLogTest, ALogOfAnotherGenerationIsRefused) {
  Write({"first"});
  fs::rename(Path(7), Path(8));
  auto records = IndexLog::Read(dir_, 8);
  EXPECT_EQ(records.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(records.status().message(),
            absl::StrCat(Path(8), ": not a syndex commit log of generation 8"));
}

TEST_F(IndexLogTest, AFirstAppendCutShortLeavesNoRecordAndIsDeleted) {
  Write({"first"});
  Truncate(20);
  EXPECT_TRUE(IndexLog::Read(dir_, 7)->empty());
  std::vector<std::string> records;
  ASSERT_TRUE(IndexLog::OpenForAppend(dir_, 7, &records).ok());
  EXPECT_TRUE(records.empty());
  EXPECT_FALSE(fs::exists(Path(7)));
}

TEST_F(IndexLogTest, OpeningForAppendDeletesTheLogsOfOtherGenerations) {
  Write({"first"});
  std::ofstream(absl::StrCat(dir_, "/other.txt")) << "kept";
  std::vector<std::string> records;
  ASSERT_TRUE(IndexLog::OpenForAppend(dir_, 9, &records).ok());
  EXPECT_FALSE(fs::exists(Path(7)));
  EXPECT_TRUE(fs::exists(absl::StrCat(dir_, "/other.txt")));
}

}  // namespace
}  // namespace syndex
