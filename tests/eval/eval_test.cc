// Evaluate and EvalReportJson on small hand-made cluster, truth and corpus
// files whose figures are worked out by hand in the comments.

#include "engine/eval/eval.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/eval/eval_files.h"

namespace syndex {
namespace {

using ::testing::HasSubstr;

// Copy group g1 is a1 (the original, listed second) with copies a2, a3 and
// a4; g2 is b1 with its exact copy b2; c1 and d1 stand alone. Stories: s1 is
// g1, s2 is g2 and c1, s3 is d1.
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

// a2 is missed (P2), a3 and a4 join a1 (P1), b2 joins b1 but so does the
// related c1 (P3: the one copy group that mixes true ones, 3 articles of 2).
// The stories are all right. z9 is not in the truth.
constexpr char kClusters[] =
    R"({"id":"a1","copy_group":"P1","story":"S1"}
{"id":"a2","copy_group":"P2","story":"S1"}
{"id":"a3","copy_group":"P1","story":"S1"}
{"id":"a4","copy_group":"P1","story":"S1"}
{"id":"b1","copy_group":"P3","story":"S2"}
{"id":"b2","copy_group":"P3","story":"S2"}
{"id":"c1","copy_group":"P3","story":"S2"}
{"id":"d1","copy_group":"P4","story":"S3"}
{"id":"z9","copy_group":"P4","story":"S3"}
)";

// x.com has a2, a4, b1, c1, d1: 10 pairs, of which a2-a4 share a true group,
// leaving 9; of those only b1-c1 is predicted together. y.com has a3 and b2:
// 1 pair, not merged. wire.com has a1 alone. So 1 of 10.
constexpr char kCorpus[] =
    R"({"id":"a1","source":"wire.com","text":"x"}
{"id":"a2","source":"x.com","text":"x"}
{"id":"a3","source":"y.com","text":"x"}
{"id":"a4","source":"x.com","text":"x"}
{"id":"b1","source":"x.com","text":"x"}
{"id":"b2","source":"y.com","text":"x"}
{"id":"c1","source":"x.com","text":"x"}
{"id":"d1","source":"x.com","text":"x"}
{"id":"z9","source":"x.com","text":"x"}
)";

class EvalTest : public EvalFilesTest {
 protected:
  EvalFiles Files(bool with_corpus) {
    EvalFiles files;
    files.clusters = Write("c.jsonl", kClusters);
    files.truth = Write("t.tsv", kTruth);
    if (with_corpus) files.corpus = Write("corpus.jsonl", kCorpus);
    return files;
  }
};

TEST_F(EvalTest, ScoresCopyGroupsAndStories) {
  auto report = Evaluate(Files(false));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->articles, 8);
  // True pairs: 6 in g1 + 1 in g2 = 7. Predicted: 3 in P1 + 3 in P3 = 6.
  // Agreed: a1-a3, a1-a4, a3-a4, b1-b2 = 4. Of 28 pairs, 7 * 6 / 28 = 1.5
  // are expected to agree by chance: ARI (4 - 1.5) / (6.5 - 1.5) = 0.5.
  ASSERT_TRUE(report->copy_groups.has_value());
  const PairwiseScores& g = *report->copy_groups;
  EXPECT_EQ(g.true_pairs, 7);
  EXPECT_EQ(g.predicted_pairs, 6);
  EXPECT_EQ(g.agreed_pairs, 4);
  EXPECT_DOUBLE_EQ(g.precision, 4.0 / 6);
  EXPECT_DOUBLE_EQ(g.recall, 4.0 / 7);
  EXPECT_DOUBLE_EQ(g.adjusted_rand, 0.5);
  // Stories: 6 + 3 pairs, all predicted.
  ASSERT_TRUE(report->stories.has_value());
  EXPECT_EQ(report->stories->true_pairs, 9);
  EXPECT_EQ(report->stories->agreed_pairs, 9);
  EXPECT_DOUBLE_EQ(report->stories->f1, 1.0);
  EXPECT_FALSE(report->look_alike.has_value());   // No topic column.
  EXPECT_FALSE(report->same_outlet.has_value());  // No corpus.
}

