#include "engine/text/tokenize.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace syndex {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Tokens(absl::string_view text) {
  std::vector<absl::string_view> views;
  Tokenize(text, &views);
  std::vector<std::string> out;
  for (absl::string_view v : views) {
    // Every token is a view into the text.
    EXPECT_GE(v.data(), text.data());
    EXPECT_LE(v.data() + v.size(), text.data() + text.size());
    out.emplace_back(v);
  }
  return out;
}

TEST(TokenizeTest, Empty) {
  EXPECT_THAT(Tokens(""), IsEmpty());
  EXPECT_THAT(Tokens(" ,.;'\"-\n"), IsEmpty());
}

TEST(TokenizeTest, AsciiWords) {
  EXPECT_THAT(Tokens("hello, world! the 2 cats\nran"),
              ElementsAre("hello", "world", "the", "2", "cats", "ran"));
}

TEST(TokenizeTest, ApostropheAndPeriodInsideWords) {
  EXPECT_THAT(Tokens("don't stop. u.s. growth 3.5% o'neill's"),
              ElementsAre("don't", "stop", "u.s", "growth", "3.5",
                          "o'neill's"));
  EXPECT_THAT(Tokens("'quoted' ..dots.. a..b a.'b end."),
              ElementsAre("quoted", "dots", "a", "b", "a", "b", "end"));
}

TEST(TokenizeTest, OtherPunctuationSeparates) {
  EXPECT_THAT(Tokens("e-mail a/b x_y #tag @user 10,000"),
              ElementsAre("e", "mail", "a", "b", "x", "y", "tag", "user",
                          "10", "000"));
}

TEST(TokenizeTest, AppendsWithoutClearing) {
  std::vector<absl::string_view> tokens;
  Tokenize("one two", &tokens);
  Tokenize("three", &tokens);
  EXPECT_THAT(tokens, ElementsAre("one", "two", "three"));
}

TEST(TokenizeTest, Russian) {
  EXPECT_THAT(Tokens("\u043f\u0440\u0438\u0432\u0435\u0442, "
                     "\u043c\u0438\u0440!"),
              ElementsAre("\u043f\u0440\u0438\u0432\u0435\u0442",
                          "\u043c\u0438\u0440"));
}

TEST(TokenizeTest, Arabic) {
  // "marhaban bialealam" with an Arabic comma and Arabic-Indic digits.
  EXPECT_THAT(Tokens("\u0645\u0631\u062d\u0628\u0627\u060c "
                     "\u0628\u0627\u0644\u0639\u0627\u0644\u0645 "
                     "\u0663\u0664"),
              ElementsAre("\u0645\u0631\u062d\u0628\u0627",
                          "\u0628\u0627\u0644\u0639\u0627\u0644\u0645",
                          "\u0663\u0664"));
  // Harakat (combining marks) stay inside the word.
  EXPECT_THAT(Tokens("\u0643\u064e\u062a\u064e\u0628\u064e"),
              ElementsAre("\u0643\u064e\u062a\u064e\u0628\u064e"));
}

TEST(TokenizeTest, Devanagari) {
  EXPECT_THAT(Tokens("\u0928\u092e\u0938\u094d\u0924\u0947 "
                     "\u0926\u0941\u0928\u093f\u092f\u093e"),
              ElementsAre("\u0928\u092e\u0938\u094d\u0924\u0947",
                          "\u0926\u0941\u0928\u093f\u092f\u093e"));
}

TEST(TokenizeTest, ChineseOneTokenPerCharacter) {
  EXPECT_THAT(Tokens("\u4e2d\u56fd\u4eba\u6c11\u3002"),
              ElementsAre("\u4e2d", "\u56fd", "\u4eba", "\u6c11"));
  EXPECT_THAT(Tokens("\u6211\u7231abc\u5317\u4eac2024"),
              ElementsAre("\u6211", "\u7231", "abc", "\u5317", "\u4eac",
                          "2024"));
}

TEST(TokenizeTest, Japanese) {
  // Hiragana, Katakana and the prolonged sound mark (script Common, script
  // extensions Hiragana and Katakana).
  EXPECT_THAT(Tokens("\u3072\u3089\u304c\u306a"),
              ElementsAre("\u3072", "\u3089", "\u304c", "\u306a"));
  EXPECT_THAT(Tokens("\u30b3\u30fc\u30d2\u30fc"),
              ElementsAre("\u30b3", "\u30fc", "\u30d2", "\u30fc"));
}

TEST(TokenizeTest, ThaiKeepsMarksWithTheirBase) {
  // Ko kai + sara i (a combining vowel) + no nu.
  EXPECT_THAT(Tokens("\u0e01\u0e34\u0e19"),
              ElementsAre("\u0e01\u0e34", "\u0e19"));
}

