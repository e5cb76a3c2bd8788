// The checks and helpers of the public option and result types
// (engine/syndex.h).

#include "absl/strings/str_cat.h"
#include "engine/syndex.h"

namespace syndex {
namespace {

// Upper bound of counts per query or per article: far beyond any use, and
// low enough that no sum or product of them overflows.
constexpr int kMaxCount = 1000000;

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
      {"undated excerpt containment", r.undated_excerpt_containment},
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
  if (!(lsh_threshold > 0 && lsh_threshold < 1 && lsh_min_recall > 0 &&
        lsh_min_recall < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LSH threshold and recall must lie strictly between 0 and 1, not ",
        lsh_threshold, " and ", lsh_min_recall));
  }
  if (num_perm <= 0 || num_perm % 8 != 0 || num_perm > 4096 ||
      char_perm <= 0 || char_perm % 8 != 0 || char_perm > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the number of permutations must be a positive multiple of 8, at "
        "most 4096, not ",
        num_perm, " and ", char_perm));
  }
  if (shingle_size < 1 || shingle_size > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("shingle size must be 1 to 64, not ", shingle_size));
  }
  if (projection.dims < 1 || projection.dims > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat("dimensions must be 1 to 4096, not ", projection.dims));
  }
  if (chrome.final_source_docs < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "final chrome articles must be 0 or more, not ",
        chrome.final_source_docs));
  }
  return absl::OkStatus();
}

absl::Status OpenOptions::Validate() const {
  if (threads < 0 || threads > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "threads must lie in [0, 4096] (0 = all cores), not ", threads));
  }
  if (nprobe < 1 || nprobe > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("nprobe must lie in [1, ", kMaxCount, "], not ", nprobe));
  }
  if (!(lock_wait_seconds >= 0 && lock_wait_seconds <= 1e6)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lock wait must lie in [0, 1000000] seconds, not ", lock_wait_seconds));
  }
  return absl::OkStatus();
}

absl::Status ExplainOptions::Validate() const {
  return CheckRelations(relations);
}

absl::Status QueryOptions::Validate() const {
  if (k <= 0 || k > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must lie in [1, ", kMaxCount, "], not ", k));
  }
  if (dense_candidates < 0 || key_term_candidates < 0 ||
      dense_candidates > kMaxCount || key_term_candidates > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("candidate counts must lie in [0, ", kMaxCount, "], not ",
                     dense_candidates, " and ", key_term_candidates));
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
  if (neighbours < 1 || neighbours > 1000) {
    return absl::InvalidArgumentError(
        absl::StrCat("neighbours must lie in [1, 1000], not ", neighbours));
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
