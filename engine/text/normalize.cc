#include "engine/text/normalize.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"
#include "unicode/utf8.h"

namespace syndex {
namespace {

// ---------------------------------------------------------------------------
// HTML character references.

struct NamedEntity {
  const char* name;
  char32_t code_point;
};

// The named references decoded (case-sensitive, ';' required). Those of
// Latin-1 U+00A0..U+00FF are in kLatin1Entities below.
constexpr NamedEntity kNamedEntities[] = {
    {"quot", 0x22},     {"amp", 0x26},      {"apos", 0x27},
    {"lt", 0x3C},       {"gt", 0x3E},       {"OElig", 0x152},
    {"oelig", 0x153},   {"Scaron", 0x160},  {"scaron", 0x161},
    {"Yuml", 0x178},    {"fnof", 0x192},    {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"thetasym", 0x3D1}, {"upsih", 0x3D2},
    {"piv", 0x3D6},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C},   {"zwj", 0x200D},
    {"lrm", 0x200E},    {"rlm", 0x200F},    {"hyphen", 0x2010},
    {"dash", 0x2010},   {"ndash", 0x2013},  {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},
    {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},
    {"bullet", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030},
    {"prime", 0x2032},  {"Prime", 0x2033},  {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"oline", 0x203E},  {"frasl", 0x2044},
    {"euro", 0x20AC},   {"image", 0x2111},  {"weierp", 0x2118},
    {"real", 0x211C},   {"trade", 0x2122},  {"alefsym", 0x2135},
    {"larr", 0x2190},   {"uarr", 0x2191},   {"rarr", 0x2192},
    {"darr", 0x2193},   {"harr", 0x2194},   {"crarr", 0x21B5},
    {"lArr", 0x21D0},   {"uArr", 0x21D1},   {"rArr", 0x21D2},
    {"dArr", 0x21D3},   {"hArr", 0x21D4},   {"forall", 0x2200},
    {"part", 0x2202},   {"exist", 0x2203},  {"empty", 0x2205},
    {"nabla", 0x2207},  {"isin", 0x2208},   {"notin", 0x2209},
    {"ni", 0x220B},     {"prod", 0x220F},   {"sum", 0x2211},
    {"minus", 0x2212},  {"lowast", 0x2217}, {"radic", 0x221A},
    {"prop", 0x221D},   {"infin", 0x221E},  {"ang", 0x2220},
    {"and", 0x2227},    {"or", 0x2228},     {"cap", 0x2229},
    {"cup", 0x222A},    {"int", 0x222B},    {"there4", 0x2234},
    {"sim", 0x223C},    {"cong", 0x2245},   {"asymp", 0x2248},
    {"ne", 0x2260},     {"equiv", 0x2261},  {"le", 0x2264},
    {"ge", 0x2265},     {"sub", 0x2282},    {"sup", 0x2283},
    {"nsub", 0x2284},   {"sube", 0x2286},   {"supe", 0x2287},
    {"oplus", 0x2295},  {"otimes", 0x2297}, {"perp", 0x22A5},
    {"sdot", 0x22C5},   {"lceil", 0x2308},  {"rceil", 0x2309},
    {"lfloor", 0x230A}, {"rfloor", 0x230B}, {"lang", 0x2329},
    {"rang", 0x232A},   {"loz", 0x25CA},    {"spades", 0x2660},
    {"clubs", 0x2663},  {"hearts", 0x2665}, {"diams", 0x2666},
};

// Names of U+00A0..U+00FF, in code point order.
constexpr const char* kLatin1Entities[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar",
    "sect",   "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",
    "reg",    "macr",   "deg",    "plusmn", "sup2",   "sup3",   "acute",
    "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",   "raquo",
    "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
    "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute",
    "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",   "ETH",
    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",
    "aelig",  "ccedil", "egrave", "eacute", "ecirc",  "euml",   "igrave",
    "iacute", "icirc",  "iuml",   "eth",    "ntilde", "ograve", "oacute",
    "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave", "uacute",
    "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

// Greek letters: capitals U+0391..U+03A9 (no U+03A2), small U+03B1..U+03C9.
constexpr const char* kGreekEntities[] = {
    "Alpha", "Beta",  "Gamma",   "Delta", "Epsilon", "Zeta",    "Eta",
    "Theta", "Iota",  "Kappa",   "Lambda", "Mu",     "Nu",      "Xi",
    "Omicron", "Pi",  "Rho",     nullptr, "Sigma",   "Tau",     "Upsilon",
    "Phi",   "Chi",   "Psi",     "Omega",
};

constexpr size_t kMaxEntityName = 10;

using EntityMap = absl::flat_hash_map<absl::string_view, char32_t>;

const EntityMap& Entities() {
  static const EntityMap* const map = [] {
    auto* m = new EntityMap;
    for (const NamedEntity& e : kNamedEntities) (*m)[e.name] = e.code_point;
    for (int i = 0; i < 96; ++i) (*m)[kLatin1Entities[i]] = 0xA0 + i;
    // The small Greek letters' names are the capitals' names lowercased;
    // they are stored in static strings so the views stay valid.
    static std::array<std::string, 25> lower;
    for (int i = 0; i < 25; ++i) {
      if (kGreekEntities[i] == nullptr) continue;
      (*m)[kGreekEntities[i]] = 0x391 + i;
      lower[i] = kGreekEntities[i];
      for (char& c : lower[i]) c = absl::ascii_tolower(c);
      (*m)[lower[i]] = 0x3B1 + i;
    }
    (*m)["sigmaf"] = 0x3C2;
    return m;
  }();
  return *map;
}

// HTML maps the numeric references &#128;..&#159; to Windows-1252 (so
// "&#146;" is a right single quote); 0 where that code page has a hole.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// Parses the character reference starting at text[i] == '&'. On success
// stores the code point and the reference's length and returns true; returns
// false for anything that is not a complete, known, valid reference.
bool ParseReference(absl::string_view text, size_t i, char32_t* cp,
                    size_t* length) {
  size_t j = i + 1;
  const size_t n = text.size();
  if (j < n && text[j] == '#') {
    ++j;
    bool hex = false;
    if (j < n && (text[j] == 'x' || text[j] == 'X')) {
      hex = true;
      ++j;
    }
    const size_t digits_begin = j;
    uint32_t value = 0;
    while (j < n && j - digits_begin < 8) {
      const char c = text[j];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (hex && c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        break;
      }
      value = value * (hex ? 16 : 10) + d;
      ++j;
    }
    if (j == digits_begin || j >= n || text[j] != ';') return false;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return false;
    }
    if (value >= 0x80 && value <= 0x9F && kWindows1252[value - 0x80] != 0) {
      value = kWindows1252[value - 0x80];
    }
    *cp = value;
    *length = j + 1 - i;
    return true;
  }
  const size_t name_begin = j;
  while (j < n && j - name_begin <= kMaxEntityName &&
         absl::ascii_isalnum(static_cast<unsigned char>(text[j]))) {
    ++j;
  }
  if (j == name_begin || j >= n || text[j] != ';') return false;
  const EntityMap& entities = Entities();
  auto it = entities.find(text.substr(name_begin, j - name_begin));
  if (it == entities.end()) return false;
  *cp = it->second;
  *length = j + 1 - i;
  return true;
}

// ---------------------------------------------------------------------------
// Character classes.

enum AsciiClass : uint8_t { kPlain, kSpace, kBreak, kAmpersand, kHigh };

constexpr std::array<uint8_t, 256> MakeAsciiClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x80 ? kPlain : kHigh;
  t[' '] = kSpace;
  t['\t'] = kSpace;
  t['\n'] = kBreak;
  t['\v'] = kBreak;
  t['\f'] = kBreak;
  t['\r'] = kBreak;
  t['&'] = kAmpersand;
  return t;
}
constexpr std::array<uint8_t, 256> kAsciiClasses = MakeAsciiClasses();

