#ifndef SYNDEX_ENGINE_TEXT_NORMALIZE_H_
#define SYNDEX_ENGINE_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// Bumped whenever NormalizeText's or CleanText's (markup.h) output changes
// for any input; stored in the index and checked on load, because
// signatures depend on it.
inline constexpr uint32_t kNormalizerVersion = 2;

// Returns the normalized form of UTF-8 `text`, the form all shingles, hashes
// and term counts are computed from:
//  - HTML character references decoded once (named ones such as &amp; &nbsp;
//    &quot; &mdash; &rsquo; - the HTML 4 set plus &apos; - and numeric
//    &#8217; &#x2019;, with &#128;..&#159; read as Windows-1252 as browsers
//    do); the ';' is required; unknown or invalid references (&foo;, &#0;,
//    surrogates, > U+10FFFF) stay as text; tags are not stripped;
//  - non-ASCII text through ICU NFKC with case folding (NFKC_Casefold); ASCII
//    lowercased by a fast path that gives the same result;
//  - quotes unified (single quote and apostrophe forms U+2018..U+201B,
//    U+2039, U+203A, U+02BC, U+FF07 to '; double quote forms U+201C..U+201F,
//    U+00AB, U+00BB, U+FF02 to "), dashes and hyphens (U+2010..U+2015,
//    U+2212, U+FE58, U+FE63, U+FF0D) to -, the ellipsis to "...";
//  - line structure kept: each run of whitespace that contains a line break
//    becomes one '\n', every other whitespace run (including NBSP, tabs, and
//    zero-width spaces) one ' '; lines are trimmed; empty lines dropped;
//    leading and trailing whitespace removed. Line breaks are \n \v \f \r,
//    U+0085, U+2028 and U+2029;
//  - invisible characters removed: soft hyphen, zero-width (non-)joiners,
//    word joiner, BOM, bidi marks and controls.
// Invalid UTF-8 sequences become U+FFFD (readers reject invalid UTF-8 before
// this point; the normalizer never fails).
// Thread-safe.
std::string NormalizeText(absl::string_view text);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_NORMALIZE_H_
