// Tests of `syndex eval` on small hand-made cluster, truth and corpus files
// whose figures are worked out by hand in the comments.

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

namespace fs = std::filesystem;

using Result = CliResult;

// Truth: copy group g1 is a1 (the original, listed second) with copies a2,
// a3 and a4; g2 is b1 with its exact copy b2; c1 and d1 stand alone.
constexpr char kTruth[] =
    "id\tcopy_group\tstory\tkind\ttransforms\n"
    "a2\tg1\ts1\tsyndicated\ttruncate,typos\n"
    "a1\tg1\ts1\toriginal\t-\n"
    "a3\tg1\ts1\tsyndicated\tocr\n"
    "a4\tg1\ts1\texcerpt\texcerpt\n"
    "b1\tg2\ts2\toriginal\t-\n"
    "b2\tg2\ts2\texact\t-\n"
    "c1\tg3\ts2\trelated\t-\n"
    "d1\tg4\ts3\tunrelated\t-\n";

// Prediction: a2 is missed (P2), a3 and a4 join a1 (P1), b2 joins b1 but so
// does the related c1 (P3).
constexpr char kClusters[] =
    R"({"id":"a1","copy_group":"P1","story":"S1"}
{"id":"a2","copy_group":"P2","story":"S1"}
{"id":"a3","copy_group":"P1","story":"S1"}
{"id":"a4","copy_group":"P1","story":"S1"}
{"id":"b1","copy_group":"P3","story":"S2"}
{"id":"b2","copy_group":"P3","story":"S2"}
{"id":"c1","copy_group":"P3","story":"S2"}
{"id":"d1","copy_group":"P4","story":"S3"}
)";

// Sources: x.com has a2, a4, b1, c1, d1: 10 pairs, of which a2-a4 share a
// true group, leaving 9; of those only b1-c1 is predicted together. y.com has
// a3 and b2: 1 pair, not merged. wire.com has a1 alone. So 1 of 10.
constexpr char kCorpus[] =
    R"({"id":"a1","source":"wire.com","title":"t","text":"x"}
{"id":"a2","source":"x.com","title":"t","text":"x"}
{"id":"a3","source":"y.com","title":"t","text":"x"}
{"id":"a4","source":"x.com","title":"t","text":"x"}
{"id":"b1","source":"x.com","title":"t","text":"x"}
{"id":"b2","source":"y.com","title":"t","text":"x"}
{"id":"c1","source":"x.com","title":"t","text":"x"}
{"id":"d1","source":"x.com","title":"t","text":"x"}
{"id":"z9","source":"x.com","title":"not in the truth","text":"x"}
)";

class EvalTest : public CliFixture {
 protected:
  // `eval` on the hand-made files plus `extra` arguments.
  Result Eval(const std::string& extra) {
    return Run(absl::StrCat("eval --clusters ", Write("c.jsonl", kClusters),
                            " --truth ", Write("t.tsv", kTruth), " ", extra));
  }
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(EvalTest, PairwiseLinesKeepTheirFormat) {
  // True pairs: 6 in g1 + 1 in g2 = 7. Predicted: 3 in P1 + 3 in P3 = 6.
  // Agreed: a1-a3, a1-a4, a3-a4, b1-b2 = 4. P 4/6, R 4/7, F1 32/52.
  Result r = Eval("");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "8 articles scored\n")) << r.out;
  EXPECT_TRUE(
      Has(r.out, "copy groups  precision 0.6667  recall 0.5714  F1 0.6154  "))
      << r.out;
  EXPECT_TRUE(Has(r.out, "(pairs: true 7, predicted 6, agreed 4)")) << r.out;
  EXPECT_FALSE(Has(r.out, "same-outlet")) << r.out;
}