constexpr std::array<char, 128> MakeLower() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  return t;
}
constexpr std::array<char, 128> kLower = MakeLower();

// What the normalizer does with a non-ASCII code point before (and after)
// ICU sees it.
enum class Special { kNone, kSpace, kBreak, kRemove, kQuote, kDoubleQuote,
                     kDash, kEllipsis };

Special Classify(UChar32 c) {
  switch (c) {
    case 0x85: case 0x2028: case 0x2029:
      return Special::kBreak;
    case 0xA0: case 0x1680: case 0x200B: case 0x202F: case 0x205F:
    case 0x3000:
      return Special::kSpace;
    case 0xAD: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2060: case 0x2066: case 0x2067: case 0x2068: case 0x2069:
    case 0xFEFF:
      return Special::kRemove;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2039:
    case 0x203A: case 0x02BC: case 0xFF07:
      return Special::kQuote;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xAB:
    case 0xBB: case 0xFF02:
      return Special::kDoubleQuote;
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return Special::kDash;
    case 0x2026:
      return Special::kEllipsis;
    default:
      break;
  }
  if (c >= 0x2000 && c <= 0x200A) return Special::kSpace;
  if (c >= 0x2010 && c <= 0x2015) return Special::kDash;
  return Special::kNone;
}

// First bytes of the UTF-8 sequences of all code points Classify maps; other
// non-ASCII sequences are copied without decoding their values.
constexpr std::array<bool, 256> MakeSpecialFirstBytes() {
  std::array<bool, 256> t{};
  t[0xC2] = true;  // U+0080..U+00BF
  t[0xCA] = true;  // U+0280..U+02BF
  t[0xE1] = true;  // U+1000..U+1FFF
  t[0xE2] = true;  // U+2000..U+2FFF
  t[0xE3] = true;  // U+3000..U+3FFF
  t[0xEF] = true;  // U+F000..U+FFFF
  return t;
}
constexpr std::array<bool, 256> kSpecialFirstBytes = MakeSpecialFirstBytes();

