#include "engine/relations/story_score.h"

#include <cmath>

namespace syndex {
namespace {

// Pads a key-term list (as tfidf/key_terms.h's kNoKeyTerm; relations does
// not depend on tfidf).
constexpr uint32_t kPadding = 0xffffffffu;

}  // namespace

double StoryStrength(const StoryEvidence& e, const StoryModel& m) {
  double strength = e.cosine + (m.w_dense * e.dense_cosine +
                                m.w_key_terms * e.shared_key_terms) /
                                   m.w_cosine;
  const double window = m.time_window_days;
  if (e.days_apart > window && window > 0) {
    strength *= std::exp(-(e.days_apart - window) / window);
  }
  return strength;
}

double StoryScoreOf(double strength, const StoryModel& m) {
  return 1.0 / (1.0 + std::exp(-(m.bias + m.w_cosine * strength)));
}

uint32_t SharedKeyTerms(const uint32_t* a, const uint32_t* b) {
  uint32_t shared = 0;
  for (int i = 0; i < kStoryKeyTerms; ++i) {
    if (a[i] == kPadding) break;  // Padding only follows real terms.
    for (int j = 0; j < kStoryKeyTerms; ++j) {
      if (a[i] == b[j]) {
        ++shared;
        break;
      }
    }
  }
  return shared;
}

}  // namespace syndex
