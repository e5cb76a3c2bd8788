#ifndef SYNDEX_ENGINE_TEXT_TOKENIZE_H_
#define SYNDEX_ENGINE_TEXT_TOKENIZE_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace syndex {

// Splits normalized text (NormalizeText's output) into word tokens, appending
// views into `text` to `tokens` (which is not cleared). A token is a maximal
// run of letters, digits and combining marks; an apostrophe or period between
// two letters/digits stays inside the token ("don't", "u.s", "3.5"); every
// other character (punctuation, symbols, emoji) separates tokens. Scripts
// written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
// Myanmar) yield one token per character, with the combining marks that
// follow it. Invalid UTF-8 separates tokens. ASCII text
// takes a fast path; ICU character properties are used only for non-ASCII
// code points.
// Thread-safe.
void Tokenize(absl::string_view text, std::vector<absl::string_view>* tokens);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_TOKENIZE_H_
