#include "engine/eval/metrics.h"

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(MetricsTest, PerfectClusteringScoresOne) {
  const std::vector<std::string> t = {"a", "a", "b", "b", "b", "c"};
  const std::vector<std::string> p = {"x", "x", "y", "y", "y", "z"};
  const PairwiseScores s = ScoreClustering(t, p);
  EXPECT_EQ(s.true_pairs, 4);
  EXPECT_EQ(s.agreed_pairs, 4);
  EXPECT_DOUBLE_EQ(s.f1, 1.0);
  EXPECT_DOUBLE_EQ(s.adjusted_rand, 1.0);
}

TEST(MetricsTest, HandComputedExample) {
  // Truth {0,1,2} {3,4}; prediction {0,1} {2,3,4}.
  const std::vector<std::string> t = {"a", "a", "a", "b", "b"};
  const std::vector<std::string> p = {"x", "x", "y", "y", "y"};
  const PairwiseScores s = ScoreClustering(t, p);
  EXPECT_EQ(s.true_pairs, 4);       // 3 + 1
  EXPECT_EQ(s.predicted_pairs, 4);  // 1 + 3
  EXPECT_EQ(s.agreed_pairs, 2);     // (0,1) and (3,4)
  EXPECT_DOUBLE_EQ(s.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.recall, 0.5);
  // ARI: expected = 4 * 4 / 10 = 1.6; max = 4; (2 - 1.6) / (4 - 1.6).
  EXPECT_NEAR(s.adjusted_rand, 0.4 / 2.4, 1e-12);
}

TEST(MetricsTest, AllMergedHasFullRecallLowPrecision) {
  const std::vector<std::string> t = {"a", "a", "b", "b"};
  const std::vector<std::string> p = {"x", "x", "x", "x"};
  const PairwiseScores s = ScoreClustering(t, p);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_NEAR(s.precision, 2.0 / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.adjusted_rand, 0.0);
}

TEST(MetricsTest, MergesCountOnlyPairsWithinABlock) {
  // Block t1: items 0-2 and 1-2 are in different true clusters and both
  // predicted together; 0-1 is one true cluster. Block t2: 3-4, apart.
  // Item 5 is alone in its block.
  const std::vector<std::string> block = {"t1", "t1", "t1", "t2", "t2", "t3"};
  const std::vector<std::string> t = {"a", "a", "b", "c", "d", "e"};
  const std::vector<std::string> p = {"x", "x", "x", "y", "z", "x"};
  const MergeCount m = CountMerges(block, t, p);
  EXPECT_EQ(m.pairs, 3);
  EXPECT_EQ(m.merged, 2);
  EXPECT_DOUBLE_EQ(m.Rate(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(MergeCount().Rate(), 0.0);
}

TEST(MetricsTest, MixedClustersSpanTwoOrMoreTrueOnes) {
  // P mixes t1 and t2 (3 items); Q mixes t3, t4 and t5 (3 items, so the
  // largest by true clusters); R is pure, however large.
  const MixedClusters m = FindMixedClusters(
      {"t1", "t1", "t2", "t3", "t4", "t5", "t6", "t6", "t6", "t6"},
      {"P", "P", "P", "Q", "Q", "Q", "R", "R", "R", "R"});
  EXPECT_EQ(m.clusters, 2);
  EXPECT_EQ(m.largest, 3);
  EXPECT_EQ(m.largest_true, 3);
  const MixedClusters none = FindMixedClusters({"a", "b"}, {"x", "y"});
  EXPECT_EQ(none.clusters, 0);
  EXPECT_EQ(none.largest, 0);
}

TEST(MetricsTest, CopiesAreMeasuredAgainstTheOriginal) {
  // Group g: the original is item 1; item 0 is missed, item 2 recalled.
  // Group h: no original, so item 3 is the source; item 4 is recalled.
  // Item 5 is alone and no copy.
  const std::vector<std::string> t = {"g", "g", "g", "h", "h", "i"};
  const std::vector<std::string> kind = {"syndicated", "original", "excerpt",
                                         "syndicated", "exact",    "original"};
  const std::vector<std::string> transforms = {"ocr,typos", "-", "excerpt",
                                               "ocr",       "-", "-"};
  const std::vector<std::string> p = {"P", "Q", "Q", "R", "R", "S"};
  const CopyRecall r = ScoreCopies(t, &kind, &transforms, p);
  EXPECT_EQ(r.all.copies, 3);
  EXPECT_EQ(r.all.recalled, 2);
  ASSERT_TRUE(r.by_kind.has_value());
  EXPECT_EQ(r.by_kind->size(), 3u);
  EXPECT_EQ(r.by_kind->at("syndicated").copies, 1);
  EXPECT_EQ(r.by_kind->at("syndicated").recalled, 0);
  EXPECT_EQ(r.by_kind->at("excerpt").recalled, 1);
  EXPECT_EQ(r.by_kind->at("exact").recalled, 1);
  ASSERT_TRUE(r.by_transform.has_value());
  EXPECT_EQ(r.by_transform->size(), 4u);           // ocr, typos, excerpt, none.
  EXPECT_EQ(r.by_transform->at("ocr").copies, 1);  // Item 3 is a source.
  EXPECT_EQ(r.by_transform->at("ocr").recalled, 0);
  EXPECT_EQ(r.by_transform->at("typos").recalled, 0);
  EXPECT_EQ(r.by_transform->at("none").recalled, 1);
}

TEST(MetricsTest, WithoutKindsTheFirstMemberIsTheSource) {
  // Source item 0 (P): items 1 and 2 (Q) are both missed.
  const std::vector<std::string> t = {"g", "g", "g"};
  const std::vector<std::string> p = {"P", "Q", "Q"};
  const CopyRecall r = ScoreCopies(t, nullptr, nullptr, p);
  EXPECT_EQ(r.all.copies, 2);
  EXPECT_EQ(r.all.recalled, 0);
  EXPECT_DOUBLE_EQ(r.all.Value(), 0.0);
  EXPECT_FALSE(r.by_kind.has_value());
  EXPECT_FALSE(r.by_transform.has_value());
  EXPECT_DOUBLE_EQ(Recall().Value(), 1.0);
}

}  // namespace
}  // namespace syndex
