// The command line's conveniences end to end: --version and help, field
// names stored at index, add --replace and --wait, query from standard
// input and its source and publication columns, flags out of range, eval of
// gzipped files with named truth columns, and stats by section.

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

constexpr char kText[] =
    "The harbour authority of Kellhaven said on Tuesday that about four "
    "thousand dockworkers had walked off the job after talks over automated "
    "cranes collapsed late on Monday night, halting container traffic.";
constexpr char kOther[] =
    "A new tram line opened in Corrin two months ahead of schedule, the city "
    "council said, adding six stops between the station and the university "
    "campus and cutting journey times by a third for commuters.";

class RoughEdgesTest : public CliFixture {
 protected:
  // A corpus with the fields named doc, body, outlet and when.
  std::string Renamed(const std::string& name, const std::string& id,
                      const std::string& text, const std::string& when) {
    return Write(name, absl::StrCat("{\"doc\":\"", id, "\",\"body\":\"", text,
                                    "\",\"outlet\":\"o.example\",\"when\":\"",
                                    when, "\"}\n"));
  }
  std::string Index(const std::string& extra = "") {
    const std::string dir = (dir_ / "idx").string();
    const std::string a = Renamed("a.jsonl", "a", kText, "2024-03-12");
    const std::string b = Renamed("b.jsonl", "b", kOther, "2024-04-01");
    const CliResult r = Run(
        absl::StrCat("index --quiet --index ", dir,
                     " --id-field doc --text-field body --source-field outlet "
                     "--published-field when ",
                     extra, a, " ", b));
    EXPECT_EQ(r.code, 0) << r.err;
    return dir;
  }
};

TEST_F(RoughEdgesTest, VersionAndHelp) {
  CliResult r = Run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("syndex 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("index format    version "), std::string::npos);
  EXPECT_NE(r.out.find("instruction set "), std::string::npos);
  EXPECT_NE(r.out.find("build           "), std::string::npos);
  r = Run("help help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("usage: syndex help [VERB]"), std::string::npos);
  EXPECT_EQ(r.out.find("unknown"), std::string::npos);
  r = Run("help report");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--top"), std::string::npos);
}

TEST_F(RoughEdgesTest, GeneratorHelpListsItsFlags) {
  const char* bin = std::getenv("SYNDEX_BIN_DIR");
  ASSERT_NE(bin, nullptr);
  const std::string out = (dir_ / "gen.out").string();
  const int status = std::system(
      absl::StrCat(bin, "/syndex-gen --help >", out, " 2>&1").c_str());
  const std::string text = ReadFile(out).value_or("");
  EXPECT_EQ(text.find("No flags matched"), std::string::npos) << text;
  EXPECT_NE(text.find("--articles"), std::string::npos) << text;
  EXPECT_NE(text.find("--output"), std::string::npos) << text;
  EXPECT_TRUE(WIFEXITED(status));
}

TEST_F(RoughEdgesTest, FieldNamesAreStoredAndCanBeOverridden) {
  const std::string dir = Index();
  // add, query --queries and explain --corpus read the stored names.
  const std::string c = Renamed("c.jsonl", "c", kText, "2024-03-13");
  CliResult r = Run(absl::StrCat("add --quiet --index ", dir, " ", c));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Run(absl::StrCat("query --json --index ", dir, " --queries ", c));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"a\",\"relation\":\"exact\""),
            std::string::npos)
      << r.out;
  r = Run(absl::StrCat("explain --index ", dir, " a c --corpus ", c,
                       " --corpus ", (dir_ / "a.jsonl").string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("shared passages"), std::string::npos) << r.out;
  // A flag overrides a stored name.
  const std::string d = Write(
      "d.jsonl", absl::StrCat("{\"key\":\"d\",\"body\":\"", kOther, "\"}\n"));
  r = Run(absl::StrCat("add --quiet --index ", dir, " ", d));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("d.jsonl:1:"), std::string::npos) << r.err;
  r = Run(absl::StrCat("add --quiet --index ", dir, " --id-field key ", d));
  EXPECT_EQ(r.code, 0) << r.err;
  r = Run(absl::StrCat("query --index ", dir, " --id d"));
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(RoughEdgesTest, AddReplaceSwapsAStoredArticle) {
  const std::string dir = Index();
  // a gets the text of b: without --replace a duplicate, with it a copy.
  const std::string a2 = Renamed("a2.jsonl", "a", kOther, "2024-04-02");
  CliResult r = Run(absl::StrCat("add --quiet --index ", dir, " ", a2));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("duplicate id 'a' (already in the index)"),
            std::string::npos)
      << r.err;
  r = Run(absl::StrCat("add --quiet --replace --index ", dir, " ", a2));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("added 1 articles (1 replaced); "), std::string::npos);
  EXPECT_NE(r.out.find("now holds 2 articles"), std::string::npos) << r.out;
  r = Run(absl::StrCat("query --json --index ", dir, " --id b"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"a\",\"relation\":\"exact\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"published\":\"2024-04-02T00:00:00Z\""),
            std::string::npos)
      << r.out;
  // The same id twice in one add stays an error.
  const std::string twice =
      Write("twice.jsonl",
            absl::StrCat("{\"doc\":\"b\",\"body\":\"", kText, "\"}\n",
                         "{\"doc\":\"b\",\"body\":\"", kOther, "\"}\n"));
  r = Run(absl::StrCat("add --quiet --replace --index ", dir, " ", twice));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("duplicate id 'b'"), std::string::npos) << r.err;
}