TEST_F(EvalTest, CopyRecallFromTheOriginal) {
  // Copies of g1 are measured against a1 (kind original), not the first
  // listed a2: a2 missed, a3 and a4 recalled; b2 recalled.
  auto report = Evaluate(Files(false));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->copy_recall.has_value());
  const CopyRecall& c = *report->copy_recall;
  EXPECT_EQ(c.all.copies, 4);
  EXPECT_EQ(c.all.recalled, 3);
  ASSERT_TRUE(c.by_kind.has_value());
  ASSERT_EQ(c.by_kind->size(), 3u);  // No original, related or unrelated.
  EXPECT_EQ(c.by_kind->at("syndicated").copies, 2);
  EXPECT_EQ(c.by_kind->at("syndicated").recalled, 1);
  EXPECT_EQ(c.by_kind->at("exact").recalled, 1);
  ASSERT_TRUE(c.by_transform.has_value());
  EXPECT_EQ(c.by_transform->at("truncate").recalled, 0);
  EXPECT_EQ(c.by_transform->at("typos").recalled, 0);
  EXPECT_EQ(c.by_transform->at("ocr").recalled, 1);
  EXPECT_EQ(c.by_transform->at("none").copies, 1);  // b2's "-".
}

TEST_F(EvalTest, SameOutletFalseMergesWithTheCorpus) {
  auto report = Evaluate(Files(true));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->same_outlet.has_value());
  EXPECT_EQ(report->same_outlet->pairs, 10);
  EXPECT_EQ(report->same_outlet->merged, 1);
}

TEST_F(EvalTest, LookAlikeMergesWithTopics) {
  // Topic t1: e1-e3 and e2-e3 are different stories, both merged; topic
  // t2: e4-e5, not merged. 2 of 3. No copy_group column: no copy figures.
  EvalFiles files;
  files.truth = Write("t.tsv",
                      "id\tstory\ttopic\ne1\ts1\tt1\ne2\ts1\tt1\ne3\ts2\tt1\n"
                      "e4\ts3\tt2\ne5\ts4\tt2\n");
  files.clusters = Write("c.jsonl",
                         R"({"id":"e1","copy_group":"e1","story":"A"}
{"id":"e2","copy_group":"e2","story":"A"}
{"id":"e3","copy_group":"e3","story":"A"}
{"id":"e4","copy_group":"e4","story":"B"}
{"id":"e5","copy_group":"e5","story":"C"}
)");
  auto report = Evaluate(files);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->look_alike.has_value());
  EXPECT_EQ(report->look_alike->pairs, 3);
  EXPECT_EQ(report->look_alike->merged, 2);
  EXPECT_FALSE(report->copy_groups.has_value());
  EXPECT_FALSE(report->copy_recall.has_value());
  EXPECT_EQ(EvalReportJson(*report),
            "{\"articles\":5,\"stories\":{\"precision\":0.3333,"
            "\"recall\":1.0000,\"f1\":0.5000,\"ari\":0.4118,\"true_pairs\":1,"
            "\"predicted_pairs\":3,\"agreed_pairs\":1},"
            "\"look_alike\":{\"pairs\":3,\"merged\":2,\"rate\":0.666667}}");
}

