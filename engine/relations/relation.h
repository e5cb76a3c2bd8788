#ifndef SYNDEX_ENGINE_RELATIONS_RELATION_H_
#define SYNDEX_ENGINE_RELATIONS_RELATION_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "engine/relations/story_score.h"

namespace syndex {

// How two articles are related, strongest last. The names are part of the
// output schema (README) and never change.
enum class Relation : uint8_t {
  kNone = 0,        // "none": nothing in common worth reporting.
  kRelated = 1,     // "related": same story, different text.
  kPartial = 2,     // "partial": one contains most of the other.
  kSyndicated = 3,  // "syndicated": a near-duplicate copy.
  kExact = 4,       // "exact": the same normalized text.
};

absl::string_view RelationName(Relation relation);
std::optional<Relation> ParseRelation(absl::string_view name);
// True for exact, syndicated and partial: the relations of copies.
inline bool IsCopy(Relation r) { return r >= Relation::kPartial; }

// The evidence about one pair of articles A and B.
struct PairScores {
  bool same_content = false;   // Equal content hashes.
  double jaccard = 0;          // MinHash estimate of shingle Jaccard.
  double containment_ab = 0;   // Estimated share of A's shingles in B.
  double containment_ba = 0;   // Estimated share of B's shingles in A.
  double cosine = 0;           // Exact sparse TF-IDF cosine.
  uint32_t shingles_a = 0;     // Shingle set sizes.
  uint32_t shingles_b = 0;
  // The same evidence over character grams (shingle.h, CharGrams), which
  // survives character noise that breaks word shingles.
  double char_jaccard = 0;    // MinHash estimate of character-gram Jaccard.
  uint32_t char_grams_a = 0;  // Character grams, repeats included.
  uint32_t char_grams_b = 0;
  // Publication order: negative when A was published before B, positive
  // when after, 0 when either time is unknown or they are equal.
  int order = 0;
  // The story evidence (story_score.h) and the story score. Pairs scored
  // for copies only (clustering's copy verification) leave them 0.
  double dense_cosine = 0;        // LSA cosine.
  uint32_t shared_key_terms = 0;  // Of the kStoryKeyTerms key terms.
  double days_apart = -1;         // Negative when a date is unknown.
  double story_strength = 0;      // StoryStrength.
  double story = 0;               // The story score, in [0, 1].
};

struct RelationOptions {
  // Jaccard at or above which two articles are syndicated copies.
  // Default: 0.5.
  double syndicated_jaccard = 0.5;
  // Containment (of the smaller in the larger) at or above which two
  // articles are partial copies. Default: 0.6.
  double partial_containment = 0.6;
  // A pair whose smaller article has fewer than this share of the larger's
  // shingles is a partial copy (a truncation or an excerpt) even when its
  // Jaccard reaches syndicated_jaccard. Default: 0.67.
  double partial_size_ratio = 0.67;
  // A partial copy must have at least this many shingles, so that a
  // one-line article is not "contained" in everything quoting it.
  // Default: 20.
  uint32_t min_partial_shingles = 20;
  // An excerpt: at least this share of the quoted article, and at least
  // min_excerpt_shingles shingles, found in the other. The quoted article
  // is the earlier one when both are dated (either one otherwise): a
  // follow-up that repeats a background paragraph of an earlier report
  // carries a small share of that report, an excerpt a large one. Forty
  // shared 5-word shingles is a verbatim passage of about 45 words, more
  // than a shared quote usually is. Defaults: 0.18 and 40.
  double excerpt_containment = 0.18;
  uint32_t min_excerpt_shingles = 40;
  // The share for a pair whose order is unknown (a date missing, or equal
  // dates): the rule reads the larger of the two shares, which a report of
  // the same event with its own words reaches more easily, so it asks for
  // more. Default: 0.2.
  double undated_excerpt_containment = 0.2;
  // Character evidence, for copies whose words are broken by character
  // noise (OCR errors, heavy typos). Different reports of one event share
  // names and phrases, so their character grams overlap too, but not more
  // than their shared words explain: their character Jaccard stays well
  // below their TF-IDF cosine, while a noisy copy's stays high as misread
  // words pull its cosine down (docs/QUALITY.md). A pair is a copy by
  // characters when the smaller article has at least min_char_grams grams
  // (about 50 words), char_jaccard >= char_jaccard_min and char_jaccard >=
  // char_cosine_ratio x cosine, and when noise broke its words: jaccard <
  // char_word_ratio x char_jaccard (articles that share clean passages
  // verbatim keep a word Jaccard near their character Jaccard, and the word
  // rules judge them). Defaults: 300, 0.2, 0.55 and 0.35.
  uint32_t min_char_grams = 300;
  double char_jaccard_min = 0.2;
  double char_cosine_ratio = 0.55;
  double char_word_ratio = 0.35;
  // Story score (story_score.h) at or above which two articles are
  // related: they report the same story. Default: kRelatedStory.
  double related_story = kRelatedStory;
  // The story score's coefficients. Default: the calibrated StoryModel.
  StoryModel story;
};

// The rule of Classify that decided a pair's relation. The names are part
// of the output schema (README) and never change.
enum class Rule : uint8_t {
  kNone = 0,         // "none": no rule held.
  kSameText = 1,     // "same-text": equal content hashes.
  kContainment = 2,  // "containment": the smaller lies in the larger.
  kJaccard = 3,      // "jaccard": shingle Jaccard.
  kCharacters = 4,   // "characters": character grams despite noise.
  kExcerpt = 5,      // "excerpt": a shared passage.
  kStory = 6,        // "story": the story score.
};
absl::string_view RuleName(Rule rule);

struct Decision {
  Relation relation = Relation::kNone;
  Rule rule = Rule::kNone;
};

// Classifies a pair:
//   exact       if same_content;
//   partial     if the article with fewer shingles has at least
//               min_partial_shingles of them, fewer than partial_size_ratio
//               times the other's, and a containment in the other of at
//               least partial_containment;
//   syndicated  if jaccard >= syndicated_jaccard;
//   partial     if the first rule holds but for the size ratio;
//   partial or  if the character rule above holds: partial when the
//   syndicated  smaller article has fewer than partial_size_ratio times the
//               other's character grams, syndicated otherwise;
//   partial     if the containment of the earlier article in the later is
//               at least excerpt_containment (of either in the other at
//               least undated_excerpt_containment when the order is
//               unknown) and the estimated number of shared shingles at
//               least min_excerpt_shingles (an excerpt);
//   related     if story >= related_story;
//   none        otherwise.
// Decide returns the relation with the rule that gave it; Classify only the
// relation.
Decision Decide(const PairScores& scores, const RelationOptions& options);
inline Relation Classify(const PairScores& scores,
                         const RelationOptions& options) {
  return Decide(scores, options).relation;
}

}  // namespace syndex

#endif  // SYNDEX_ENGINE_RELATIONS_RELATION_H_
