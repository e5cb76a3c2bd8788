// End-to-end tests of the syndex command: index, add, query, cluster, stats
// and eval on a small generated corpus, plus bad input and damaged indexes.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

using Result = CliResult;

class CliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    index_ = (dir_ / "idx").string();
  }

  std::string index_;
};

// A pseudo-random "story" text of `words` words over a vocabulary that is
// specific to `topic`, so different topics share few words.
std::string StoryText(int topic, int variant, int words) {
  SplitMix64 rng(topic * 1000 + variant);
  std::string text;
  for (int i = 0; i < words; ++i) {
    if (i > 0) text += (i % 40 == 0) ? "\n" : " ";
    const uint64_t r = rng.Next();
    if (r % 4 == 0) {
      static const char* kCommon[] = {"the", "of", "and", "to", "in", "said"};
      text += kCommon[r % 6];
    } else {
      text += absl::StrCat("t", topic, "w", (r >> 8) % 400);
    }
  }
  return text;
}

std::string Line(const std::string& id, const std::string& text,
                 const std::string& extra = "") {
  std::string escaped;
  for (char c : text) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  return absl::StrCat("{\"id\":\"", id, "\",\"text\":\"", escaped, "\"",
                      extra, "}\n");
}

// Three stories; story 0 has an exact copy, a chrome-wrapped syndicated copy
// with a typo and a truncated copy; story 1 has an independent write-up.
std::string Corpus() {
  const std::string base = StoryText(0, 0, 300);
  std::string typo = base;
  typo.replace(typo.find(' '), 1, "  x ");
  std::string corpus;
  corpus += Line("a0", base, ",\"published\":\"2024-03-01T08:00:00Z\"");
  corpus += Line("a1", base, ",\"published\":\"2024-03-01T09:00:00Z\"");
  corpus += Line("a2", "Home / World\n" + typo + "\nShare this article",
                 ",\"published\":\"2024-03-01T10:00:00Z\"");
  corpus += Line("a3", base.substr(0, base.size() / 3),
                 ",\"published\":\"2024-03-02T10:00:00Z\"");
  corpus += Line("b0", StoryText(1, 0, 250));
  corpus += Line("c0", StoryText(2, 0, 250));
  return corpus;
}

TEST_F(CliTest, IndexQueryClusterStats) {
  const std::string file = Write("corpus.jsonl", Corpus());
  Result r = Run(absl::StrCat("index --index ", index_, " ", file));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("added 6 articles"), std::string::npos) << r.out;

  r = Run(absl::StrCat("query --index ", index_, " --id a0 --json"));
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, std::string> relation;
  for (absl::string_view line : absl::StrSplit(r.out, '\n', absl::SkipEmpty())) {
    for (const char* id : {"a1", "a2", "a3", "b0", "c0"}) {
      if (line.find(absl::StrCat("\"id\":\"", id, "\"")) == line.npos) continue;
      for (const char* rel : {"exact", "syndicated", "partial", "related"}) {
        if (line.find(absl::StrCat("\"relation\":\"", rel, "\"")) != line.npos)
          relation[id] = rel;
      }
    }
  }
  EXPECT_EQ(relation["a1"], "exact");
  EXPECT_EQ(relation["a2"], "syndicated");
  EXPECT_EQ(relation["a3"], "partial");
  EXPECT_EQ(relation.count("b0"), 0u);
  EXPECT_EQ(relation.count("c0"), 0u);

  r = Run(absl::StrCat("cluster --index ", index_, " --json"));
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> lines =
      absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_NE(lines[0].find("\"copy_group\":\"a0\""), std::string::npos);
  EXPECT_NE(lines[0].find("\"relation\":\"original\""), std::string::npos);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_NE(lines[i].find("\"copy_group\":\"a0\""), std::string::npos)
        << lines[i];
    EXPECT_NE(lines[i].find("\"canonical\":\"a0\""), std::string::npos);
  }
  EXPECT_NE(lines[4].find("\"copy_group\":\"b0\""), std::string::npos);
  EXPECT_NE(lines[5].find("\"story\":\"c0\""), std::string::npos) << r.out;

  r = Run(absl::StrCat("stats --index ", index_));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("articles       6"), std::string::npos) << r.out;
}

