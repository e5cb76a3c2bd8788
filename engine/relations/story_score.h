#ifndef SYNDEX_ENGINE_RELATIONS_STORY_SCORE_H_
#define SYNDEX_ENGINE_RELATIONS_STORY_SCORE_H_

// How likely two articles report the same story (the same real-world
// event), from the evidence the engine holds about every pair. One measure
// serves the three places that speak of stories: `query` ranks by it,
// `cluster` builds its story graph from it, and `related` (Classify) means
// a story score of at least RelationOptions::related_story.
//
// The evidence is combined linearly, on the scale of the TF-IDF cosine,
// into the story strength
//
//   strength = (cosine + (w_dense * dense_cosine
//                         + w_key_terms * shared_key_terms) / w_cosine)
//              * time_factor
//
// where time_factor is exp(-(days - window) / window) for two dated
// articles more than `window` days apart, and 1 otherwise. The story score
// is the strength calibrated into a probability by a logistic model:
//
//   story = sigmoid(bias + w_cosine * strength)
//
// fitted on the ECB+ development split (scripts/calibrate_story.py;
// docs/QUALITY.md has the fit, its cross-validation by topic and why each
// feature is in or out). Average linkage in `cluster` averages strengths,
// as it averaged cosines: an average of probabilities is dominated by the
// few sure pairs and splits stories told in many different words. ECB+ has
// no dates, so the time factor is not fitted; it is the decay the story
// graph has always used: news of one event clusters within days.

#include <cstdint>

namespace syndex {

// The evidence about a pair that the story score reads.
struct StoryEvidence {
  double cosine = 0;        // Sparse TF-IDF cosine.
  double dense_cosine = 0;  // LSA cosine of the dense vectors.
  // Terms among both articles' kStoryKeyTerms highest-weighted TF-IDF terms
  // (tfidf/key_terms.h): the rare names and words of a story.
  uint32_t shared_key_terms = 0;
  // Days between the publication times; negative when either is unknown.
  double days_apart = -1;
};

// The coefficients of the story score. Defaults: the calibration on the
// ECB+ development split (docs/QUALITY.md, "The story score").
struct StoryModel {
  double bias = -6.4826;
  double w_cosine = 25.5979;  // Must be positive.
  double w_dense = 0;
  double w_key_terms = 0;
  // Articles further apart than this many days have their strength
  // decayed. Default: 10.
  double time_window_days = 10;
};

// Key terms per article compared by the story score (the same eight key
// terms find a query's key-term candidates).
inline constexpr int kStoryKeyTerms = 8;

// The story score at or above which a pair is `related` (Classify): the
// score is a probability, so at 0.5 a pair more likely reports the same
// story than not.
inline constexpr double kRelatedStory = 0.5;

// The story strength at or above which `cluster` joins two copy groups by
// average linkage (ClusterOptions::story_threshold), and at which a query
// reports a pair as in one story (QueryOptions::same_story_strength).
inline constexpr double kStoryThreshold = 0.15;

// The story score a query's match needs by default
// (QueryOptions::min_story_score).
inline constexpr double kMinStoryScore = 0.05;

// The story strength of a pair (on the scale of the TF-IDF cosine).
double StoryStrength(const StoryEvidence& evidence, const StoryModel& model);
// The story score of a pair of the given strength, in [0, 1].
double StoryScoreOf(double strength, const StoryModel& model);

// The number of terms two lists of kStoryKeyTerms key terms share
// (kNoKeyTerm padding never counts).
uint32_t SharedKeyTerms(const uint32_t* a, const uint32_t* b);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_RELATIONS_STORY_SCORE_H_
