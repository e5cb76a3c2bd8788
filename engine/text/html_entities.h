#ifndef SYNDEX_ENGINE_TEXT_HTML_ENTITIES_H_
#define SYNDEX_ENGINE_TEXT_HTML_ENTITIES_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace syndex {

// Parses the HTML character reference starting at text[i] == '&' (named,
// decimal or hexadecimal; the numeric references 128-159 as Windows-1252,
// as HTML does). On success stores the code point and the reference's
// length and returns true; returns false for anything that is not a
// complete, known, valid reference.
bool ParseCharacterReference(absl::string_view text, size_t i, char32_t* cp,
                             size_t* length);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TEXT_HTML_ENTITIES_H_