TEST_F(CliTest, AddGrowsTheIndexAndRejectsDuplicates) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  const std::string more = Write(
      "more.jsonl", Line("d0", StoryText(3, 0, 200)) +
                        Line("d1", StoryText(3, 0, 200)));
  Result r = Run(absl::StrCat("add --index ", index_, " ", more));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Run(absl::StrCat("query --index ", index_, " --id d1 --json"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"d0\",\"relation\":\"exact\""),
            std::string::npos)
      << r.out;

  // Adding the same ids again fails, names the line, and changes nothing.
  r = Run(absl::StrCat("add --index ", index_, " ", more));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("more.jsonl:1: duplicate id 'd0'"), std::string::npos)
      << r.err;
  r = Run(absl::StrCat("stats --index ", index_, " --json"));
  EXPECT_NE(r.out.find("\"articles\":8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"generation\":2"), std::string::npos) << r.out;

  // With --skip-bad the duplicates are skipped and reported.
  r = Run(absl::StrCat("add --skip-bad --index ", index_, " ", more));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("2  duplicate id"), std::string::npos) << r.err;
}

TEST_F(CliTest, BadLineStopsTheRunAndLeavesTheIndex) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  const std::string bad =
      Write("bad.jsonl", Line("e0", StoryText(4, 0, 50)) + "{not json\n");
  Result r = Run(absl::StrCat("add --index ", index_, " ", bad));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.jsonl:2: "), std::string::npos) << r.err;
  r = Run(absl::StrCat("stats --index ", index_, " --json"));
  EXPECT_NE(r.out.find("\"articles\":6"), std::string::npos) << r.out;

  r = Run(absl::StrCat("add --skip-bad --index ", index_, " ", bad));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped 1 bad line"), std::string::npos) << r.err;
}

TEST_F(CliTest, IndexRefusesToReplaceWithoutOverwrite) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  Result r = Run(absl::StrCat("index --index ", index_, " ", file));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("an index exists here"), std::string::npos) << r.err;
  r = Run(absl::StrCat("index --overwrite --index ", index_, " ", file));
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CliTest, QueryByTextFileAndQueriesFile) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  const std::string text = Write("query.txt", StoryText(1, 0, 250));
  Result r = Run(absl::StrCat("query --index ", index_, " --text-file ", text));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("exact"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("b0"), std::string::npos) << r.out;

  const std::string queries =
      Write("queries.jsonl", Line("q1", StoryText(2, 0, 250)) +
                                 Line("a0", StoryText(0, 0, 300)));
  r = Run(absl::StrCat("query --json --index ", index_, " --queries ",
                       queries));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"query\":\"q1\",\"rank\":1,\"id\":\"c0\""),
            std::string::npos)
      << r.out;
  // A stored article given as a query does not match itself.
  EXPECT_EQ(r.out.find("\"query\":\"a0\",\"rank\":1,\"id\":\"a0\""),
            std::string::npos);
}

TEST_F(CliTest, ScannedAndTableQueriesAgree) {
  // The first queries find LSH candidates by scanning the signatures, later
  // ones from the band tables: ten copies of one query answer alike.
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  std::string lines;
  for (int i = 0; i < 10; ++i) {
    lines += Line(absl::StrCat("q", i), StoryText(0, 0, 300));
  }
  // One vector-search neighbour and no key terms: the other copies come
  // from LSH alone.
  const Result r = Run(absl::StrCat(
      "query --json --candidates 1 --key-term-candidates 0 --index ", index_,
      " --queries ", Write("q.jsonl", lines)));
  ASSERT_EQ(r.code, 0) << r.err;
  // The output lines of query `id`, with the id taken out.
  auto answers = [&](const std::string& id) {
    const std::string tag = absl::StrCat("\"query\":\"", id, "\"");
    std::string out;
    for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
      if (absl::StrContains(line, tag)) {
        out += absl::StrReplaceAll(line, {{tag, ""}});
        out += "\n";
      }
    }
    return out;
  };
  // The near-duplicates (Jaccard >= 0.5) are LSH's to find; the truncated
  // a3 (Jaccard about 0.3) is left to the vector search, turned off here.
  for (const char* copy : {"a0", "a1", "a2"}) {
    EXPECT_NE(answers("q0").find(absl::StrCat("\"id\":\"", copy, "\"")),
              std::string::npos)
        << copy << "\n" << r.out;
  }
  EXPECT_EQ(answers("q0"), answers("q9"));
}

