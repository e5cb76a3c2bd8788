// End-to-end tests of syndex verify and recover, and of what every command
// says on a damaged index.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/index/section_file.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

constexpr int kFirstLines = 30;  // Of the 42 of the sample corpus.

class RecoveryCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const char* source = std::getenv("SYNDEX_SOURCE_DIR");
    ASSERT_NE(source, nullptr);
    std::ifstream in(absl::StrCat(source, "/datasets/sample/news.jsonl"));
    std::string line, first, rest;
    for (int n = 0; std::getline(in, line); ++n) {
      (n < kFirstLines ? first : rest) += line + "\n";
    }
    first_ = Write("first.jsonl", first);
    rest_ = Write("rest.jsonl", rest);
    index_ = (dir_ / "idx").string();
    ASSERT_EQ(
        Run(absl::StrCat("index --quiet --index ", index_, " ", first_)).code,
        0);
    before_ = Queries();
    const CliResult add =
        Run(absl::StrCat("add --quiet --index ", index_, " ", rest_));
    ASSERT_EQ(add.code, 0) << add.err;
    live_ = index_ + "/data-000002.sdx";
    ASSERT_TRUE(fs::exists(live_));
    pristine_ = ReadFile(live_).value();
  }

  // The JSON answers of queries by id of articles of the first batch.
  std::string Queries() {
    std::string out;
    for (const char* id : {"s01-a", "s02-a", "s03-a"}) {
      const CliResult r =
          Run(absl::StrCat("query --index ", index_, " --id ", id, " --json"));
      EXPECT_EQ(r.code, 0) << r.err;
      out += r.out;
    }
    return out;
  }

  void Damage(const std::string& bytes) {
    ASSERT_TRUE(WriteFileSynced(live_, bytes).ok());
  }

  std::string first_, rest_, index_, live_, pristine_, before_;
};

TEST_F(RecoveryCliTest, VerifyNamesEachDamagedSection) {
  CliResult r = Run(absl::StrCat("verify --index ", index_));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::EndsWith(r.out, "\nok\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "stored generations: 2, 1")) << r.out;

  auto sections = SectionFileReader::Check(pristine_, live_, pristine_[8]);
  ASSERT_TRUE(sections.ok()) << sections.status();
  for (const SectionCheck& s : *sections) {
    const std::string tag = TagName(s.tag);
    SCOPED_TRACE(tag);
    std::string bytes = pristine_;
    bytes[s.bytes.data() - pristine_.data() + s.bytes.size() / 2] ^= 0x20;
    Damage(bytes);
    r = Run(absl::StrCat("verify --index ", index_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(
        absl::StrContains(r.out, absl::StrCat("damaged: ", live_, ": section ",
                                              tag, ": checksum mismatch\n")))
        << r.out;
    EXPECT_TRUE(absl::StrContains(r.out, "syndex recover --index")) << r.out;
  }
  Damage(pristine_.substr(0, pristine_.size() - 1));
  r = Run(absl::StrCat("verify --index ", index_));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(r.out, "(truncated or extended)")) << r.out;
  std::string bytes = pristine_;
  bytes[8] ^= 0x01;  // The format version field.
  Damage(bytes);
  r = Run(absl::StrCat("verify --index ", index_));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(absl::StrContains(
      r.out, absl::StrCat("damaged: ", live_, ": header damaged")))
      << r.out;
}

TEST_F(RecoveryCliTest, EveryCommandOnADamagedIndexSuggestsVerifyAndRecover) {
  std::string bytes = pristine_;
  bytes[bytes.size() / 2] ^= 0x01;
  Damage(bytes);
  const std::string text = Write("text.txt", "Dockworkers walk out.\n");
  const std::string flags = absl::StrCat("--index ", index_);
  for (const std::string& command : {
           absl::StrCat("query ", flags, " --id s01-a"),
           absl::StrCat("query ", flags, " --text-file ", text),
           absl::StrCat("query ", flags, " --queries ", rest_),
           absl::StrCat("cluster ", flags),
           absl::StrCat("explain ", flags, " s01-a s01-b"),
           absl::StrCat("stats ", flags),
           absl::StrCat("add ", flags, " ", rest_),
           absl::StrCat("remove ", flags, " --id s01-a"),
           absl::StrCat("evict ", flags, " --before 2024-03-13"),
           absl::StrCat("compact ", flags),
       }) {
    SCOPED_TRACE(command);
    const CliResult r = Run(command);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(absl::StrContains(r.err, live_)) << r.err;
    EXPECT_TRUE(absl::StrContains(
        r.err, absl::StrCat("'syndex verify --index ", index_, "'")))
        << r.err;
    EXPECT_TRUE(absl::StrContains(
        r.err, absl::StrCat("'syndex recover --index ", index_, "'")))
        << r.err;
  }
  // Nothing was written meanwhile.
  EXPECT_EQ(ReadFile(live_).value(), bytes);
}

TEST_F(RecoveryCliTest, RecoverServesThePreviousState) {
  std::string bytes = pristine_;
  bytes[bytes.size() / 2] ^= 0x01;
  Damage(bytes);
  CliResult r = Run(absl::StrCat("recover --index ", index_));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "generation 2 is damaged: " + live_))
      << r.out;
  EXPECT_TRUE(absl::StrContains(
      r.out,
      absl::StrCat("generation 1 (", kFirstLines, " articles) is live now")))
      << r.out;
  EXPECT_TRUE(absl::StrContains(
      r.out, "it held 42 articles, generation 1 holds 30: -12"))
      << r.out;
  EXPECT_TRUE(fs::exists(live_ + ".damaged"));
  EXPECT_EQ(Queries(), before_);
  r = Run(absl::StrCat("verify --index ", index_));
  EXPECT_EQ(r.code, 0) << r.out;
  r = Run(absl::StrCat("recover --index ", index_));
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(absl::StrContains(r.out, "nothing to recover")) << r.out;
  // Adding again numbers the generation above the damaged one.
  r = Run(absl::StrCat("add --quiet --index ", index_, " ", rest_));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "(generation 3,")) << r.out;
}

TEST_F(RecoveryCliTest, KeepSetsHowManyOlderGenerationsStay) {
  CliResult r = Run(absl::StrCat("compact --index ", index_, " --keep -1"));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(absl::StrContains(r.err, "--keep: must be 0 or more")) << r.err;
  ASSERT_EQ(Run(absl::StrCat("compact --quiet --index ", index_)).code, 0);
  EXPECT_TRUE(fs::exists(index_ + "/data-000001.sdx"));
  ASSERT_EQ(Run(absl::StrCat("compact --quiet --keep 1 --index ", index_)).code,
            0);
  EXPECT_FALSE(fs::exists(index_ + "/data-000002.sdx"));
  EXPECT_TRUE(fs::exists(index_ + "/data-000003.sdx"));
  ASSERT_EQ(Run(absl::StrCat("compact --quiet --keep 0 --index ", index_)).code,
            0);
  r = Run(absl::StrCat("verify --index ", index_));
  EXPECT_TRUE(absl::StrContains(r.out, "stored generations: 5\n")) << r.out;
  r = Run(absl::StrCat("recover --index ", index_));
  EXPECT_EQ(r.code, 0);
}

}  // namespace
}  // namespace syndex
