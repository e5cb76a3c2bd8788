#ifndef SYNDEX_ENGINE_TEXT_PROSE_H_
#define SYNDEX_ENGINE_TEXT_PROSE_H_

// Prose against lists. Running text holds function words ("the", "of",
// "and") in almost every stretch of a few words; menus, link lists, tag
// clouds and share bars do not ("Home World Business Tech Sport"). Word
// windows without a function word are left out of copy detection, so that
// two pages sharing only their navigation do not look like copies, while
// two copies of one article keep every window they share (the same words
// give the same windows).

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace syndex {

// True if `token` (lowercase, as NormalizeText leaves it) is one of about
// 170 English function words (articles, pronouns, prepositions,
// conjunctions, auxiliary verbs).
bool IsFunctionWord(absl::string_view token);

// For each of the tokens.size() - k + 1 windows of `k` tokens (none when
// there are fewer than k tokens), whether it is kept: it holds a function
// word. Every window is kept when the text is not English-like: fewer than
// max(10, 5%) of its tokens are function words (other languages, and
// texts too short to judge).
std::vector<char> ProseWindows(const std::vector<absl::string_view>& tokens,
                               int k);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_PROSE_H_