TEST_F(CliTest, DamagedIndexGivesAClearError) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  std::string data_file;
  for (const auto& e : fs::directory_iterator(index_)) {
    if (e.path().extension() == ".sdx") data_file = e.path().string();
  }
  ASSERT_FALSE(data_file.empty());
  std::string bytes = ReadFile(data_file).value();
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(data_file, std::ios::binary) << bytes;
  Result r = Run(absl::StrCat("stats --index ", index_));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(data_file), std::string::npos) << r.err;

  r = Run(absl::StrCat("stats --index ", (dir_ / "nothing").string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no syndex index"), std::string::npos) << r.err;
}

TEST_F(CliTest, RemoveEvictCompactKeepGroupNames) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);

  // Removing the canonical a0 makes the next earliest copy, a1, the
  // canonical; the other groups keep their names.
  Result r = Run(absl::StrCat("remove --index ", index_, " --id a0"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("removed 1 articles"), std::string::npos) << r.out;
  r = Run(absl::StrCat("cluster --json --index ", index_));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("\"id\":\"a0\""), std::string::npos);
  EXPECT_NE(r.out.find("{\"id\":\"a2\",\"copy_group\":\"a1\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"id\":\"b0\",\"copy_group\":\"b0\""),
            std::string::npos);

  EXPECT_EQ(Run(absl::StrCat("remove --index ", index_, " --id nope")).code, 1);

  // a1 (09:00) goes, a2 (10:00) stays, undated articles stay.
  r = Run(absl::StrCat("evict --index ", index_,
                       " --before 2024-03-01T09:30:00Z"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("removed 1 articles"), std::string::npos) << r.out;
  r = Run(absl::StrCat("stats --json --index ", index_));
  EXPECT_NE(r.out.find("\"articles\":4"), std::string::npos) << r.out;

  // With every copy of story 0 gone, its words leave the vocabulary.
  ASSERT_EQ(Run(absl::StrCat("remove --index ", index_, " --id a2 --id a3"))
                .code, 0);
  r = Run(absl::StrCat("compact --index ", index_));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("dropped 0 unused"), std::string::npos) << r.out;
  r = Run(absl::StrCat("query --json --index ", index_, " --text-file ",
                       Write("b.txt", StoryText(1, 0, 250))));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"b0\",\"relation\":\"exact\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Run(absl::StrCat("evict --index ", index_, " --before yesterday"))
                .code, 2);
}

