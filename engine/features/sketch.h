#ifndef SYNDEX_ENGINE_FEATURES_SKETCH_H_
#define SYNDEX_ENGINE_FEATURES_SKETCH_H_

// The part of an article's copy-detection features that pair scores read,
// and the scores of two articles from it: one implementation for the index
// (engine/core) and for the distributed clustering (engine/scale_out.h).

#include <cstdint>
#include <optional>

#include "engine/features/features.h"
#include "engine/relations/relation.h"

namespace syndex {

// Views of one article's features; the signatures must outlive the view.
struct SketchView {
  uint64_t content_hash = 0;
  uint32_t shingles = 0;
  uint32_t char_grams = 0;
  const uint32_t* signature = nullptr;       // num_perm values.
  const uint32_t* char_signature = nullptr;  // char_perm values.
  // Publication time (Unix seconds), for PairScores::order.
  std::optional<int64_t> published;
};

inline SketchView ViewOf(const CopyFeatures& f) {
  return {f.content_hash,          f.shingles,
          f.char_grams,            f.signature.data(),
          f.char_signature.data(), std::nullopt};
}

// The scores of article `a` (as A) against `b` (as B): the MinHash
// estimates of both signatures, the containments and the set sizes, with
// `cosine` as the TF-IDF cosine.
PairScores ScoreSketches(const SketchView& a, const SketchView& b, int num_perm,
                         int char_perm, double cosine);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_FEATURES_SKETCH_H_