// Bytes of normalized output that are copied as they are: ASCII other than
// whitespace, and non-ASCII bytes other than special first bytes.
constexpr std::array<bool, 256> MakeCopiedOutputBytes() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c < 0x80 ? kAsciiClasses[c] != kSpace && kAsciiClasses[c] != kBreak
                    : !kSpecialFirstBytes[c];
  }
  return t;
}
constexpr std::array<bool, 256> kCopiedOutputBytes = MakeCopiedOutputBytes();

const icu::Normalizer2* Nfkc() {
  static const icu::Normalizer2* const normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n =
        icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return normalizer;
}

// The length of the valid UTF-8 sequence of a non-ASCII code point at `p`
// (at most `n` bytes available), or 0 if it is not valid.
size_t ValidSequenceLength(const char* p, size_t n) {
  UChar32 c;
  int32_t k = 0;
  U8_NEXT(p, k, static_cast<int32_t>(n < 8 ? n : 8), c);
  return c < 0 ? 0 : static_cast<size_t>(k);
}

// Writes the 16 bytes at `p`, lowercased, to `dst` and returns how many of
// them, from the first, the normalizer's ASCII loop would copy: the bytes
// before the first that is '&', non-ASCII, whitespace other than a space, or
// a space followed by a byte that is not plain (p[16] follows the last).
// REQUIRES: p[16] is readable and dst[0..15] writable. Only the returned
// count of written bytes is output; the rest are overwritten later.
inline int CopyPlainPrefix(const unsigned char* p, char* dst) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // x is in [lo, lo + span] when x - lo, unsigned, is at most span.
  auto in_range = [&v](char lo, char span) {
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d);
  };
  const __m128i upper = _mm_and_si128(in_range('A', 25), _mm_set1_epi8(0x20));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm_add_epi8(v, upper));
  // The sign bit of v marks non-ASCII bytes; \t \n \v \f \r are 0x09..0x0D.
  const __m128i other = _mm_or_si128(
      v, _mm_or_si128(in_range(0x09, 4), _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))));
  const uint32_t others = static_cast<uint32_t>(_mm_movemask_epi8(other));
  const uint32_t spaces = static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
  // Bit i: byte i + 1 is not plain (bit 15 for p[16]).
  const uint32_t not_plain_next =
      ((others | spaces) >> 1) |
      (uint32_t{kAsciiClasses[p[16]] != kPlain} << 15);
  const uint32_t stops = others | (spaces & not_plain_next) | 0x10000;
  return __builtin_ctz(stops);
