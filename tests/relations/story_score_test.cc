#include "engine/relations/story_score.h"

#include <cmath>

#include "gtest/gtest.h"

namespace syndex {
namespace {

StoryEvidence Evidence(double cosine, double dense, uint32_t keys,
                       double days) {
  StoryEvidence e;
  e.cosine = cosine;
  e.dense_cosine = dense;
  e.shared_key_terms = keys;
  e.days_apart = days;
  return e;
}

TEST(StoryScoreTest, StrengthIsTheCosinePlusWeightedEvidence) {
  StoryModel m;
  m.w_cosine = 20;
  m.w_dense = 5;
  m.w_key_terms = 1;
  EXPECT_DOUBLE_EQ(StoryStrength(Evidence(0.3, 0.4, 2, -1), m),
                   0.3 + (5 * 0.4 + 1 * 2) / 20.0);
}

TEST(StoryScoreTest, ScoreIsTheLogisticOfTheStrength) {
  StoryModel m;
  m.bias = -5;
  m.w_cosine = 25;
  EXPECT_DOUBLE_EQ(StoryScoreOf(0.2, m), 0.5);  // -5 + 25 * 0.2 = 0.
  EXPECT_NEAR(StoryScoreOf(0.0, m), 1 / (1 + std::exp(5.0)), 1e-12);
  EXPECT_LT(StoryScoreOf(0.1, m), StoryScoreOf(0.3, m));
  EXPECT_GE(StoryScoreOf(-10, m), 0.0);
  EXPECT_LE(StoryScoreOf(10, m), 1.0);
}

TEST(StoryScoreTest, TimeDecaysOnlyBeyondTheWindow) {
  StoryModel m;
  m.time_window_days = 10;
  const double base = StoryStrength(Evidence(0.5, 0, 0, -1), m);
  EXPECT_DOUBLE_EQ(StoryStrength(Evidence(0.5, 0, 0, 10), m), base);
  EXPECT_DOUBLE_EQ(StoryStrength(Evidence(0.5, 0, 0, 20), m),
                   base * std::exp(-1.0));
  m.time_window_days = 0;  // No decay.
  EXPECT_DOUBLE_EQ(StoryStrength(Evidence(0.5, 0, 0, 400), m), base);
}

TEST(StoryScoreTest, DefaultThresholdsAreOrdered) {
  // A match returned by default can be below `related`; a pair in one
  // story by the clustering's rule is returned.
  const StoryModel m;
  EXPECT_LT(kMinStoryScore, kRelatedStory);
  EXPECT_GE(StoryScoreOf(kStoryThreshold, m), kMinStoryScore);
}

TEST(StoryScoreTest, SharedKeyTermsIgnorePadding) {
  constexpr uint32_t kPad = 0xffffffffu;
  const uint32_t a[kStoryKeyTerms] = {5, 9, 2, 7, kPad, kPad, kPad, kPad};
  const uint32_t b[kStoryKeyTerms] = {7, 1, 5, 3, 8, kPad, kPad, kPad};
  EXPECT_EQ(SharedKeyTerms(a, b), 2u);
  EXPECT_EQ(SharedKeyTerms(b, a), 2u);
  const uint32_t none[kStoryKeyTerms] = {kPad, kPad, kPad, kPad,
                                         kPad, kPad, kPad, kPad};
  EXPECT_EQ(SharedKeyTerms(none, none), 0u);
  EXPECT_EQ(SharedKeyTerms(a, a), 4u);
}

}  // namespace
}  // namespace syndex
