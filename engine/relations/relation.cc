#include "engine/relations/relation.h"

#include <algorithm>

namespace syndex {
namespace {

constexpr absl::string_view kNames[] = {"none", "related", "partial",
                                        "syndicated", "exact"};

// The character-gram rules of Classify: a partial or syndicated copy, or
// kNone.
Relation ClassifyByCharacters(const PairScores& s,
                              const RelationOptions& options) {
  const uint32_t smaller = std::min(s.char_grams_a, s.char_grams_b);
  const uint32_t larger = std::max(s.char_grams_a, s.char_grams_b);
  if (smaller < options.min_char_grams ||
      s.char_jaccard < options.char_jaccard_min ||
      s.char_jaccard < options.char_cosine_ratio * s.cosine ||
      s.jaccard >= options.char_word_ratio * s.char_jaccard) {
    return Relation::kNone;
  }
  return smaller < options.partial_size_ratio * larger ? Relation::kPartial
                                                       : Relation::kSyndicated;
}

}  // namespace

absl::string_view RelationName(Relation relation) {
  return kNames[static_cast<int>(relation)];
}

std::optional<Relation> ParseRelation(absl::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kNames[i] == name) return static_cast<Relation>(i);
  }
  return std::nullopt;
}

absl::string_view RuleName(Rule rule) {
  constexpr absl::string_view kRuleNames[] = {
      "none", "same-text", "containment", "jaccard",
      "characters", "excerpt", "story"};
  return kRuleNames[static_cast<int>(rule)];
}

Decision Decide(const PairScores& s, const RelationOptions& options) {
  if (s.same_content) return {Relation::kExact, Rule::kSameText};
  const bool a_smaller = s.shingles_a <= s.shingles_b;
  const double containment = a_smaller ? s.containment_ab : s.containment_ba;
  const uint32_t smaller = a_smaller ? s.shingles_a : s.shingles_b;
  const uint32_t larger = a_smaller ? s.shingles_b : s.shingles_a;
  const bool contained = smaller >= options.min_partial_shingles &&
                         containment >= options.partial_containment;
  if (contained && smaller < options.partial_size_ratio * larger) {
    return {Relation::kPartial, Rule::kContainment};
  }
  if (s.jaccard >= options.syndicated_jaccard) {
    return {Relation::kSyndicated, Rule::kJaccard};
  }
  if (contained) return {Relation::kPartial, Rule::kContainment};
  if (const Relation r = ClassifyByCharacters(s, options); r != Relation::kNone) {
    return {r, Rule::kCharacters};
  }
  const double shared = s.containment_ab * s.shingles_a;
  const double quoted = s.order < 0   ? s.containment_ab
                        : s.order > 0 ? s.containment_ba
                                      : std::max(s.containment_ab,
                                                 s.containment_ba);
  const double needed = s.order != 0 ? options.excerpt_containment
                                     : options.undated_excerpt_containment;
  if (quoted >= needed &&
      shared >= options.min_excerpt_shingles) {
    return {Relation::kPartial, Rule::kExcerpt};
  }
  if (s.story >= options.related_story) {
    return {Relation::kRelated, Rule::kStory};
  }
  return {};
}

}  // namespace syndex
