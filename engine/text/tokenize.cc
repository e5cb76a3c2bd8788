#include "engine/text/tokenize.h"

#include <array>
#include <cstddef>
#include <cstdint>

#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace syndex {
namespace {

// How a character takes part in tokens.
enum Kind : uint8_t {
  kSeparator,  // Ends a token.
  kWord,       // Letter, digit or mark: extends a token.
  kJoiner,     // ' or .: inside a token when between two word characters.
  kSingle,     // A character of a script without spaces: a token by itself
               // (with the marks that follow it).
  kNonAscii,   // (ASCII table only) look the code point up.
};

constexpr std::array<uint8_t, 256> MakeAsciiKinds() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) {
      t[c] = kNonAscii;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9')) {
      t[c] = kWord;
    } else {
      t[c] = kSeparator;
    }
  }
  t['\''] = kJoiner;
  t['.'] = kJoiner;
  return t;
}
constexpr std::array<uint8_t, 256> kAsciiKinds = MakeAsciiKinds();

bool IsSpacelessScript(UScriptCode script) {
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

// A letter of the Common script (such as the prolonged sound mark U+30FC)
// belongs to a spaceless script if its script extensions say so.
bool HasSpacelessScriptExtension(UChar32 c) {
  UScriptCode scripts[8];
  UErrorCode status = U_ZERO_ERROR;
  const int n = uscript_getScriptExtensions(c, scripts, 8, &status);
  if (U_FAILURE(status)) return false;
  for (int i = 0; i < n; ++i) {
    if (IsSpacelessScript(scripts[i])) return true;
  }
  return false;
}

Kind ClassifyNonAscii(UChar32 c) {
  if (c < 0) return kSeparator;
  switch (u_charType(c)) {
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return kWord;
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      break;
    default:
      return kSeparator;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (U_FAILURE(status)) return kWord;
  if (IsSpacelessScript(script)) return kSingle;
  if (script == USCRIPT_COMMON && HasSpacelessScriptExtension(c)) {
    return kSingle;
  }
  return kWord;
}

// The kind of the character at text[i] and its length in bytes.
Kind KindAt(absl::string_view text, size_t i, size_t* length) {
  const uint8_t k = kAsciiKinds[static_cast<unsigned char>(text[i])];
  if (k != kNonAscii) {
    *length = 1;
    return static_cast<Kind>(k);
  }
  const size_t left = text.size() - i;
  const int32_t limit = static_cast<int32_t>(left < 8 ? left : 8);
  int32_t n = 0;
  UChar32 c;
  U8_NEXT(text.data() + i, n, limit, c);
  *length = n;
  return ClassifyNonAscii(c);
}

bool IsMark(absl::string_view text, size_t i, size_t* length) {
  if (static_cast<unsigned char>(text[i]) < 0x80) return false;
  const size_t left = text.size() - i;
  const int32_t limit = static_cast<int32_t>(left < 8 ? left : 8);
  int32_t n = 0;
  UChar32 c;
  U8_NEXT(text.data() + i, n, limit, c);
  if (c < 0) return false;
  const int8_t type = u_charType(c);
  if (type != U_NON_SPACING_MARK && type != U_COMBINING_SPACING_MARK &&
      type != U_ENCLOSING_MARK) {
    return false;
  }
  *length = n;
  return true;
}

}  // namespace

void Tokenize(absl::string_view text, std::vector<absl::string_view>* tokens) {
  const size_t n = text.size();
  const char* s = text.data();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path: skip separators and take ASCII words whole.
    const uint8_t fast = kAsciiKinds[static_cast<unsigned char>(s[i])];
    if (fast == kSeparator || fast == kJoiner) {
      ++i;
      continue;
    }
    size_t length;
    const Kind kind = KindAt(text, i, &length);
    if (kind == kSeparator || kind == kJoiner) {
      i += length;
      continue;
    }
    const size_t begin = i;
    i += length;
    if (kind == kSingle) {
      size_t mark;
      while (i < n && IsMark(text, i, &mark)) i += mark;
      tokens->push_back(text.substr(begin, i - begin));
      continue;
    }
    // A word token: extend over word characters and inner joiners.
    while (i < n) {
      const uint8_t k = kAsciiKinds[static_cast<unsigned char>(s[i])];
      if (k == kWord) {
        ++i;
        continue;
      }
      if (k == kSeparator) break;
      if (k == kJoiner) {
        size_t next_length;
        if (i + 1 < n && KindAt(text, i + 1, &next_length) == kWord) {
          i += 1 + next_length;
          continue;
        }
        break;
      }
      size_t char_length;
      if (KindAt(text, i, &char_length) != kWord) break;
      i += char_length;
    }
    tokens->push_back(text.substr(begin, i - begin));
  }
}

}  // namespace syndex
