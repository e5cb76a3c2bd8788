// VerifyIndex and RecoverIndex in process: every section of the live data
// file damaged in turn (a flipped byte inside it), a truncated file, a
// damaged header and a section that passes its checksum but not the load
// checks; verify names the damage, Index::Open refuses, and recover serves
// the generation before, which answers queries as it did.

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/index/section_file.h"
#include "engine/syndex.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

constexpr size_t kFirstBatch = 30;  // Generation 1; generation 2 holds all.

std::string SampleCorpus() {
  const char* source = std::getenv("SYNDEX_SOURCE_DIR");
  return absl::StrCat(source == nullptr ? "." : source,
                      "/datasets/sample/news.jsonl");
}

OpenOptions Options() {
  OpenOptions options;
  options.threads = 2;
  return options;
}

// Every article's matches as "query match relation" lines.
std::vector<std::string> Answers(const Index& index,
                                 const std::vector<Article>& articles) {
  std::vector<std::string> lines;
  for (const Article& a : articles) {
    absl::StatusOr<std::vector<Match>> matches =
        index.QueryId(a.id, QueryOptions());
    EXPECT_TRUE(matches.ok()) << matches.status();
    if (!matches.ok()) continue;
    for (const Match& m : *matches) {
      lines.push_back(
          absl::StrCat(a.id, " ", m.article.id, " ", RelationName(m.relation)));
    }
  }
  return lines;
}

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            absl::StrCat(
                "syndex_recovery_",
                ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                "_", ::getpid());
    fs::remove_all(root_);
    pristine_ = (root_ / "pristine").string();
    work_ = (root_ / "work").string();
    std::map<std::string, int64_t> skipped;
    absl::StatusOr<std::vector<Article>> read =
        ReadArticles({SampleCorpus()}, ReaderOptions(), &skipped);
    ASSERT_TRUE(read.ok()) << read.status();
    std::vector<Article> all = *std::move(read);
    first_.assign(all.begin(), all.begin() + kFirstBatch);
    std::vector<Article> rest(all.begin() + kFirstBatch, all.end());

    auto index = Index::Create(pristine_, IndexParams(), false, Options());
    ASSERT_TRUE(index.ok()) << index.status();
    AddReport report;
    ASSERT_TRUE((*index)->Add(first_, AddOptions(), &report).ok());
    ASSERT_TRUE((*index)->Commit().ok());
    before_ = Answers(**index, first_);
    ASSERT_FALSE(before_.empty());
    ASSERT_TRUE((*index)->Add(rest, AddOptions(), &report).ok());
    ASSERT_TRUE((*index)->Commit().ok());
    ASSERT_EQ((*index)->generation(), 2u);
    live_ = (*index)->Stats().data_file;
  }
  void TearDown() override { fs::remove_all(root_); }

  // work_ as a copy of the pristine index; returns the live file's path.
  std::string ResetWork() {
    fs::remove_all(work_);
    fs::copy(pristine_, work_);
    return (fs::path(work_) / fs::path(live_).filename()).string();
  }

  // The sections of the pristine live file.
  std::vector<SectionCheck> Sections(const std::string& bytes) {
    absl::StatusOr<std::vector<SectionCheck>> checks =
        SectionFileReader::Check(bytes, "live", FormatVersion(bytes));
    EXPECT_TRUE(checks.ok()) << checks.status();
    return checks.ok() ? *checks : std::vector<SectionCheck>();
  }
  static uint32_t FormatVersion(const std::string& bytes) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[8]));
  }

  // Checks that the index in work_ is refused as damaged, that recover goes
  // back to generation 1 and that it then answers as generation 1 did.
  void ExpectRecoveredToGenerationOne(const std::string& file,
                                      bool count_known) {
    auto opened = Index::Open(work_, false, Options());
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_TRUE(absl::StrContains(opened.status().message(), file))
        << opened.status();
    EXPECT_EQ(Index::Open(work_, true, Options()).status().code(),
              absl::StatusCode::kDataLoss);

    absl::StatusOr<RecoverReport> done = RecoverIndex(work_, 2);
    ASSERT_TRUE(done.ok()) << done.status();
    EXPECT_TRUE(done->switched);
    EXPECT_EQ(done->previous, std::optional<uint64_t>(2));
    EXPECT_EQ(done->chosen, 1u);
    EXPECT_EQ(done->chosen_articles, kFirstBatch);
    ASSERT_EQ(done->passed_over.size(), 1u);
    EXPECT_EQ(done->passed_over[0].generation, 2u);
    EXPECT_FALSE(done->passed_over[0].ok());
    if (count_known) {
      EXPECT_EQ(done->passed_over[0].articles, std::optional<uint64_t>(42));
    }
    EXPECT_TRUE(fs::exists(file + ".damaged"));
    EXPECT_FALSE(fs::exists(file));

    absl::StatusOr<VerifyReport> verified = VerifyIndex(work_, 2);
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_TRUE(verified->ok()) << verified->live.status;
    EXPECT_EQ(verified->live.generation, 1u);
    auto index = Index::Open(work_, true, Options());
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ((*index)->size(), kFirstBatch);
    EXPECT_EQ(Answers(**index, first_), before_);
    // The next commit is numbered above the damaged generation.
    ASSERT_TRUE((*index)->Commit().ok());
    EXPECT_EQ((*index)->generation(), 3u);
  }

  fs::path root_;
  std::string pristine_, work_, live_;
  std::vector<Article> first_;
  std::vector<std::string> before_;
};