TEST(TokenizeTest, EmojiAndSymbolsSeparate) {
  EXPECT_THAT(Tokens("i \u2764 ny\U0001F389\U0001F389ok \u00a9 \u20ac5"),
              ElementsAre("i", "ny", "ok", "5"));
}

TEST(TokenizeTest, InvalidUtf8Separates) {
  EXPECT_THAT(Tokens("ab\xff" "cd"), ElementsAre("ab", "cd"));
  EXPECT_THAT(Tokens("ab\xe4\xb8"), ElementsAre("ab"));
}

// ---------------------------------------------------------------------------
// Oracle: classifies every code point through ICU (no ASCII table) and
// applies the header's rules to the code point sequence.

enum OracleKind { kSep, kWord, kJoin, kSingle };

OracleKind OracleClassify(UChar32 c) {
  if (c < 0) return kSep;
  if (c == '\'' || c == '.') return kJoin;
  const int8_t t = u_charType(c);
  const bool mark = t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
                    t == U_ENCLOSING_MARK;
  const bool letter_or_digit =
      (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
  if (mark) return kWord;
  if (!letter_or_digit) return kSep;
  const UScriptCode spaceless[] = {USCRIPT_HAN,      USCRIPT_HIRAGANA,
                                   USCRIPT_KATAKANA, USCRIPT_THAI,
                                   USCRIPT_LAO,      USCRIPT_KHMER,
                                   USCRIPT_MYANMAR};
  for (UScriptCode s : spaceless) {
    if (uscript_hasScript(c, s)) return kSingle;
  }
  return kWord;
}

std::vector<std::string> OracleTokens(const std::string& text) {
  struct Cp {
    OracleKind kind;
    size_t begin, end;
  };
  std::vector<Cp> cps;
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t begin = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    cps.push_back({OracleClassify(c), static_cast<size_t>(begin),
                   static_cast<size_t>(i)});
  }
  std::vector<std::string> out;
  size_t i = 0;
  while (i < cps.size()) {
    if (cps[i].kind == kSep || cps[i].kind == kJoin) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (cps[i].kind == kSingle) {
      while (j < cps.size() && cps[j].kind == kWord) {
        // Only marks may follow a spaceless character.
        UChar32 c;
        int32_t k = static_cast<int32_t>(cps[j].begin);
        U8_NEXT(p, k, n, c);
        const int8_t t = u_charType(c);
        if (t != U_NON_SPACING_MARK && t != U_COMBINING_SPACING_MARK &&
            t != U_ENCLOSING_MARK) {
          break;
        }
        ++j;
      }
    } else {
      while (j < cps.size()) {
        if (cps[j].kind == kWord) {
          ++j;
        } else if (cps[j].kind == kJoin && j + 1 < cps.size() &&
                   cps[j + 1].kind == kWord) {
          j += 2;
        } else {
          break;
        }
      }
    }
    out.push_back(text.substr(cps[i].begin, cps[j - 1].end - cps[i].begin));
    i = j;
  }
  return out;
}

TEST(TokenizeTest, MatchesOracleOnRandomText) {
  const std::vector<std::string> pieces = {
      "a", "Z", "0", "9", " ", "\n", "'", ".", "-", ",", "\u00e9", "\u0301",
      "\u0436", "\u0627", "\u064e", "\u0663", "\u4e2d", "\u3072", "\u30b3",
      "\u30fc", "\u0e01", "\u0e34", "\u0928", "\u094d", "\U0001F600",
      "\u00a9", "\u00bd", "\u2163", "\xff", "\xe4\xb8"};
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s;
    const int n = static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    ASSERT_EQ(Tokens(s), OracleTokens(s)) << "input: " << s;
  }
}

// Long, mostly ASCII text: ASCII stretches take the 64-byte-block path, the
// text around each non-ASCII character the general loop, and the tokens
// still agree with the oracle, across block edges and splices.
TEST(TokenizeTest, MostlyAsciiLongTextMatchesOracle) {
  const std::string ascii = "aZ09.'.' ,-\n_";
  const std::vector<std::string> other = {
      "\u00e9", "\u0301", "\u0436", "\u4e2d", "\u00a9", "\U0001F600", "\xff"};
  std::mt19937_64 rng(5);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    const int n = static_cast<int>(rng() % 300);
    // Half of the texts are pure ASCII.
    const uint64_t other_rate = iter % 2 == 0 ? 0 : 1 + rng() % 40;
    for (int i = 0; i < n; ++i) {
      if (other_rate != 0 && rng() % 200 < other_rate) {
        s += other[rng() % other.size()];
      } else {
        s += ascii[rng() % ascii.size()];
      }
    }
    ASSERT_EQ(Tokens(s), OracleTokens(s)) << "input: " << s;
  }
}

}  // namespace
}  // namespace syndex