TEST_F(CliTest, ExplainShowsScoresAndSharedPassages) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  Result r = Run(absl::StrCat("explain --index ", index_, " a0 a3"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("relation     partial"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("give --corpus FILE"), std::string::npos);
  r = Run(absl::StrCat("explain --index ", index_, " a0 a3 --corpus ", file));
  ASSERT_EQ(r.code, 0) << r.err;
  // a3 is the first third of a0's characters, ending inside its 98th word:
  // one passage of 97 words at the start of both.
  EXPECT_NE(r.out.find("1 shared passages: 97 of 300 words of a, 98 words"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("[1] a words 0-97 | b words 0-97"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Run(absl::StrCat("explain --index ", index_, " a0 zz")).code, 1);
  EXPECT_EQ(Run(absl::StrCat("explain --index ", index_, " a0")).code, 2);
}

// Text the engine must take whole: other scripts, emoji, one repeated word,
// a large article, and text with no words at all. Each is indexed, finds
// its own copy, and matches nothing it should not.
TEST_F(CliTest, UnusualTextIsIndexedAndMatchedCorrectly) {
  const std::string chinese =
      "\u65b0\u534e\u793e\u5317\u4eac\u7535\u56fd\u5bb6\u7edf\u8ba1"
      "\u5c40\u4eca\u5929\u53d1\u5e03\u6570\u636e\u663e\u793a\u5de5"
      "\u4e1a\u751f\u4ea7\u7a33\u5b9a\u589e\u957f\u5e02\u573a\u9884"
      "\u671f\u5411\u597d";
  const std::string arabic =
      "\u0623\u0639\u0644\u0646\u062a \u0627\u0644\u062d\u0643\u0648"
      "\u0645\u0629 \u0627\u0644\u064a\u0648\u0645 \u0639\u0646 "
      "\u062e\u0637\u0629 \u062c\u062f\u064a\u062f\u0629 \u0644\u062f"
      "\u0639\u0645 \u0627\u0644\u0645\u0632\u0627\u0631\u0639\u064a"
      "\u0646 \u0641\u064a \u0627\u0644\u0645\u0646\u0627\u0637\u0642 "
      "\u0627\u0644\u0631\u064a\u0641\u064a\u0629";
  const std::string russian =
      "\u041f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441"
      "\u0442\u0432\u043e \u043e\u0431\u044a\u044f\u0432\u0438\u043b"
      "\u043e \u043e \u043d\u043e\u0432\u044b\u0445 \u043c\u0435\u0440"
      "\u0430\u0445 \u043f\u043e\u0434\u0434\u0435\u0440\u0436\u043a"
      "\u0438 \u0444\u0435\u0440\u043c\u0435\u0440\u043e\u0432 "
      "\u0432 \u0441\u0435\u043b\u044c\u0441\u043a\u0438\u0445 "
      "\u0440\u0430\u0439\u043e\u043d\u0430\u0445";
  std::string repeated, large;
  for (int i = 0; i < 2000; ++i) repeated += "breaking ";
  for (int i = 0; i < 40; ++i) large += StoryText(5, i, 2500) + "\n";
  std::string corpus;
  for (const char* copy : {"1", "2"}) {
    corpus += Line(absl::StrCat("zh", copy), chinese);
    corpus += Line(absl::StrCat("ar", copy), arabic);
    corpus += Line(absl::StrCat("ru", copy), russian);
    corpus += Line(absl::StrCat("emoji", copy),
                   "\U0001F525\U0001F525 " + StoryText(6, 0, 200) +
                       " \U0001F680");
    corpus += Line(absl::StrCat("rep", copy), repeated);
  }
  corpus += Line("large", large);
  corpus += Line("symbols", "!!! ??? ... --- ***");
  corpus += Corpus();
  const std::string file = Write("unusual.jsonl", corpus);
  Result r = Run(absl::StrCat("index --index ", index_, " ", file));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* id : {"zh", "ar", "ru", "emoji", "rep"}) {
    r = Run(absl::StrCat("query --json --index ", index_, " --id ", id, "1"));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(absl::StrCat("\"rank\":1,\"id\":\"", id,
                                      "2\",\"relation\":\"exact\"")),
              std::string::npos)
        << id << ": " << r.out;
    // Nothing else is a copy of these texts.
    EXPECT_EQ(r.out.find("\"rank\":2,\"id\":\"a0\",\"relation\":\"syn"),
              std::string::npos);
  }
  r = Run(absl::StrCat("query --json --index ", index_, " --id symbols"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = Run(absl::StrCat("cluster --json --index ", index_));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":\"large\",\"copy_group\":\"large\""),
            std::string::npos);
}

// `text` with OCR-like noise: about one character in `every` is misread (a
// letter or digit as another letter) or, for a space, dropped.
std::string OcrNoise(const std::string& text, int every, uint64_t seed) {
  SplitMix64 rng(seed);
  std::string out;
  for (char c : text) {
    const uint64_t r = rng.Next();
    if (r % every != 0 || c == '\n') {
      out += c;
    } else if (c != ' ') {
      out += static_cast<char>('a' + (r >> 32) % 26);
    }
  }
  return out;
}

TEST_F(CliTest, OcrNoisyCopyIsFoundByCharacters) {
  const std::string base = StoryText(0, 0, 400);
  std::string corpus = Line("a0", base);
  corpus += Line("noisy", OcrNoise(base, 20, 1));
  corpus += Line("writeup", StoryText(0, 1, 400));  // Same topic, own words.
  corpus += Line("b0", StoryText(1, 0, 300));
  const std::string file = Write("corpus.jsonl", corpus);
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  Result r = Run(absl::StrCat("explain --index ", index_, " a0 noisy"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("relation     syndicated"), std::string::npos) << r.out;
  r = Run(absl::StrCat("query --json --index ", index_, " --id noisy"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"rank\":1,\"id\":\"a0\",\"relation\":\"syndicated\""),
            std::string::npos)
      << r.out;
  // Switching the character evidence off leaves only shared vocabulary.
  r = Run(absl::StrCat("explain --index ", index_,
                       " a0 noisy --char-jaccard 1.01"));
  EXPECT_EQ(r.out.find("relation     syndicated"), std::string::npos) << r.out;
  // The other write-up of the topic shares words but is no copy.
  r = Run(absl::StrCat("explain --index ", index_, " a0 writeup"));
  EXPECT_EQ(r.out.find("relation     syndicated"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("relation     partial"), std::string::npos) << r.out;
  r = Run(absl::StrCat("cluster --json --index ", index_));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":\"noisy\",\"copy_group\":\"a0\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"id\":\"writeup\",\"copy_group\":\"writeup\""),
            std::string::npos)
      << r.out;
}

TEST_F(CliTest, ExhaustiveQueryAgreesOnASmallIndex) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  for (const char* id : {"a0", "a2", "a3", "b0"}) {
    const Result fast =
        Run(absl::StrCat("query --json --index ", index_, " --id ", id));
    const Result exact = Run(
        absl::StrCat("query --json --exhaustive --index ", index_, " --id ", id));
    ASSERT_EQ(exact.code, 0) << exact.err;
    EXPECT_EQ(fast.out, exact.out) << id;
  }
  // a0 has three copies; the exhaustive search finds them all.
  const Result r =
      Run(absl::StrCat("query --json --exhaustive --index ", index_, " --id a0"));
  EXPECT_NE(r.out.find("\"id\":\"a1\",\"relation\":\"exact\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"id\":\"a3\",\"relation\":\"partial\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Run(absl::StrCat("query --exhaustive --index ", index_,
                             " --text-file ", file)).code,
            2);
}