TEST_F(RecoveryTest, IntactIndexVerifiesAndNeedsNoRecovery) {
  absl::StatusOr<VerifyReport> report = VerifyIndex(pristine_, 2);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->live.generation, 2u);
  EXPECT_EQ(report->live.articles, std::optional<uint64_t>(42));
  EXPECT_EQ(report->stored, (std::vector<uint64_t>{2, 1}));
  EXPECT_GE(report->live.sections.size(), 9u);
  for (const SectionReport& s : report->live.sections) {
    EXPECT_TRUE(s.status.ok()) << s.tag;
  }
  absl::StatusOr<RecoverReport> done = RecoverIndex(pristine_, 2);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_FALSE(done->switched);
  EXPECT_EQ(done->chosen, 2u);
  EXPECT_TRUE(done->passed_over.empty());
  EXPECT_EQ(VerifyIndex((root_ / "none").string()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RecoveryTest, EachDamagedSectionIsNamedAndRecoveredFrom) {
  const std::string pristine_bytes = ReadFile(live_).value();
  const std::vector<SectionCheck> sections = Sections(pristine_bytes);
  ASSERT_GE(sections.size(), 9u);
  for (const SectionCheck& section : sections) {
    const std::string tag = TagName(section.tag);
    SCOPED_TRACE(tag);
    ASSERT_FALSE(section.bytes.empty());
    const std::string file = ResetWork();
    std::string bytes = pristine_bytes;
    bytes[section.bytes.data() - pristine_bytes.data() +
          section.bytes.size() / 2] ^= 0x10;
    ASSERT_TRUE(WriteFileSynced(file, bytes).ok());

    absl::StatusOr<VerifyReport> report = VerifyIndex(work_, 2);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_FALSE(report->ok());
    EXPECT_TRUE(report->live.header.ok());
    EXPECT_EQ(report->live.status.message(),
              absl::StrCat(file, ": section ", tag, ": checksum mismatch"));
    for (const SectionReport& s : report->live.sections) {
      EXPECT_EQ(s.status.ok(), s.tag != tag) << s.tag;
    }
    ExpectRecoveredToGenerationOne(file, /*count_known=*/tag != "PARM");
  }
}

TEST_F(RecoveryTest, TruncationAndHeaderDamageAreNamed) {
  const std::string pristine_bytes = ReadFile(live_).value();
  struct Damage {
    const char* what;
    size_t at;  // Byte to flip, or the length to truncate to.
    bool truncate;
    const char* message;  // What the verify status says after the file.
  } damages[] = {
      {"version field", 9, false, "header damaged: checksum mismatch"},
      {"section count", 12, false, "header damaged: checksum mismatch"},
      {"magic", 1, false, "header damaged: bad magic"},
      {"section table", 40, false, "header damaged: checksum mismatch"},
      {"last half", pristine_bytes.size() / 2, true, "file is "},
  };
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.what);
    const std::string file = ResetWork();
    std::string bytes = pristine_bytes;
    if (d.truncate) {
      bytes.resize(d.at);
    } else {
      bytes[d.at] ^= 0x04;
    }
    ASSERT_TRUE(WriteFileSynced(file, bytes).ok());
    absl::StatusOr<VerifyReport> report = VerifyIndex(work_, 2);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->live.status.code(), absl::StatusCode::kDataLoss);
    EXPECT_TRUE(absl::StartsWith(report->live.status.message(),
                                 absl::StrCat(file, ": ", d.message)))
        << report->live.status;
    EXPECT_FALSE(report->live.header.ok());
    EXPECT_TRUE(report->live.sections.empty());
    ExpectRecoveredToGenerationOne(file, /*count_known=*/false);
  }
}