#else
  (void)p;
  (void)dst;
  return 0;
#endif
}

// ---------------------------------------------------------------------------
// The output: a growable byte buffer that is not zero-filled, so the ASCII
// path can write through a raw pointer.
class Output {
 public:
  explicit Output(size_t capacity)
      : data_(new char[capacity + 1]), capacity_(capacity + 1) {}

  // Makes room for `n` more bytes.
  void Reserve(size_t n) {
    if (size_ + n <= capacity_) return;
    size_t capacity = capacity_ * 2;
    if (capacity < size_ + n) capacity = size_ + n;
    std::unique_ptr<char[]> data(new char[capacity]);
    std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
  void Push(char c) {
    Reserve(1);
    data_[size_++] = c;
  }
  void Append(const char* p, size_t n) {
    Reserve(n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  char* end() { return data_.get() + size_; }
  void set_end(char* end) { size_ = end - data_.get(); }
  bool empty() const { return size_ == 0; }
  char PopBack() { return data_[--size_]; }
  std::string ToString() const { return std::string(data_.get(), size_); }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_;
  size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// The normalizer. Code points arrive in order; ASCII goes straight to the
// output, runs of other code points are collected (as UTF-8, after the
// mappings of whitespace, quotes and dashes) and sent through ICU. Short
// ASCII stretches between non-ASCII code points join the run, so text in
// other scripts is normalized in long pieces.
//
// A run also takes the ASCII character right before it (pulled back from the
// output), because that character may compose with the run's first code
// point ("e" + U+0301 -> "é"). Every ASCII character starts a normalization
// segment, so nothing after a run can change it.
class Normalizer {
 public:
  explicit Normalizer(size_t size_hint) : out_(size_hint + 16) {}

  void Run(absl::string_view text);
  std::string Finish() {
    if (in_run_) FlushRun();
    return out_.ToString();
  }

 private:
  enum Pending : uint8_t { kNoSpace, kPendingSpace, kPendingBreak };

  // Longest ASCII stretch that joins a run instead of ending it.
  static constexpr size_t kMaxGap = 32;

  void Space(bool is_break) {
    if (is_break) {
      pending_ = kPendingBreak;
    } else if (pending_ == kNoSpace) {
      pending_ = kPendingSpace;
    }
    can_pull_back_ = false;
  }
  void EmitPending() {
    if (pending_ != kNoSpace) {
      if (!out_.empty()) out_.Push(pending_ == kPendingBreak ? '\n' : ' ');
      pending_ = kNoSpace;
    }
  }
  // Appends ASCII to the run if one is open, else to the output.
  void Ascii(absl::string_view s) {
    if (in_run_) {
      run_.append(s.data(), s.size());
      return;
    }
    EmitPending();
    out_.Append(s.data(), s.size());
    can_pull_back_ = true;
  }
  // A code point from the input (or from a character reference).
  void CodePoint(UChar32 c);
  // Opens a run if none is open.
  void StartRun();
  // Normalizes the run and emits the result.
  void FlushRun();
  // A code point of ICU's output: only the final mappings apply.
  void NormalizedCodePoint(UChar32 c, const char* bytes, size_t length);

  Output out_;
  Pending pending_ = kNoSpace;
  bool can_pull_back_ = false;
  bool in_run_ = false;
  std::string run_;
  std::string normalized_;
};

void Normalizer::Run(absl::string_view text) {
  const char* s = text.data();
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    const uint8_t cls = kAsciiClasses[b];
    if (in_run_ && cls != kHigh && cls != kAmpersand) {
      // Take a short ASCII stretch followed by more non-ASCII into the run.
      size_t j = i + 1;
      while (j < n && j - i <= kMaxGap &&
             kAsciiClasses[static_cast<unsigned char>(s[j])] < kAmpersand) {
        ++j;
      }
      if (j < n && j - i <= kMaxGap &&
          kAsciiClasses[static_cast<unsigned char>(s[j])] == kHigh) {
        run_.append(s + i, j - i);
        i = j;
        continue;
      }
      FlushRun();
    }
    switch (cls) {
      case kPlain: {
        // The hot loop: words and the single spaces between them.
        EmitPending();
        out_.Reserve(n - i);  // ASCII output is never longer than its input.
        char* dst = out_.end();
        const auto* p = reinterpret_cast<const unsigned char*>(s + i);
        const auto* const end = reinterpret_cast<const unsigned char*>(s + n);
        for (;;) {
          // 16 bytes at a time while they are plain; the bytes a block
          // stops at go through the checks below.
          while (end - p > 16) {
            const int copied = CopyPlainPrefix(p, dst);
            if (copied < 16) {
              p += copied;
              dst += copied;
              break;
            }
            // A constant step, so that the next block's load does not wait
            // for this block's count.
            p += 16;
            dst += 16;
          }
          if (p == end) break;
          if (kAsciiClasses[*p] == kPlain) {
            *dst++ = kLower[*p++];
            continue;
          }
          if (*p == ' ' && p + 1 < end && kAsciiClasses[p[1]] == kPlain) {
            *dst++ = ' ';
            ++p;
            continue;
          }
          break;
        }
        out_.set_end(dst);
        can_pull_back_ = true;
        i = reinterpret_cast<const char*>(p) - s;
        break;
      }
      case kSpace:
        Space(false);
        ++i;
        break;
      case kBreak:
        Space(true);
        ++i;
        break;
      case kAmpersand: {
        char32_t cp;
        size_t length;
        if (ParseReference(text, i, &cp, &length)) {
          CodePoint(static_cast<UChar32>(cp));
          i += length;
        } else {
          Ascii("&");
          ++i;
        }
        break;
      }
      case kHigh: {
        // Copy valid sequences that need no mapping straight into the run.
        size_t j = i;
        while (j < n && kAsciiClasses[static_cast<unsigned char>(s[j])] ==
                            kHigh &&
               !kSpecialFirstBytes[static_cast<unsigned char>(s[j])]) {
          const size_t k = ValidSequenceLength(s + j, n - j);
          if (k == 0) break;
          j += k;
        }
        if (j > i) {
          StartRun();
          run_.append(s + i, j - i);
          i = j;
          break;
        }
        UChar32 c;
        const int32_t limit = static_cast<int32_t>(n - i < 8 ? n - i : 8);
        int32_t k = 0;
        U8_NEXT(s + i, k, limit, c);
        if (c < 0) c = 0xFFFD;
        CodePoint(c);
        i += k;
        break;
      }
    }
  }
}

void Normalizer::CodePoint(UChar32 c) {
  if (c < 0x80) {
    switch (kAsciiClasses[c]) {
      case kSpace:
      case kBreak:
        if (in_run_) {
          run_.push_back(static_cast<char>(c));
        } else {
          Space(kAsciiClasses[c] == kBreak);
        }
        return;
      default: {
        const char lower = kLower[c];
        Ascii(absl::string_view(&lower, 1));
        return;
      }
    }
  }
  switch (Classify(c)) {
    case Special::kSpace:
      if (in_run_) {
        run_.push_back(' ');
      } else {
        Space(false);
      }
      return;
    case Special::kBreak:
      if (in_run_) {
        run_.push_back('\n');
      } else {
        Space(true);
      }
      return;
    case Special::kRemove:
      return;
    case Special::kQuote:
      Ascii("'");
      return;
    case Special::kDoubleQuote:
      Ascii("\"");
      return;
    case Special::kDash:
      Ascii("-");
      return;
    case Special::kEllipsis:
      Ascii("...");
      return;
    case Special::kNone:
      break;
  }
  StartRun();
  char buf[U8_MAX_LENGTH];
  int32_t k = 0;
  U8_APPEND_UNSAFE(buf, k, c);
  run_.append(buf, k);
}

void Normalizer::StartRun() {
  if (in_run_) return;
  in_run_ = true;
  run_.clear();
  if (can_pull_back_) {
    // The previous character is an ASCII one emitted just before (no
    // pending whitespace since).
    run_.push_back(out_.PopBack());
  }
}

void Normalizer::FlushRun() {
  in_run_ = false;
  const icu::Normalizer2* nfkc = Nfkc();
  absl::string_view result = run_;
  if (nfkc != nullptr) {
    normalized_.clear();
    icu::StringByteSink<std::string> sink(&normalized_, run_.size() + 16);
    UErrorCode status = U_ZERO_ERROR;
    nfkc->normalizeUTF8(
        0, icu::StringPiece(run_.data(), static_cast<int32_t>(run_.size())),
        sink, nullptr, status);
    if (U_SUCCESS(status)) result = normalized_;
  }
  const char* p = result.data();
  const int32_t len = static_cast<int32_t>(result.size());
  for (int32_t i = 0; i < len;) {
    int32_t j = i;
    while (j < len && kCopiedOutputBytes[static_cast<unsigned char>(p[j])]) {
      ++j;
    }
    if (j > i) {
      EmitPending();
      out_.Append(p + i, j - i);
      can_pull_back_ = (p[j - 1] & 0x80) == 0;
      i = j;
      continue;
    }
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) c = 0xFFFD;
    NormalizedCodePoint(c, p + begin, i - begin);
  }
}

void Normalizer::NormalizedCodePoint(UChar32 c, const char* bytes,
                                     size_t length) {
  if (c < 0x80) {
    const uint8_t cls = kAsciiClasses[c];
    if (cls == kSpace || cls == kBreak) {
      Space(cls == kBreak);
      return;
    }
    EmitPending();
    out_.Push(static_cast<char>(c));
    can_pull_back_ = true;
    return;
  }
  const char* ascii = nullptr;
  switch (Classify(c)) {
    case Special::kSpace:
      Space(false);
      return;
    case Special::kBreak:
      Space(true);
      return;
    case Special::kRemove:
      return;
    case Special::kQuote:
      ascii = "'";
      break;
    case Special::kDoubleQuote:
      ascii = "\"";
      break;
    case Special::kDash:
      ascii = "-";
      break;
    case Special::kEllipsis:
      ascii = "...";
      break;
    case Special::kNone:
      break;
  }
  EmitPending();
  if (ascii != nullptr) {
    out_.Append(ascii, std::strlen(ascii));
    can_pull_back_ = true;
    return;
  }
  if (c == 0xFFFD) {
    out_.Append("\xEF\xBF\xBD", 3);
  } else {
    out_.Append(bytes, length);
  }
  can_pull_back_ = false;
}

}  // namespace

std::string NormalizeText(absl::string_view text) {
  Normalizer normalizer(text.size());
  normalizer.Run(text);
  return normalizer.Finish();
}

}  // namespace syndex
