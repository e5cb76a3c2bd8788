#ifndef SYNDEX_DATASETS_GENERATOR_STORY_H_
#define SYNDEX_DATASETS_GENERATOR_STORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "datasets/generator/random.h"
#include "datasets/generator/vocabulary.h"

namespace syndex {
namespace gen {

// A news topic: a section name and a topic vocabulary (ranks into the
// Vocabulary) that all its stories draw from.
struct Topic {
  std::string section;
  std::vector<uint32_t> words;
};

// One event. All write-ups of a story share its entities, numbers and words.
struct Story {
  int topic = 0;
  std::vector<std::string> persons;  // "Talven Morisk".
  std::vector<std::string> roles;    // Parallel to persons: "a spokesperson for ...".
  std::vector<std::string> places;
  std::vector<std::string> orgs;
  std::vector<std::string> numbers;  // "4,300", "2.5 per cent", "$12 million".
  std::vector<uint32_t> words;       // Topic words plus event-specific words.
  int64_t minute = 0;                // Event time, minutes since the epoch.
};

// A piece of text as paragraphs (no newlines inside a paragraph).
struct Body {
  std::string title;
  std::vector<std::string> paragraphs;
};

// Builds topics, stories and write-up text from a Vocabulary.
// Thread-compatible; all randomness comes from the Rng arguments.
class StoryWriter {
 public:
  explicit StoryWriter(const Vocabulary* vocab) : vocab_(vocab) {}

  Topic MakeTopic(Rng& rng, int index) const;
  // A new event on `topic` at `minute`. When `lookalike` is given, the story
  // reuses its words (same topic vocabulary and event words) with new
  // entities, numbers and time: a different event that reads alike.
  Story MakeStory(Rng& rng, const std::vector<Topic>& topics, int topic,
                  int64_t minute, const Story* lookalike) const;

  // An independent write-up of `story` with at least `words` and at most
  // `max_words` words (REQUIRES: words <= max_words). `dateline` is put in
  // front of the first paragraph ("" for none).
  Body WriteUp(Rng& rng, const Story& story, int words, int max_words,
               const std::string& dateline) const;
  std::string Headline(Rng& rng, const Story& story) const;
  // One paragraph of about `words` words about `story`.
  std::string Paragraph(Rng& rng, const Story& story, int words) const;

  std::string PersonName(Rng& rng) const;
  std::string PlaceName(Rng& rng) const;

 private:
  // Appends one sentence; returns its word count.
  int AppendSentence(Rng& rng, const Story& story, std::string* out) const;
  int AppendClause(Rng& rng, const Story& story, int words, bool capitalize,
                   std::string* out) const;
  // Appends a person, place, organisation or number; returns its words.
  int AppendEntity(Rng& rng, const Story& story, std::string* out) const;

  const Vocabulary* vocab_;
};

// Counts whitespace-separated tokens.
int CountWords(absl::string_view text);

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_STORY_H_