TEST_F(RecoveryTest, LoadChecksNameTheSectionBehindAValidChecksum) {
  // ARTS with one article more than it holds, resealed so that every
  // checksum is valid: only the load checks can find it.
  const std::string pristine_bytes = ReadFile(live_).value();
  SectionFileWriter writer(FormatVersion(pristine_bytes));
  for (const SectionCheck& s : Sections(pristine_bytes)) {
    std::string bytes(s.bytes);
    if (TagName(s.tag) == "ARTS") bytes[0] = static_cast<char>(bytes[0] + 1);
    writer.Add(s.tag, std::move(bytes));
  }
  const std::string file = ResetWork();
  ASSERT_TRUE(WriteFileSynced(file, std::move(writer).Finish()).ok());
  absl::StatusOr<VerifyReport> report = VerifyIndex(work_, 2);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->ok());
  for (const SectionReport& s : report->live.sections) {
    EXPECT_EQ(s.status.ok(), s.tag != "ARTS") << s.tag << ": " << s.status;
  }
  EXPECT_TRUE(absl::StartsWith(report->live.status.message(),
                               absl::StrCat(file, ": section ARTS: ")))
      << report->live.status;
  ExpectRecoveredToGenerationOne(file, /*count_known=*/true);
}

TEST_F(RecoveryTest, NothingChangesWhenNoGenerationVerifies) {
  ResetWork();
  for (uint64_t g : {1, 2}) {
    const std::string path =
        (fs::path(work_) / absl::StrCat("data-00000", g, ".sdx")).string();
    std::string bytes = ReadFile(path).value();
    bytes[bytes.size() - 1] ^= 1;
    ASSERT_TRUE(WriteFileSynced(path, bytes).ok());
  }
  const std::string current = ReadFile(work_ + "/CURRENT").value();
  absl::StatusOr<RecoverReport> done = RecoverIndex(work_, 2);
  EXPECT_EQ(done.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(done.status().message(),
            absl::StrCat(work_,
                         ": no stored generation verifies (checked 2, "
                         "1); nothing was changed"));
  EXPECT_EQ(ReadFile(work_ + "/CURRENT").value(), current);
  EXPECT_TRUE(fs::exists(work_ + "/data-000002.sdx"));
}

TEST_F(RecoveryTest, BrokenCurrentIsRecoveredToTheNewestGoodFile) {
  ResetWork();
  ASSERT_TRUE(WriteFileSynced(work_ + "/CURRENT", "nonsense\n").ok());
  absl::StatusOr<VerifyReport> report = VerifyIndex(work_, 2);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->current.code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(report->ok());
  absl::StatusOr<RecoverReport> done = RecoverIndex(work_, 2);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_FALSE(done->previous.has_value());
  EXPECT_EQ(done->chosen, 2u);
  EXPECT_TRUE(done->switched);
  auto index = Index::Open(work_, false, Options());
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->size(), 42u);
}

}  // namespace
}  // namespace syndex
