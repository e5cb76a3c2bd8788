#ifndef SYNDEX_ENGINE_TEXT_NORMALIZE_H_
#define SYNDEX_ENGINE_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// Bumped whenever NormalizeText's output changes for any input; stored in the
// index and checked on load, because signatures depend on it.
inline constexpr uint32_t kNormalizerVersion = 1;

// Returns the normalized form of UTF-8 `text`, the form all shingles, hashes
// and term counts are computed from:
//  - HTML character references decoded (named ones such as &amp; &nbsp;
//    &quot; &mdash; &rsquo;, and numeric &#8217; &#x2019;); tags are not
//    stripped;
//  - non-ASCII text through ICU NFKC with case folding (NFKC_Casefold); ASCII
//    lowercased by a fast path that gives the same result;
//  - quotes unified (all single quote and apostrophe forms to ', double
//    quote forms to "), dashes and hyphens (U+2010..U+2015, U+2212, U+FE58,
//    U+FE63, U+FF0D) to -, the ellipsis to "...";
//  - line structure kept: each run of whitespace that contains a line break
//    becomes one '\n', every other whitespace run (including NBSP, tabs, and
//    zero-width spaces) one ' '; lines are trimmed; empty lines dropped;
//    leading and trailing whitespace removed.
// Invalid UTF-8 sequences become U+FFFD (readers reject invalid UTF-8 before
// this point; the normalizer never fails).
// Thread-safe.
std::string NormalizeText(absl::string_view text);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_NORMALIZE_H_