// Twelve write-ups of one story share its words but no shingles: only the
// vector search and the key terms find them. --candidates bounds how many
// neighbours the vector search proposes, --key-term-candidates how many
// articles sharing key terms.
TEST_F(CliTest, CandidatesBoundTheVectorSearch) {
  std::string corpus;
  for (int v = 0; v < 12; ++v) {
    corpus += Line(absl::StrCat("r", v), StoryText(5, v, 200));
  }
  const std::string file = Write("corpus.jsonl", corpus);
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  auto matches = [](const std::string& out) {
    return std::count(out.begin(), out.end(), '\n');
  };
  Result r = Run(absl::StrCat("query --json --index ", index_, " --id r0"));
  ASSERT_EQ(r.code, 0) << r.err;
  const int all = matches(r.out);
  EXPECT_GE(all, 5) << r.out;
  EXPECT_NE(r.out.find("\"relation\":\"related\""), std::string::npos);
  r = Run(absl::StrCat("query --json --candidates 3 --key-term-candidates 0 "
                       "--index ", index_, " --id r0"));
  ASSERT_EQ(r.code, 0) << r.err;
  // Three neighbours, one of which is the query itself.
  EXPECT_GE(matches(r.out), 1) << r.out;
  EXPECT_LE(matches(r.out), 2) << r.out;
  // The only neighbour is the query itself: the matches left come from
  // the key terms.
  r = Run(absl::StrCat("query --json --candidates 1 --key-term-candidates 0 "
                       "--index ", index_, " --id r0"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(matches(r.out), 0) << r.out;
  r = Run(absl::StrCat("query --json --candidates 1 --index ", index_,
                       " --id r0"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GE(matches(r.out), 3) << r.out;
  r = Run(absl::StrCat("query --json --candidates 1 --key-term-candidates 2 "
                       "--index ", index_, " --id r0"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GE(matches(r.out), 1) << r.out;
  EXPECT_LE(matches(r.out), 2) << r.out;
  EXPECT_EQ(Run(absl::StrCat("query --candidates -1 --index ", index_,
                             " --id r0")).code,
            2);
  EXPECT_EQ(Run(absl::StrCat("query --key-term-candidates -1 --index ",
                             index_, " --id r0")).code,
            2);
}

TEST_F(CliTest, UsageErrors) {
  EXPECT_EQ(Run("frobnicate").code, 2);
  EXPECT_EQ(Run("query --index x").code, 2);
  EXPECT_EQ(Run("index --index x --bogus 1 f").code, 2);
  Result r = Run("help query");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--text-file"), std::string::npos);
  r = Run("help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("cluster"), std::string::npos);
}

TEST_F(CliTest, EvalScoresClusterOutput) {
  const std::string file = Write("corpus.jsonl", Corpus());
  ASSERT_EQ(Run(absl::StrCat("index --index ", index_, " ", file)).code, 0);
  const std::string clusters = (dir_ / "clusters.jsonl").string();
  ASSERT_EQ(Run(absl::StrCat("cluster --index ", index_, " --output ",
                             clusters)).code, 0);
  const std::string truth = Write(
      "truth.tsv",
      "id\tcopy_group\tstory\na0\tg0\ts0\na1\tg0\ts0\na2\tg0\ts0\na3\tg0\ts0\n"
      "b0\tg1\ts1\nc0\tg2\ts2\n");
  Result r = Run(absl::StrCat("eval --clusters ", clusters, " --truth ", truth));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("copy groups  precision 1.0000  recall 1.0000"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace syndex
