// The checks and helpers of the public option and result types
// (engine/syndex.h).

#include "absl/strings/str_cat.h"
#include "engine/syndex.h"

namespace syndex {
namespace {

// "name must lie in [lo, hi]" unless lo <= value <= hi.
absl::Status InRange(const char* name, double value, double lo, double hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(name, " must lie in [", lo, ", ", hi, "], not ", value));
}

absl::Status CheckRelations(const RelationOptions& r) {
  const struct {
    const char* name;
    double value;
  } shares[] = {
      {"syndicated Jaccard", r.syndicated_jaccard},
      {"partial containment", r.partial_containment},
      {"partial size ratio", r.partial_size_ratio},
      {"excerpt containment", r.excerpt_containment},
      {"character Jaccard", r.char_jaccard_min},
      {"related story score", r.related_story},
  };
  for (const auto& [name, value] : shares) {
    if (absl::Status st = InRange(name, value, 0, 1); !st.ok()) return st;
  }
  if (absl::Status st = InRange("character-cosine ratio", r.char_cosine_ratio,
                                0, 100);
      !st.ok()) {
    return st;
  }
  if (absl::Status st =
          InRange("character-word ratio", r.char_word_ratio, 0, 100);
      !st.ok()) {
    return st;
  }
  if (!(r.story.w_cosine > 0)) {
    return absl::InvalidArgumentError(
        "the story model's cosine weight must be positive");
  }
  if (!(r.story.time_window_days >= 0)) {
    return absl::InvalidArgumentError("time window must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace

FeatureOptions IndexParams::features() const {
  FeatureOptions f;
  f.shingle_size = shingle_size;
  f.seed = seed;
  f.num_perm = num_perm;
  f.char_perm = char_perm;
  return f;
}

absl::Status IndexParams::Validate() const {
  if (lsh_threshold <= 0 || lsh_threshold >= 1 || lsh_min_recall <= 0 ||
      lsh_min_recall >= 1) {
    return absl::InvalidArgumentError(
        "LSH threshold and recall must lie strictly between 0 and 1");
  }
  if (num_perm <= 0 || num_perm % 8 != 0 || num_perm > 4096 ||
      char_perm <= 0 || char_perm % 8 != 0 || char_perm > 4096) {
    return absl::InvalidArgumentError(
        "the number of permutations must be a positive multiple of 8, at "
        "most 4096");
  }
  if (shingle_size < 1 || shingle_size > 64) {
    return absl::InvalidArgumentError("shingle size must be 1 to 64");
  }
  if (projection.dims < 1 || projection.dims > 4096) {
    return absl::InvalidArgumentError("dimensions must be 1 to 4096");
  }
  return absl::OkStatus();
}

absl::Status QueryOptions::Validate() const {
  if (k <= 0) return absl::InvalidArgumentError("k must be positive");
  if (dense_candidates < 0 || key_term_candidates < 0) {
    return absl::InvalidArgumentError(
        "candidate counts must not be negative");
  }
  if (absl::Status st = InRange("minimum story score", min_story_score, 0, 1);
      !st.ok()) {
    return st;
  }
  if (absl::Status st =
          InRange("same-story strength", same_story_strength, 0, 1);
      !st.ok()) {
    return st;
  }
  return CheckRelations(relations);
}

absl::Status ClusterOptions::Validate() const {
  if (neighbours < 1) {
    return absl::InvalidArgumentError("neighbours must be positive");
  }
  if (absl::Status st = InRange("story threshold", story_threshold, 0, 1);
      !st.ok()) {
    return st;
  }
  if (absl::Status st = InRange("minimum edge strength", min_edge_strength, 0, 1);
      !st.ok()) {
    return st;
  }
  return CheckRelations(relations);
}

absl::string_view ClusterEntry::label() const {
  return original() ? "original" : RelationName(relation);
}

}  // namespace syndex
