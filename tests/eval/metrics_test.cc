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

}  // namespace
}  // namespace syndex
