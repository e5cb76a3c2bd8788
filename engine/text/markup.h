#ifndef SYNDEX_ENGINE_TEXT_MARKUP_H_
#define SYNDEX_ENGINE_TEXT_MARKUP_H_

// Markup left over by scrapers: HTML tags (escaped ones become tags when
// NormalizeText decodes their entities) and URLs. They are removed before
// shingling, so that no copy relation rests on markup alone; the text
// between tags is kept.

#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// `normalized` (NormalizeText's output) without HTML tags (`<` followed by
// a letter, '/', '!' or '?', up to the next `>` within 2,000 bytes, with no
// `<` between) and URLs (a token starting "http://", "https://" or "www."
// up to the next white space). A removed piece between two words leaves a
// space; line breaks are kept.
std::string StripMarkup(absl::string_view normalized);

// The text syndex compares: StripMarkup(NormalizeText(text)).
std::string CleanText(absl::string_view text);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_MARKUP_H_
