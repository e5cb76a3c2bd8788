#ifndef SYNDEX_DATASETS_GENERATOR_TRANSFORMS_H_
#define SYNDEX_DATASETS_GENERATOR_TRANSFORMS_H_

#include <string>
#include <vector>

#include "datasets/generator/random.h"

namespace syndex {
namespace gen {

// Edits applied to republished copies. Each works on paragraphs (no newline
// inside one), touches ASCII bytes only and keeps the text valid UTF-8.

// Keeps the first `fraction` of the words (at least one paragraph's start),
// cutting at a word boundary.
void Truncate(double fraction, std::vector<std::string>* paragraphs);

// Drops 1-2 paragraphs other than the first. Returns false if too short.
bool DropParagraphs(Rng& rng, std::vector<std::string>* paragraphs);

// Swaps two adjacent paragraphs other than the first. False if too short.
bool ReorderParagraphs(Rng& rng, std::vector<std::string>* paragraphs);

// Misspells about `rate` of the words (swapped, dropped, doubled or replaced
// letters).
void AddTypos(Rng& rng, double rate, std::string* text);

// Replaces about `rate` of the characters with OCR-like confusions
// ("m" -> "rn", "l" -> "1", "e" -> "c", lost spaces, ...).
void AddOcrNoise(Rng& rng, double rate, std::string* text);

// Straight quotes to typographic ones and " - " to an em dash.
void Typographic(std::string* text);

// Some quotes, apostrophes, ampersands, dashes and spaces as HTML entities.
void HtmlEntities(Rng& rng, std::string* text);

// Doubled spaces and trailing spaces.
void Whitespace(Rng& rng, std::string* text);

// Rewrites the dateline at the start of `paragraph` (up to " - "): drops the
// agency credit, the date or the whole dateline. False if there is none.
bool ChangeDateline(Rng& rng, std::string* paragraph);

// An editor's note mentioning `name`.
std::string EditorsNote(Rng& rng, const std::string& name);

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_TRANSFORMS_H_
