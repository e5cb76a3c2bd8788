#include "engine/text/normalize.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace syndex {
namespace {

// ---------------------------------------------------------------------------
// A deliberately slow oracle: the whole text (which must hold no '&') goes
// through ICU at once, with the header's mappings written out directly
// from Unicode properties.

bool OracleIsBreak(UChar32 c) {
  return c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}
bool OracleIsSpace(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x200B; }
bool OracleIsRemoved(UChar32 c) {
  return c == 0xAD || c == 0x200C || c == 0x200D || c == 0x200E ||
         c == 0x200F || (c >= 0x202A && c <= 0x202E) || c == 0x2060 ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}
// The ASCII replacement of a quote, dash or ellipsis, or nullptr.
const char* OracleReplacement(UChar32 c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2039:
    case 0x203A: case 0x02BC: case 0xFF07:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xAB:
    case 0xBB: case 0xFF02:
      return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
      return "-";
    case 0x2026:
      return "...";
    default:
      return nullptr;
  }
}

// Applies the mappings; whitespace becomes ' ' or '\n'.
icu::UnicodeString OracleMap(const icu::UnicodeString& in) {
  icu::UnicodeString out;
  for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
    const UChar32 c = in.char32At(i);
    if (OracleIsBreak(c)) {
      out.append(static_cast<UChar>('\n'));
    } else if (OracleIsSpace(c)) {
      out.append(static_cast<UChar>(' '));
    } else if (OracleIsRemoved(c)) {
      continue;
    } else if (const char* r = OracleReplacement(c)) {
      out.append(icu::UnicodeString(r, -1, icu::UnicodeString::kInvariant));
    } else {
      out.append(c);
    }
  }
  return out;
}