TEST_F(EvalTest, CopyRecallByKindAndTransformFromTheOriginal) {
  // Copies of g1 are measured against a1 (kind original), not against the
  // first listed member a2: a2 missed, a3 and a4 recalled; b2 recalled.
  Result r = Eval("");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "copy recall  3 of 4 copies in their source's group "
                  "(0.7500)\n"))
      << r.out;
  auto row = [](const std::string& key, int copies, int recalled,
                double recall) {
    return absl::StrFormat("  %-20s %8d %9d %8.4f\n", key, copies, recalled,
                           recall);
  };
  EXPECT_TRUE(Has(r.out, "copy recall by kind\n")) << r.out;
  EXPECT_TRUE(Has(r.out, row("exact", 1, 1, 1.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("excerpt", 1, 1, 1.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("syndicated", 2, 1, 0.5))) << r.out;
  EXPECT_FALSE(Has(r.out, "  original ")) << r.out;
  EXPECT_FALSE(Has(r.out, "  related ")) << r.out;
  EXPECT_TRUE(Has(r.out, "copy recall by transform\n")) << r.out;
  EXPECT_TRUE(Has(r.out, row("truncate", 1, 0, 0.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("typos", 1, 0, 0.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("ocr", 1, 1, 1.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("excerpt", 1, 1, 1.0))) << r.out;
  EXPECT_TRUE(Has(r.out, row("none", 1, 1, 1.0))) << r.out;
}

TEST_F(EvalTest, WithoutKindTheFirstMemberIsTheSource) {
  // Source a2 (P2): a1 and a3 (both P1) are both missed.
  const std::string truth = Write(
      "t2.tsv",
      "id\tcopy_group\ttransforms\na2\tg1\ttruncate\na1\tg1\t-\na3\tg1\tocr\n");
  Result r = Run(absl::StrCat("eval --clusters ", Write("c.jsonl", kClusters),
                              " --truth ", truth));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "copy recall  0 of 2 copies")) << r.out;
  EXPECT_FALSE(Has(r.out, "copy recall by kind")) << r.out;
  EXPECT_TRUE(Has(r.out, "copy recall by transform")) << r.out;
  EXPECT_FALSE(Has(r.out, "truncate")) << r.out;  // Only on the source.
}

TEST_F(EvalTest, SameOutletFalseMerges) {
  Result r = Eval(absl::StrCat("--corpus ", Write("corpus.jsonl", kCorpus)));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "same-outlet  1 of 10 same-source pairs of different copy "
                  "groups merged (10.0000%)\n"))
      << r.out;
}

TEST_F(EvalTest, LookAlikeMerges) {
  // Topic t1: e1-e3 and e2-e3 are different stories, both merged; topic t2:
  // e4-e5, not merged. 2 of 3.
  const std::string truth =
      Write("t3.tsv",
            "id\tstory\ttopic\ne1\ts1\tt1\ne2\ts1\tt1\ne3\ts2\tt1\n"
            "e4\ts3\tt2\ne5\ts4\tt2\n");
  std::string clusters;
  const char* stories[] = {"A", "A", "A", "B", "C"};
  for (int i = 0; i < 5; ++i) {
    clusters += absl::StrFormat(
        "{\"id\":\"e%d\",\"copy_group\":\"e%d\",\"story\":\"%s\"}\n", i + 1,
        i + 1, stories[i]);
  }
  Result r = Run(absl::StrCat("eval --clusters ", Write("c3.jsonl", clusters),
                              " --truth ", truth));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "look-alike   2 of 3 same-topic pairs of different stories "
                  "merged (66.67%)\n"))
      << r.out;
  r = Run(absl::StrCat("eval --json --clusters ", Write("c3.jsonl", clusters),
                       " --truth ", truth));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "\"look_alike\":{\"pairs\":3,\"merged\":2,"
                  "\"rate\":0.666667}"))
      << r.out;
}

TEST_F(EvalTest, JsonHasEveryFigureAndNoText) {
  Result r =
      Eval(absl::StrCat("--json --corpus ", Write("corpus.jsonl", kCorpus)));
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.front(), '{') << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
  EXPECT_FALSE(Has(r.out, "articles scored")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"articles\":8")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "\"copy_groups\":{\"precision\":0.6667,\"recall\":0.5714,"
                  "\"f1\":0.6154,"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "\"stories\":{")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "\"copy_recall\":{\"copies\":4,\"recalled\":3,"
                  "\"recall\":0.7500}"))
      << r.out;
  EXPECT_TRUE(Has(r.out,
                  "\"copy_recall_by_kind\":{\"exact\":{\"copies\":1,"
                  "\"recalled\":1,\"recall\":1.0000},"))
      << r.out;
  EXPECT_TRUE(Has(r.out,
                  "\"syndicated\":{\"copies\":2,\"recalled\":1,"
                  "\"recall\":0.5000}"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "\"copy_recall_by_transform\":{")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "\"same_outlet\":{\"pairs\":10,\"merged\":1,"
                  "\"rate\":0.100000}"))
      << r.out;
}

TEST_F(EvalTest, BadCorpusInput) {
  // An id of the truth missing from the corpus.
  Result r = Eval(absl::StrCat(
      "--corpus ", Write("short.jsonl", "{\"id\":\"a1\",\"source\":\"s\"}\n")));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Has(r.err, "id 'a2' of the truth is not in the corpus")) << r.err;
  // A line without a source.
  r = Eval(absl::StrCat(
      "--corpus ", Write("bad.jsonl", "{\"id\":\"a1\",\"title\":\"t\"}\n")));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Has(r.err, "bad.jsonl:1: not an article line")) << r.err;
  // --corpus without copy groups in the truth.
  r = Run(absl::StrCat("eval --clusters ", Write("c.jsonl", kClusters),
                       " --truth ", Write("s.tsv", "id\tstory\na1\ts\n"),
                       " --corpus ", Write("corpus.jsonl", kCorpus)));
  EXPECT_EQ(r.code, 2);
}

}  // namespace
}  // namespace syndex
