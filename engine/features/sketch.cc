#include "engine/features/sketch.h"

#include "engine/minhash/minhash.h"

namespace syndex {

PairScores ScoreSketches(const SketchView& a, const SketchView& b, int num_perm,
                         int char_perm, double cosine) {
  PairScores s;
  s.shingles_a = a.shingles;
  s.shingles_b = b.shingles;
  s.same_content = a.content_hash == b.content_hash;
  s.jaccard = EstimateJaccard(a.signature, b.signature, num_perm);
  s.containment_ab = EstimateContainment(s.jaccard, a.shingles, b.shingles);
  s.containment_ba = EstimateContainment(s.jaccard, b.shingles, a.shingles);
  s.cosine = cosine;
  s.char_grams_a = a.char_grams;
  s.char_grams_b = b.char_grams;
  s.char_jaccard =
      EstimateJaccard(a.char_signature, b.char_signature, char_perm);
  if (a.published.has_value() && b.published.has_value()) {
    s.order = *a.published < *b.published   ? -1
              : *a.published > *b.published ? 1
                                            : 0;
  }
  return s;
}

}  // namespace syndex