std::string OracleNormalize(absl::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  EXPECT_TRUE(U_SUCCESS(status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded = nfkc->normalize(OracleMap(u), status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::string mapped;
  OracleMap(folded).toUTF8String(mapped);
  // Collapse whitespace runs; a run with a line break becomes '\n'.
  std::string out;
  bool in_space = false;
  bool has_break = false;
  for (char c : mapped) {
    if (c == ' ' || c == '\n') {
      in_space = true;
      has_break |= c == '\n';
      continue;
    }
    if (in_space && !out.empty()) out.push_back(has_break ? '\n' : ' ');
    in_space = false;
    has_break = false;
    out.push_back(c);
  }
  return out;
}

bool IsValidUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------

TEST(NormalizeTest, EmptyAndWhitespaceOnly) {
  EXPECT_EQ(NormalizeText(""), "");
  EXPECT_EQ(NormalizeText(" \t\r\n \u00A0\u3000\n"), "");
}

TEST(NormalizeTest, LowercasesAscii) {
  EXPECT_EQ(NormalizeText("Hello WORLD, It's 2024!"),
            "hello world, it's 2024!");
}

TEST(NormalizeTest, NamedEntities) {
  EXPECT_EQ(NormalizeText("Tom &amp; Jerry &lt;b&gt; &quot;x&quot; &apos;y"),
            "tom & jerry <b> \"x\" 'y");
  EXPECT_EQ(NormalizeText("caf&eacute; CAF&Eacute;"), "caf\u00e9 caf\u00e9");
  EXPECT_EQ(NormalizeText("a&nbsp;b"), "a b");
  EXPECT_EQ(NormalizeText("a&ndash;b&mdash;c"), "a-b-c");
  EXPECT_EQ(NormalizeText("&lsquo;x&rsquo; &ldquo;y&rdquo;"), "'x' \"y\"");
  EXPECT_EQ(NormalizeText("wait&hellip;"), "wait...");
  EXPECT_EQ(NormalizeText("&copy; &reg; &euro;5 &pound;3"),
            "\u00a9 \u00ae \u20ac5 \u00a33");
  // NFKC turns the trademark sign into letters.
  EXPECT_EQ(NormalizeText("Brand&trade;"), "brandtm");
  EXPECT_EQ(NormalizeText("&Sigma;&sigma;&sigmaf;"), "\u03c3\u03c3\u03c3");
}

TEST(NormalizeTest, NumericReferences) {
  EXPECT_EQ(NormalizeText("it&#8217;s it&#x2019;s it&#X2019;s"),
            "it's it's it's");
  EXPECT_EQ(NormalizeText("&#65;&#x42;"), "ab");
  // Windows-1252 code points, as HTML decodes them.
  EXPECT_EQ(NormalizeText("it&#146;s &#147;q&#148; &#151;"),
            "it's \"q\" -");
  EXPECT_EQ(NormalizeText("&#x1F600;"), "\U0001F600");
}

TEST(NormalizeTest, InvalidReferencesStayText) {
  EXPECT_EQ(NormalizeText("AT&T"), "at&t");
  EXPECT_EQ(NormalizeText("&foo; &amp &#; &#x; &#12a;"),
            "&foo; &amp &#; &#x; &#12a;");
  EXPECT_EQ(NormalizeText("&#0; &#xD800; &#x110000; &#99999999999;"),
            "&#0; &#xd800; &#x110000; &#99999999999;");
  EXPECT_EQ(NormalizeText("& ;"), "& ;");
  EXPECT_EQ(NormalizeText("trailing &"), "trailing &");
  EXPECT_EQ(NormalizeText("&amp"), "&amp");
}

TEST(NormalizeTest, ReferencesDecodedOnce) {
  EXPECT_EQ(NormalizeText("&amp;lt;"), "&lt;");
  EXPECT_EQ(NormalizeText("&amp;amp;"), "&amp;");
}

TEST(NormalizeTest, CurlyQuotes) {
  EXPECT_EQ(NormalizeText("\u2018a\u2019 \u201cb\u201d \u201ec\u201c "
                          "\u00abd\u00bb \u201ae\u201b \u2039f\u203a"),
            "'a' \"b\" \"c\" \"d\" 'e' 'f'");
  EXPECT_EQ(NormalizeText("don\u2019t \uff02x\uff02"), "don't \"x\"");
}

TEST(NormalizeTest, Dashes) {
  EXPECT_EQ(NormalizeText("a\u2010b\u2011c\u2012d\u2013e\u2014f\u2015g"
                          "\u2212h\ufe58i\ufe63j\uff0dk"),
            "a-b-c-d-e-f-g-h-i-j-k");
  EXPECT_EQ(NormalizeText("1990\u20132000 \u2014 ok"), "1990-2000 - ok");
}

TEST(NormalizeTest, Ellipsis) {
  EXPECT_EQ(NormalizeText("Wait\u2026 what"), "wait... what");
}

TEST(NormalizeTest, WhitespaceForms) {
  EXPECT_EQ(NormalizeText("a\u00a0b"), "a b");
  EXPECT_EQ(NormalizeText("a \u00a0\t\u2003 b"), "a b");
  EXPECT_EQ(NormalizeText("a\u200bb"), "a b");
  EXPECT_EQ(NormalizeText("a\u3000b\u202fc"), "a b c");
  EXPECT_EQ(NormalizeText("a\t\tb"), "a b");
}

TEST(NormalizeTest, InvisibleCharactersRemoved) {
  EXPECT_EQ(NormalizeText("co\u00adop"), "coop");
  EXPECT_EQ(NormalizeText("a\u200cb\u200dc\u2060d\ufeffe"), "abcde");
  EXPECT_EQ(NormalizeText("\ufeffBOM"), "bom");
}

TEST(NormalizeTest, LineStructure) {
  EXPECT_EQ(NormalizeText("Line one\r\nLine two\r\n\r\n  Line three  "),
            "line one\nline two\nline three");
  EXPECT_EQ(NormalizeText("\n\n  Title \n \n\n\tBody text.\n\n"),
            "title\nbody text.");
  EXPECT_EQ(NormalizeText("a \n b"), "a\nb");
  EXPECT_EQ(NormalizeText("a\rb"), "a\nb");
  EXPECT_EQ(NormalizeText("a\u2028b\u2029c\u0085d"), "a\nb\nc\nd");
  EXPECT_EQ(NormalizeText("a&#10;b"), "a\nb");
}

TEST(NormalizeTest, Nfkc) {
  EXPECT_EQ(NormalizeText("\uff26\uff35\uff2c\uff2c width"), "full width");
  EXPECT_EQ(NormalizeText("\ufb01le \ufb02ow"), "file flow");
  EXPECT_EQ(NormalizeText("x\u00b2 \u2460 \u216b"), "x2 1 xii");
  EXPECT_EQ(NormalizeText("\uff76\uff9e"), "\u30ac");  // Halfwidth ka + voicing.
  EXPECT_EQ(NormalizeText("\u1100\u1161\u11a8"), "\uac01");
}

TEST(NormalizeTest, ComposesAcrossAsciiBoundary) {
  EXPECT_EQ(NormalizeText("e\u0301"), "\u00e9");
  EXPECT_EQ(NormalizeText("CAFE\u0301"), "caf\u00e9");
  EXPECT_EQ(NormalizeText("a=\u0338b"), "a\u2260b");
  EXPECT_EQ(NormalizeText("x \u0301"), "x \u0301");
}

TEST(NormalizeTest, CaseFolding) {
  EXPECT_EQ(NormalizeText("Stra\u00dfe STRASSE \u1e9e"),
            "strasse strasse ss");
  EXPECT_EQ(NormalizeText("\u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3 "
                          "\u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2"),
            "\u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c3 "
            "\u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c3");
  // ICU's default (non-Turkic) folding: dotted capital I keeps its dot as a
  // combining mark; dotless i is left alone.
  EXPECT_EQ(NormalizeText("\u0130stanbul"), "i\u0307stanbul");
  EXPECT_EQ(NormalizeText("\u0131"), "\u0131");
  EXPECT_EQ(NormalizeText("\u041c\u041e\u0421\u041a\u0412\u0410"),
            "\u043c\u043e\u0441\u043a\u0432\u0430");
  EXPECT_EQ(NormalizeText("\u212a\u2126"), "k\u03c9");  // Kelvin, Ohm.
}

TEST(NormalizeTest, InvalidUtf8BecomesReplacement) {
  EXPECT_EQ(NormalizeText("a\xff" "b"), "a\ufffd" "b");
  EXPECT_EQ(NormalizeText("end\xc3"), "end\ufffd");
  const std::string outputs[] = {
      NormalizeText("\xc0\xaf"), NormalizeText("\xed\xa0\x80"),
      NormalizeText("\xf4\x90\x80\x80"), NormalizeText("\xe2\x82"),
      NormalizeText("\x80\x80\x80")};
  for (const std::string& s : outputs) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
    EXPECT_NE(s.find("\ufffd"), std::string::npos) << s;
  }
}

TEST(NormalizeTest, RandomBytesNeverCrashAndGiveValidUtf8) {
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    const std::string out = NormalizeText(s);
    ASSERT_TRUE(IsValidUtf8(out)) << iter;
  }
}

// Random ASCII text of up to `max_length` bytes: each byte is whitespace
// with probability `space_rate` (mostly ' ', else one of \t \n \r \v \f),
// otherwise any other ASCII byte but ';', so that no character reference
// can form.
std::string RandomAscii(std::mt19937_64& rng, size_t max_length,
                        double space_rate) {
  std::string s(rng() % (max_length + 1), '\0');
  for (char& c : s) {
    if (rng() % 1000 < space_rate * 1000) {
      c = rng() % 8 != 0 ? ' ' : "\t\n\r\v\f"[rng() % 5];
      continue;
    }
    do {
      c = static_cast<char>(rng() % 128);
    } while (c == ';' || c == ' ' || (c >= '\t' && c <= '\r'));
  }
  return s;
}

// The ASCII fast path agrees with the ICU oracle on short random ASCII
// text with plenty of whitespace.
TEST(NormalizeTest, AsciiFastPathMatchesIcu) {
  std::mt19937_64 rng(42);
  for (int iter = 0; iter < 3000; ++iter) {
    const std::string s = RandomAscii(rng, 80, 0.25);
    ASSERT_EQ(NormalizeText(s), OracleNormalize(s)) << "input: " << s;
  }
}

// Long ASCII text with little whitespace, as in news, goes through the
// 16-byte block copy; blocks holding '&', a double space, a control
// whitespace or a space before one must fall back byte by byte.
TEST(NormalizeTest, AsciiBlocksMatchIcu) {
  std::mt19937_64 rng(43);
  for (int iter = 0; iter < 3000; ++iter) {
    const std::string s = RandomAscii(rng, 300, 0.14);
    ASSERT_EQ(NormalizeText(s), OracleNormalize(s)) << "input: " << s;
  }
}

// Mixed text of characters chosen to stress run boundaries (combining
// marks after ASCII, foldings that expand, compatibility forms that map to
// ASCII, spaces and quotes inside non-ASCII runs) agrees with the oracle.
TEST(NormalizeTest, MixedTextMatchesIcu) {
  const std::vector<std::string> pieces = {
      "a", "B", "z", "Q", "7", " ", "\n", "\r\n", "\t", ".", "'", "-", "=",
      "<", "\u00e9", "\u00c9", "\u0301", "\u0308", "\u0338", "\u0345",
      "\u00df", "\u1e9e", "\u03a3", "\u03c2", "\u0130", "\u0131", "\ufb01",
      "\uff21", "\u2460", "\u00a0", "\u200b", "\u200d", "\u00ad", "\u2019",
      "\u201c", "\u00ab", "\u2014", "\u2013", "\u2026", "\u2028", "\u4e2d",
      "\u1100", "\u1161", "\u11a8", "\uac00", "\u2126", "\u212a", "\u01c5",
      "\u00b4", "\ufe58", "\u3000", "\uff76", "\uff9e", "\u0416",
      "\U0001F600", "\u0627", "\u064b", "\u2033", "\u00bd", "\u3099"};
  std::mt19937_64 rng(1234);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    ASSERT_EQ(NormalizeText(s), OracleNormalize(s)) << "input: " << s;
  }
}

TEST(NormalizeTest, Idempotent) {
  const std::vector<std::string> texts = {
      "Hello \u201cWorld\u201d\u2026\r\n\r\nNext \u2014 line",
      "Stra\u00dfe \ufb01 \uff21\uff22 e\u0301 \u0130",
      "\u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u00a0 x"};
  for (const std::string& t : texts) {
    const std::string once = NormalizeText(t);
    EXPECT_EQ(NormalizeText(once), once);
  }
}

TEST(NormalizeTest, LongAsciiText) {
  std::string in;
  std::string expected;
  for (int i = 0; i < 10000; ++i) {
    in += "The Quick Brown Fox.  ";
    expected += "the quick brown fox. ";
  }
  expected.pop_back();
  EXPECT_EQ(NormalizeText(in), expected);
}

}  // namespace
}  // namespace syndex
