#include "engine/text/tokenize.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The general loop, from text[i] on, where no token runs through text[i].
// Returns the first position at or after `stop` that is an ASCII separator
// between tokens, or the end of the text.
size_t TokenizeFrom(absl::string_view text, size_t i, size_t stop,
                    std::vector<absl::string_view>* tokens) {
  const size_t n = text.size();
  const char* s = text.data();
  while (i < n) {
    // ASCII fast path: skip separators and take ASCII words whole.
    const uint8_t fast = kAsciiKinds[static_cast<unsigned char>(s[i])];
    if (fast == kSeparator || fast == kJoiner) {
      if (fast == kSeparator && i >= stop) return i;
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
  return n;
}

#if defined(__SSE2__)
// x is in [lo, lo + span] when x - lo, unsigned, is at most span.
inline __m128i InRange(__m128i x, char lo, char span) {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(lo));
  return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d);
}

// The position of the first non-ASCII byte of `text` at or after `i`, or
// the end of the text.
size_t FindNonAscii(absl::string_view text, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (; i + 16 <= text.size(); i += 16) {
    const int high = _mm_movemask_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (high != 0) return i + __builtin_ctz(high);
  }
  while (i < text.size() && p[i] < 0x80) ++i;
  return i;
}

// Bitmaps of 64 bytes of ASCII text, bit i for byte i.
struct Block {
  uint64_t word = 0;    // Letters and digits.
  uint64_t joiner = 0;  // ' and .
};

// The bitmaps of the 64 bytes at `p`.
Block ClassifyBlock(const unsigned char* p) {
  Block b;
  for (int chunk = 0; chunk < 4; ++chunk) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * chunk));
    // Setting bit 5 maps 'A'..'Z' onto 'a'..'z' and nothing else there.
    const __m128i letter =
        InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 25);
    const __m128i word = _mm_or_si128(letter, InRange(v, '0', 9));
    const __m128i joiner = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    const int shift = 16 * chunk;
    b.word |= static_cast<uint64_t>(_mm_movemask_epi8(word) & 0xFFFF) << shift;
    b.joiner |= static_cast<uint64_t>(_mm_movemask_epi8(joiner) & 0xFFFF)
                << shift;
  }
  return b;
}

// The bitmaps of block `index` of `text`; the bytes past its end read as
// spaces.
Block ClassifyBlockAt(absl::string_view text, size_t index) {
  const size_t begin = index * 64;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  if (begin + 64 <= text.size()) return ClassifyBlock(p + begin);
  unsigned char padded[64];
  std::memset(padded, ' ', sizeof(padded));
  if (begin < text.size()) std::memcpy(padded, p + begin, text.size() - begin);
  return ClassifyBlock(padded);
}

// The general loop's tokens of ASCII `text`, 64 bytes at a time: a byte is
// inside a token when it is a word character, or a joiner between two word
// characters.
void TokenizeAscii(absl::string_view text,
                   std::vector<absl::string_view>* tokens) {
  const size_t blocks = (text.size() + 63) / 64;
  // At most one token per two bytes. Growing at least twofold keeps many
  // short stretches (text mixed with other scripts) linear.
  const size_t needed = tokens->size() + text.size() / 2 + 1;
  if (tokens->capacity() < needed) {
    tokens->reserve(std::max(needed, 2 * tokens->capacity()));
  }
  Block current = ClassifyBlockAt(text, 0);
  uint64_t word_before = 0;    // Bit 0: the byte before the block is a word.
  uint64_t inside_before = 0;  // Bit 0: that byte is inside a token.
  size_t start = 0;
  for (size_t index = 0; index < blocks; ++index) {
    const Block next =
        index + 1 < blocks ? ClassifyBlockAt(text, index + 1) : Block();
    const uint64_t w = current.word;
    const uint64_t word_left = (w << 1) | word_before;
    const uint64_t word_right = (w >> 1) | (next.word << 63);
    const uint64_t inside = w | (current.joiner & word_left & word_right);
    // Bits where a token starts, and bits just past where one ends. Tokens
    // alternate with the gaps between them, so the k-th end of the block
    // closes its k-th start, after the token open at the block's start.
    const uint64_t before = (inside << 1) | inside_before;
    uint64_t starts = inside & ~before;
    uint64_t ends = ~inside & before;
    if (inside_before != 0 && ends != 0) {
      tokens->emplace_back(text.data() + start,
                           index * 64 + __builtin_ctzll(ends) - start);
      ends &= ends - 1;
    }
    while (ends != 0) {
      const size_t begin = index * 64 + __builtin_ctzll(starts);
      tokens->emplace_back(text.data() + begin,
                           index * 64 + __builtin_ctzll(ends) - begin);
      starts &= starts - 1;
      ends &= ends - 1;
    }
    if (starts != 0) start = index * 64 + __builtin_ctzll(starts);
    word_before = w >> 63;
    inside_before = inside >> 63;
    current = next;
  }
  // Only a block without padding can end inside a token.
  if (inside_before != 0) {
    tokens->push_back(text.substr(start, text.size() - start));
  }
}
#endif

}  // namespace

void Tokenize(absl::string_view text, std::vector<absl::string_view>* tokens) {
#if defined(__SSE2__)
  // ASCII stretches go 64 bytes at a time, the text around each non-ASCII
  // character through the general loop.
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const size_t high = FindNonAscii(text, pos);
    if (high == n) {
      TokenizeAscii(text.substr(pos), tokens);
      return;
    }
    // Up to its last separator before `high`, the stretch holds whole tokens.
    size_t cut = high;
    while (cut > pos &&
           kAsciiKinds[static_cast<unsigned char>(text[cut - 1])] !=
               kSeparator) {
      --cut;
    }
    TokenizeAscii(text.substr(pos, cut - pos), tokens);
    pos = TokenizeFrom(text, cut, high + 1, tokens);
  }
#else
  TokenizeFrom(text, 0, text.size(), tokens);
#endif
}

}  // namespace syndex
