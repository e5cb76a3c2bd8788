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

#include "engine/text/html_entities.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"
#include "unicode/utf8.h"

namespace syndex {
namespace {

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
        if (ParseCharacterReference(text, i, &cp, &length)) {
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