TEST_F(RoughEdgesTest, WaitForTheWriterLock) {
  const std::string dir = Index();
  const std::string c = Renamed("c.jsonl", "c", kText, "2024-03-13");
  // flock(1) holds LOCK for a second, as another writer would.
  const std::string hold = absl::StrCat("flock ", dir, "/LOCK sleep 1.5 &");
  ASSERT_EQ(std::system(hold.c_str()), 0);
  ::usleep(300 * 1000);
  CliResult r = Run(absl::StrCat("add --quiet --index ", dir, " ", c));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("locked by another syndex process"), std::string::npos)
      << r.err;
  r = Run(absl::StrCat("add --quiet --wait 30 --index ", dir, " ", c));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Run(absl::StrCat("add --wait -1 --index ", dir, " ", c)).code, 2);
}

TEST_F(RoughEdgesTest, QueryFromStandardInputShowsSourceAndTime) {
  const std::string dir = Index();
  const std::string text = Write("q.txt", kText);
  const std::string out = (dir_ / "q.out").string();
  const std::string cmd = absl::StrCat(syndex_, " query --index ", dir,
                                       " --text-file - <", text, " >", out);
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string table = ReadFile(out).value_or("");
  EXPECT_NE(table.find("source"), std::string::npos) << table;
  EXPECT_NE(table.find("published"), std::string::npos) << table;
  EXPECT_NE(table.find("o.example"), std::string::npos) << table;
  EXPECT_NE(table.find("2024-03-12T00:00:00Z"), std::string::npos) << table;
}

TEST_F(RoughEdgesTest, CountsAndThresholdsOutOfRangeAreRefused) {
  const std::string dir = Index();
  const std::string c = (dir_ / "a.jsonl").string();
  const std::string refused[] = {
      absl::StrCat("query --index ", dir, " --id a --related-story 7"),
      absl::StrCat("query --index ", dir, " --id a --k 0"),
      absl::StrCat("query --index ", dir, " --id a --k 2000000000"),
      absl::StrCat("query --index ", dir, " --id a --threads -1"),
      absl::StrCat("query --index ", dir, " --id a --nprobe 0"),
      absl::StrCat("query --index ", dir, " --id a --candidates -5"),
      absl::StrCat("explain --index ", dir, " a b --syndicated-jaccard 1.5"),
      absl::StrCat("cluster --index ", dir, " --neighbours 0"),
      absl::StrCat("cluster --index ", dir, " --story-threshold -1"),
      absl::StrCat("remove --index ", dir, " --id a --threads -2"),
      absl::StrCat("index --index ", (dir_ / "n").string(), " --dims 0 ", c),
      absl::StrCat("index --index ", (dir_ / "n").string(), " --num-perm 12 ",
                   c),
      absl::StrCat("index --index ", (dir_ / "n").string(),
                   " --shingle-size 0 ", c),
      absl::StrCat("index --index ", (dir_ / "n").string(),
                   " --lsh-threshold 1 ", c),
  };
  for (const std::string& args : refused) {
    const CliResult r = Run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find("must"), std::string::npos) << args << ": " << r.err;
    EXPECT_NE(r.err.find(", not "), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(RoughEdgesTest, StatsSaysWhereTheBytesGo) {
  const std::string dir = Index();
  CliResult r = Run(absl::StrCat("stats --json --index ", dir));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* tag : {"PARM", "ARTS", "SIGS", "CSIG", "VOCB", "TERM",
                          "CHRM", "FMAP", "PROJ", "VECS"}) {
    EXPECT_NE(r.out.find(absl::StrCat("\"", tag, "\":")), std::string::npos)
        << tag << " in " << r.out;
  }
  r = Run(absl::StrCat("stats --index ", dir));
  EXPECT_NE(r.out.find("bytes by section"), std::string::npos) << r.out;
}

TEST_F(RoughEdgesTest, EvalReadsGzipAndNamedTruthColumns) {
  const std::string dir = Index();
  const std::string clusters = (dir_ / "c.jsonl").string();
  ASSERT_EQ(
      Run(absl::StrCat("cluster --index ", dir, " --output ", clusters)).code,
      0);
  ASSERT_EQ(std::system(absl::StrCat("gzip -k ", clusters).c_str()), 0);
  const std::string truth = Write("t.tsv", "article\tevent\na\te1\nb\te2\n");
  ASSERT_EQ(std::system(absl::StrCat("gzip -k ", truth).c_str()), 0);
  CliResult r =
      Run(absl::StrCat("eval --clusters ", clusters, ".gz --truth ", truth,
                       ".gz --truth-id article "
                       "--truth-story event --json"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"stories\":"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"copy_groups\":"), std::string::npos) << r.out;
  r = Run(absl::StrCat("eval --clusters ", clusters, " --truth ", truth));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no column 'id'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace syndex
