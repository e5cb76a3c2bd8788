#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "engine/util/cpu.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<absl::string_view> kSentence = {
    "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"};

// Golden values: any change to the hashing scheme (a format change) must
// fail here.
TEST(ShingleTest, GoldenValues) {
  EXPECT_THAT(ShingleHashes(kSentence, ShingleOptions()),
              ElementsAre(0x5a05b4387a4057a7ULL, 0x8d7ea9ffe6287e53ULL,
                          0xc1c73553ab2ba460ULL, 0xdd55baa2aa26c99bULL,
                          0xec8a28fe353c0e19ULL));
  EXPECT_THAT(ShingleHashes({"breaking", "news"}, ShingleOptions()),
              ElementsAre(0x6561b14bc8ba7466ULL));
  ShingleOptions seeded;
  seeded.seed = 42;
  EXPECT_THAT(ShingleHashes({"breaking", "news"}, seeded),
              ElementsAre(0x24bb8275df79f77fULL));
  ShingleOptions unigrams;
  unigrams.size = 1;
  EXPECT_THAT(ShingleHashes({"\u4e2d", "\u6587"}, unigrams),
              ElementsAre(0x780fe187dc40b940ULL, 0xc2145d339bc178d4ULL));
}

// The documented scheme: the window hash of the window's token hashes.
uint64_t SchemeShingle(const std::vector<absl::string_view>& window,
                       uint64_t seed) {
  std::vector<uint64_t> hashes;
  for (absl::string_view token : window) {
    hashes.push_back(TokenHash(token, seed));
  }
  uint64_t shingle;
  HashWindows(hashes.data(), 1, hashes.size(), seed, &shingle);
  return shingle;
}

TEST(ShingleTest, MatchesDocumentedScheme) {
  std::mt19937_64 rng(5);
  for (int size = 1; size <= 6; ++size) {
    ShingleOptions options;
    options.size = size;
    options.seed = rng();
    std::vector<uint64_t> expected;
    for (size_t j = 0; j + size <= kSentence.size(); ++j) {
      expected.push_back(SchemeShingle(
          {kSentence.begin() + j, kSentence.begin() + j + size}, options.seed));
    }
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()),
                   expected.end());
    EXPECT_EQ(ShingleHashes(kSentence, options), expected) << size;
  }
}

// The tokens' text only makes the hashing faster.
TEST(ShingleTest, SameShinglesWithAndWithoutTheText) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += std::string(1 + i % 23, static_cast<char>('a' + i % 26)) + " ";
  }
  text += "end";
  const std::vector<absl::string_view> words =
      absl::StrSplit(text, ' ', absl::SkipEmpty());
  EXPECT_EQ(ShingleSequence(words, {}, text), ShingleSequence(words, {}));
}

TEST(ShingleTest, NoTokensNoShingles) {
  EXPECT_THAT(ShingleHashes({}, ShingleOptions()), IsEmpty());
}

TEST(ShingleTest, ShortTextIsOneShingleOverAllTokens) {
  const std::vector<absl::string_view> tokens = {"a", "b", "c"};
  EXPECT_THAT(ShingleHashes(tokens, ShingleOptions()),
              ElementsAre(SchemeShingle(tokens, kDefaultSeed)));
  const std::vector<absl::string_view> one = {"word"};
  EXPECT_THAT(ShingleHashes(one, ShingleOptions()),
              ElementsAre(SchemeShingle(one, kDefaultSeed)));
}

TEST(ShingleTest, ExactlySizeTokensIsOneShingle) {
  const std::vector<absl::string_view> tokens = {"a", "b", "c", "d", "e"};
  EXPECT_EQ(ShingleHashes(tokens, ShingleOptions()).size(), 1u);
}

TEST(ShingleTest, SortedAndDuplicatesRemoved) {
  std::vector<absl::string_view> tokens;
  for (int i = 0; i < 50; ++i) {
    tokens.push_back("a");
    tokens.push_back("b");
  }
  ShingleOptions options;
  options.size = 2;
  const std::vector<uint64_t> s = ShingleHashes(tokens, options);
  ASSERT_EQ(s.size(), 2u);  // "a b" and "b a".
  EXPECT_LT(s[0], s[1]);
}

TEST(ShingleTest, WordOrderMattersWithinAShingle) {
  ShingleOptions options;
  options.size = 2;
  EXPECT_NE(ShingleHashes({"man", "bites", "dog"}, options),
            ShingleHashes({"dog", "bites", "man"}, options));
}

TEST(ShingleTest, UnigramsIgnoreOrder) {
  ShingleOptions options;
  options.size = 1;
  std::vector<absl::string_view> shuffled = kSentence;
  std::mt19937_64 rng(3);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_EQ(ShingleHashes(shuffled, options),
            ShingleHashes(kSentence, options));
  EXPECT_EQ(ShingleHashes(kSentence, options).size(), 8u);  // "the" twice.
}