TEST_F(EvalTest, JsonHasEveryFigureInSchemaOrder) {
  auto report = Evaluate(Files(true));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(
      EvalReportJson(*report),
      "{\"articles\":8,"
      "\"copy_groups\":{\"precision\":0.6667,\"recall\":0.5714,\"f1\":0.6154,"
      "\"ari\":0.5000,\"true_pairs\":7,\"predicted_pairs\":6,"
      "\"agreed_pairs\":4},"
      "\"stories\":{\"precision\":1.0000,\"recall\":1.0000,\"f1\":1.0000,"
      "\"ari\":1.0000,\"true_pairs\":9,\"predicted_pairs\":9,"
      "\"agreed_pairs\":9},"
      "\"copy_recall\":{\"copies\":4,\"recalled\":3,\"recall\":0.7500},"
      "\"copy_recall_by_kind\":{"
      "\"exact\":{\"copies\":1,\"recalled\":1,\"recall\":1.0000},"
      "\"excerpt\":{\"copies\":1,\"recalled\":1,\"recall\":1.0000},"
      "\"syndicated\":{\"copies\":2,\"recalled\":1,\"recall\":0.5000}},"
      "\"copy_recall_by_transform\":{"
      "\"excerpt\":{\"copies\":1,\"recalled\":1,\"recall\":1.0000},"
      "\"none\":{\"copies\":1,\"recalled\":1,\"recall\":1.0000},"
      "\"ocr\":{\"copies\":1,\"recalled\":1,\"recall\":1.0000},"
      "\"truncate\":{\"copies\":1,\"recalled\":0,\"recall\":0.0000},"
      "\"typos\":{\"copies\":1,\"recalled\":0,\"recall\":0.0000}},"
      "\"same_outlet\":{\"pairs\":10,\"merged\":1,\"rate\":0.100000},"
      "\"mixed_copy_groups\":{\"groups\":1,\"largest\":3,"
      "\"largest_true_groups\":2}}");
}

TEST(EvalReportJsonTest, OnlyTheFiguresThatAreSetAndKeysQuoted) {
  EvalReport report;
  report.articles = 3;
  EXPECT_EQ(EvalReportJson(report), "{\"articles\":3}");
  report.copy_recall.emplace();
  report.copy_recall->by_kind.emplace();
  (*report.copy_recall->by_kind)["a\"b"] = {2, 1};
  EXPECT_EQ(EvalReportJson(report),
            "{\"articles\":3,"
            "\"copy_recall\":{\"copies\":0,\"recalled\":0,\"recall\":1.0000},"
            "\"copy_recall_by_kind\":{\"a\\\"b\":{\"copies\":2,"
            "\"recalled\":1,\"recall\":0.5000}}}");
}

TEST_F(EvalTest, IdMissingFromTheClusters) {
  EvalFiles files = Files(false);
  files.clusters = Write("short.jsonl",
                         R"({"id":"a2","copy_group":"P2","story":"S1"}
)");
  auto report = Evaluate(files);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report.status().message(),
            files.clusters + ": id 'a1' of the truth is not in the clusters");
}

TEST_F(EvalTest, IdMissingFromTheCorpus) {
  EvalFiles files = Files(false);
  files.corpus = Write("short.jsonl", R"({"id":"a2","source":"s"})");
  auto report = Evaluate(files);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report.status().message(),
            files.corpus + ": id 'a1' of the truth is not in the corpus");
}

TEST_F(EvalTest, CorpusWithoutCopyGroupsIsAFailedPrecondition) {
  EvalFiles files = Files(true);
  files.truth = Write("s.tsv", "id\tstory\na1\ts\n");
  auto report = Evaluate(files);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(report.status().message()), HasSubstr("copy_group"));
}

TEST_F(EvalTest, ReaderErrorsPassThrough) {
  EvalFiles files = Files(true);
  files.truth = Path("absent.tsv");
  auto report = Evaluate(files);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(report.status().message()), HasSubstr(files.truth));

  files = Files(true);
  files.corpus = Write("bad.jsonl", "{\"id\":\"a1\",\"text\":\"t\"}\n");
  report = Evaluate(files);
  EXPECT_EQ(
      report.status().message(),
      files.corpus + ":1: not an article line (needs string id and source)");

  files = Files(false);
  files.clusters = Write("bad.jsonl", "{\"id\":\"a1\"}\n");
  report = Evaluate(files);
  EXPECT_EQ(
      report.status().message(),
      files.clusters + ":1: not a cluster line (needs id, copy_group, story)");
}

}  // namespace
}  // namespace syndex
