#include "engine/relations/relation.h"

#include "gtest/gtest.h"

namespace syndex {
namespace {

// Scores whose story evidence is the cosine alone, scored by the default
// story model.
PairScores Scores(double jaccard, double c_ab, double c_ba, double cosine) {
  PairScores s;
  s.jaccard = jaccard;
  s.containment_ab = c_ab;
  s.containment_ba = c_ba;
  s.cosine = cosine;
  StoryEvidence e;
  e.cosine = cosine;
  s.story_strength = StoryStrength(e, StoryModel());
  s.story = StoryScoreOf(s.story_strength, StoryModel());
  s.shingles_a = 100;
  s.shingles_b = 300;
  return s;
}

TEST(RelationTest, NamesRoundTrip) {
  for (Relation r : {Relation::kNone, Relation::kRelated, Relation::kPartial,
                     Relation::kSyndicated, Relation::kExact}) {
    EXPECT_EQ(ParseRelation(RelationName(r)), r);
  }
  EXPECT_EQ(RelationName(Relation::kSyndicated), "syndicated");
  EXPECT_FALSE(ParseRelation("copy").has_value());
}

TEST(RelationTest, ClassifiesByStrongestEvidence) {
  RelationOptions o;
  PairScores exact = Scores(1, 1, 1, 1);
  exact.same_content = true;
  EXPECT_EQ(Classify(exact, o), Relation::kExact);
  PairScores copy = Scores(0.7, 0.8, 0.8, 0.9);
  copy.shingles_a = 290;  // Nearly the same size as B.
  EXPECT_EQ(Classify(copy, o), Relation::kSyndicated);
  // A (100 shingles) is mostly inside B (300): an excerpt or truncation.
  EXPECT_EQ(Classify(Scores(0.3, 0.9, 0.3, 0.6), o), Relation::kPartial);
  EXPECT_EQ(Classify(Scores(0.02, 0.05, 0.01, 0.45), o), Relation::kRelated);
  EXPECT_EQ(Classify(Scores(0.0, 0.0, 0.0, 0.1), o), Relation::kNone);
}

TEST(RelationTest, RelatedMeansAStoryScoreOfAtLeastRelatedStory) {
  RelationOptions o;
  PairScores s = Scores(0.0, 0.0, 0.0, 0.9);
  s.story = o.related_story;
  EXPECT_EQ(Decide(s, o).relation, Relation::kRelated);
  EXPECT_EQ(RuleName(Decide(s, o).rule), "story");
  s.story = o.related_story - 0.01;
  EXPECT_EQ(Classify(s, o), Relation::kNone);  // The cosine alone is no rule.
}

TEST(RelationTest, TruncatedCopyIsPartialEvenWithHighJaccard) {
  RelationOptions o;
  // A keeps the first 60% of B: Jaccard 0.6, containment 1.
  PairScores s = Scores(0.6, 1.0, 0.6, 0.8);
  s.shingles_a = 180;
  s.shingles_b = 300;
  EXPECT_EQ(Classify(s, o), Relation::kPartial);
  // At 80% of the length it is a syndicated copy with a cut ending.
  s.shingles_a = 240;
  s.jaccard = 0.8;
  EXPECT_EQ(Classify(s, o), Relation::kSyndicated);
}

TEST(RelationTest, PartialUsesTheSmallerArticlesContainment) {
  RelationOptions o;
  // B (100 shingles) shares 30 with A (500): 30% of B, too little to be
  // contained and too few shingles to be an excerpt.
  PairScores s = Scores(0.053, 0.06, 0.3, 0.0);
  s.shingles_a = 500;
  s.shingles_b = 100;
  EXPECT_EQ(Classify(s, o), Relation::kNone);
}

TEST(RelationTest, SharedPassageIsAnExcerpt) {
  RelationOptions o;
  // 90 shared shingles: 18% of A and 30% of B, a verbatim passage.
  PairScores s = Scores(0.127, 0.18, 0.3, 0.2);
  s.shingles_a = 500;
  s.shingles_b = 300;
  EXPECT_EQ(Classify(s, o), Relation::kPartial);
  o.min_excerpt_shingles = 100;
  EXPECT_EQ(Classify(s, o), Relation::kNone);
}

TEST(RelationTest, TinyArticlesAreNotPartialCopies) {
  RelationOptions o;
  PairScores s = Scores(0.05, 1.0, 0.05, 0.0);
  s.shingles_a = 3;
  EXPECT_EQ(Classify(s, o), Relation::kNone);
}

// Word evidence of a noisy copy: few shared word shingles, related cosine.
PairScores NoisyWords(uint32_t grams_a, uint32_t grams_b, double char_jaccard,
                      double cosine) {
  PairScores s = Scores(0.1, 0.15, 0.15, cosine);
  s.shingles_b = 110;
  s.char_grams_a = grams_a;
  s.char_grams_b = grams_b;
  s.char_jaccard = char_jaccard;
  return s;
}

TEST(RelationTest, CharacterNoisyCopyIsSyndicated) {
  RelationOptions o;
  EXPECT_EQ(Classify(NoisyWords(2000, 2100, 0.35, 0.5), o),
            Relation::kSyndicated);
  // Below the Jaccard threshold the word evidence decides: related.
  EXPECT_EQ(Classify(NoisyWords(2000, 2100, 0.19, 0.3), o),
            Relation::kRelated);
}

TEST(RelationTest, SharedVocabularyAloneIsNoCharacterCopy) {
  // Character overlap no larger than the shared words explain: two reports
  // of one event.
  RelationOptions o;
  EXPECT_EQ(Classify(NoisyWords(2000, 2100, 0.3, 0.6), o),
            Relation::kRelated);
  EXPECT_EQ(Classify(NoisyWords(2000, 2100, 0.36, 0.6), o),
            Relation::kSyndicated);
}

TEST(RelationTest, CharacterNoisyTruncationIsPartial) {
  RelationOptions o;
  EXPECT_EQ(Classify(NoisyWords(1000, 2000, 0.3, 0.4), o), Relation::kPartial);
}

TEST(RelationTest, ShortArticlesNeedWordEvidence) {
  RelationOptions o;
  EXPECT_EQ(Classify(NoisyWords(299, 2000, 0.9, 0.5), o), Relation::kRelated);
  EXPECT_EQ(Classify(NoisyWords(300, 2000, 0.9, 0.5), o), Relation::kPartial);
}

TEST(RelationTest, WordEvidenceComesFirst) {
  RelationOptions o;
  PairScores s = Scores(0.7, 0.8, 0.8, 0.9);
  s.shingles_b = 100;
  s.char_grams_a = 1000;
  s.char_grams_b = 400;
  s.char_jaccard = 0.9;
  EXPECT_EQ(Classify(s, o), Relation::kSyndicated);
  s = Scores(0.3, 1.0, 0.3, 0.8);  // A truncation by words.
  s.char_grams_a = 1000;
  s.char_grams_b = 1200;
  s.char_jaccard = 0.8;
  EXPECT_EQ(Classify(s, o), Relation::kPartial);
}

}  // namespace
}  // namespace syndex