TEST(ShingleTest, RepeatedParagraphsAddNothing) {
  std::vector<absl::string_view> twice = kSentence;
  twice.push_back(".");
  twice.insert(twice.end(), kSentence.begin(), kSentence.end());
  twice.push_back(".");
  std::vector<absl::string_view> once = kSentence;
  once.push_back(".");
  const std::vector<uint64_t> a = ShingleHashes(once, ShingleOptions());
  const std::vector<uint64_t> b = ShingleHashes(twice, ShingleOptions());
  // Every shingle of the single copy is in the doubled text, which adds only
  // the shingles that span the boundary.
  EXPECT_TRUE(std::includes(b.begin(), b.end(), a.begin(), a.end()));
  EXPECT_EQ(b.size(), a.size() + 4);
}

TEST(ShingleTest, SeedChangesHashes) {
  ShingleOptions other;
  other.seed = kDefaultSeed + 1;
  EXPECT_NE(ShingleHashes(kSentence, ShingleOptions()),
            ShingleHashes(kSentence, other));
}

uint64_t PackLittleEndian(absl::string_view eight) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(eight[i])) << (8 * i);
  }
  return v;
}

TEST(ShingleTest, CountDistinctIsTheSizeOfTheSet) {
  EXPECT_EQ(CountDistinct(nullptr, 0), 0u);
  std::mt19937_64 rng(9);
  for (int iter = 0; iter < 300; ++iter) {
    // Few distinct values, so repeats are common; 0 is one of them. Spread
    // over all bits, small, or only in the top bits (long probe chains); and
    // once more values than a 16-bit table holds.
    std::vector<uint64_t> values(iter == 0 ? 70000 : rng() % 2000);
    const uint64_t range = 1 + rng() % (iter == 0 ? 50000 : 3000);
    const uint64_t scale = iter % 3 == 0   ? 0x9e3779b97f4a7c15ULL
                           : iter % 3 == 1 ? 1
                                           : uint64_t{1} << 52;
    for (uint64_t& v : values) v = (rng() % range) * scale;
    std::vector<uint64_t> set = values;
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    ASSERT_EQ(CountDistinct(values.data(), values.size()), set.size());
  }
  const std::vector<uint64_t> sequence = ShingleSequence(kSentence, {});
  EXPECT_EQ(CountDistinct(sequence.data(), sequence.size()),
            ShingleHashes(kSentence, {}).size());
}

// Every window of `joined` as a gram, and whether the documented sampling
// keeps it.
std::vector<uint64_t> AllWindows(absl::string_view joined) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i + 8 <= joined.size(); ++i) {
    out.push_back(PackLittleEndian(joined.substr(i, 8)));
  }
  return out;
}
bool SchemeKeeps(uint64_t gram, uint64_t seed) {
  const uint64_t m = Mix64(seed ^ kGramSalt);
  const uint32_t a = static_cast<uint32_t>(m) | 1;
  const uint32_t b = static_cast<uint32_t>(m >> 32) | 1;
  const uint32_t h = static_cast<uint32_t>(gram) * a +
                     static_cast<uint32_t>(gram >> 32) * b;
  return h < (uint64_t{1} << 32) / kCharGramSampling;
}
std::vector<uint64_t> SchemeGrams(absl::string_view joined, uint64_t seed) {
  std::vector<uint64_t> kept;
  for (uint64_t gram : AllWindows(joined)) {
    if (SchemeKeeps(gram, seed)) kept.push_back(gram);
  }
  return kept;
}

// Golden values: any change to the sampling (a format change) must fail here.
TEST(CharGramsTest, GoldenGrams) {
  EXPECT_THAT(CharGrams({"the", "quick", "brown", "fox", "jumps", "over",
                         "the", "lazy", "dog"}),
              ElementsAre(PackLittleEndian("hequickb"),
                          PackLittleEndian("equickbr"),
                          PackLittleEndian("uickbrow"),
                          PackLittleEndian("wnfoxjum"),
                          PackLittleEndian("foxjumps"),
                          PackLittleEndian("jumpsove"),
                          PackLittleEndian("soverthe"),
                          PackLittleEndian("verthela"),
                          PackLittleEndian("rthelazy"),
                          PackLittleEndian("helazydo")));
}

// Texts of every length up to 300 and one of 20,000 bytes, from few letters
// (windows repeat) and from all byte values, at every SIMD level.
TEST(CharGramsTest, SampleEqualsTheDocumentedScheme) {
  SplitMix64 rng(12);
  for (const uint64_t seed : {kDefaultSeed, uint64_t{7}}) {
    for (size_t size = 0; size <= 301; ++size) {
      std::string text(size == 301 ? 20000 : size, '\0');
      for (char& c : text) {
        c = static_cast<char>(size % 2 ? 'a' + rng.Next() % 4 : rng.Next());
      }
      const std::vector<uint64_t> expected = SchemeGrams(text, seed);
      for (SimdLevel level : {SimdLevel::kScalar, SimdLevel::kAvx2}) {
        if (!Supports(level)) continue;
        std::vector<uint64_t> grams = {1, 2, 3};  // Replaced.
        SampleCharGrams(text, seed, &grams, level);
        ASSERT_EQ(grams, expected) << "size " << text.size();
      }
    }
  }
}

TEST(CharGramsTest, AboutOneGramInFourIsKept) {
  SplitMix64 rng(13);
  std::string text(100000, '\0');
  for (char& c : text) c = static_cast<char>('a' + rng.Next() % 26);
  std::vector<uint64_t> grams;
  SampleCharGrams(text, kDefaultSeed, &grams);
  const double share = static_cast<double>(grams.size()) / (text.size() - 7);
  EXPECT_GT(share, 0.24);
  EXPECT_LT(share, 0.26);
}

TEST(CharGramsTest, RepeatsKeptAndShortTextsEmpty) {
  // A kept gram written twice in a row is kept twice.
  std::string word = "abcdefgh";
  while (!SchemeKeeps(PackLittleEndian(word), kDefaultSeed)) {
    std::next_permutation(word.begin(), word.end());
  }
  const std::vector<uint64_t> twice =
      CharGrams({absl::string_view(word), absl::string_view(word)});
  EXPECT_EQ(std::count(twice.begin(), twice.end(), PackLittleEndian(word)), 2);
  EXPECT_THAT(CharGrams({"seven", "ch"}), IsEmpty());
  EXPECT_THAT(CharGrams({}), IsEmpty());
}

// Views of the words of `text` separated by single spaces.
std::vector<absl::string_view> Words(absl::string_view text) {
  return absl::StrSplit(text, ' ', absl::SkipEmpty());
}

TEST(CharGramsTest, JoinTokensAndCount) {
  std::string joined = "stale contents";
  const std::string text = "the quick fox";
  JoinTokens(text, Words(text), &joined);
  EXPECT_EQ(joined, "thequickfox");
  EXPECT_EQ(CharGramCount(joined.size()), 4u);
  EXPECT_EQ(CharGramCount(7), 0u);
  EXPECT_EQ(CharGramCount(8), 1u);
  JoinTokens(text, {}, &joined);
  EXPECT_EQ(joined, "");
}

// Words of every length up to 40, the last ones close to the end of the
// text, where the fixed-size copy must not read past it.
TEST(CharGramsTest, JoinTokensEqualsConcatenation) {
  std::string text, expected;
  for (int n = 1; n <= 40; ++n) {
    text += std::string(n, static_cast<char>('a' + n % 26)) + " ";
    expected += std::string(n, static_cast<char>('a' + n % 26));
  }
  for (int n = 1; n <= 20; ++n) {
    text += std::string(n, 'z') + " ";
    expected += std::string(n, 'z');
  }
  text += "x";
  expected += "x";
  const std::vector<absl::string_view> words = Words(text);
  std::string joined;
  JoinTokens(text, words, &joined);
  EXPECT_EQ(joined, expected);
  EXPECT_EQ(CharGrams(words), SchemeGrams(expected, kDefaultSeed));
}

TEST(CharGramsTest, SplitOrJoinedWordsGiveTheSameGrams) {
  // OCR runs words together or splits them; only separators differ here.
  EXPECT_EQ(CharGrams({"the", "quick", "brown", "fox"}),
            CharGrams({"thequick", "brown", "fo", "x"}));
}

TEST(CharGramsTest, OneChangedCharacterChangesOnlyItsWindows) {
  const std::vector<absl::string_view> words = absl::StrSplit(
      "the quick brown fox jumps over the lazy dog while seven wise owls "
      "count eleven silver moons above quiet harbour towns and a patient "
      "ferryman rows his boat across the dark water toward the old mill",
      ' ');
  std::vector<absl::string_view> noisy = words;
  noisy[4] = "jurnps";  // "m" read as "rn", at byte 18 of the joined text.
  std::vector<uint64_t> a = CharGrams(words), b = CharGrams(noisy);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::vector<uint64_t> lost;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(lost));
  // Exactly the kept grams of the 8 windows over the "m" are lost.
  const std::vector<uint64_t> windows = AllWindows(absl::StrJoin(words, ""));
  std::vector<uint64_t> over_m;
  for (size_t start = 11; start <= 18; ++start) {
    if (SchemeKeeps(windows[start], kDefaultSeed)) {
      over_m.push_back(windows[start]);
    }
  }
  std::sort(over_m.begin(), over_m.end());
  EXPECT_EQ(lost, over_m);
  EXPECT_FALSE(over_m.empty());
  EXPECT_GT(a.size(), 20u);
}

}  // namespace
}  // namespace syndex
