#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
              ElementsAre(0x1fcb44e5f1c95eb2ULL, 0x3b91f58c7b0ad1abULL,
                          0x8705fb4d9ab1e483ULL, 0xcfc54dc8ffe610e2ULL,
                          0xd888406451a88f40ULL));
  EXPECT_THAT(ShingleHashes({"breaking", "news"}, ShingleOptions()),
              ElementsAre(0xcdb4dd8be594b932ULL));
  ShingleOptions seeded;
  seeded.seed = 42;
  EXPECT_THAT(ShingleHashes({"breaking", "news"}, seeded),
              ElementsAre(0x9fadb360d01b7ac4ULL));
  ShingleOptions unigrams;
  unigrams.size = 1;
  EXPECT_THAT(ShingleHashes({"\u4e2d", "\u6587"}, unigrams),
              ElementsAre(0x54b9798b3d3d8440ULL, 0xb685bf2f19b2823dULL));
}

// The documented scheme, spelled out byte by byte.
uint64_t SchemeShingle(const std::vector<absl::string_view>& window,
                       uint64_t seed) {
  std::string bytes;
  for (absl::string_view token : window) {
    const uint64_t h = Hash64(token, seed);
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>(h >> (8 * b)));
  }
  return Hash64(bytes, seed);
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
  for (int iter = 0; iter < 200; ++iter) {
    // Few distinct values, so repeats are common; 0 is one of them.
    std::vector<uint64_t> values(rng() % 2000);
    const uint64_t range = 1 + rng() % 3000;
    for (uint64_t& v : values) v = (rng() % range) * 0x9e3779b97f4a7c15ULL;
    std::vector<uint64_t> set = values;
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    ASSERT_EQ(CountDistinct(values.data(), values.size()), set.size());
  }
  const std::vector<uint64_t> sequence = ShingleSequence(kSentence, {});
  EXPECT_EQ(CountDistinct(sequence.data(), sequence.size()),
            ShingleHashes(kSentence, {}).size());
}

TEST(CharGramsTest, WindowsOverTokensWithoutSeparators) {
  // "the" "quick" "fox" -> "thequickfox": 11 bytes, 4 grams.
  EXPECT_THAT(CharGrams({"the", "quick", "fox"}),
              ElementsAre(PackLittleEndian("thequick"),
                          PackLittleEndian("hequickf"),
                          PackLittleEndian("equickfo"),
                          PackLittleEndian("quickfox")));
}

TEST(CharGramsTest, RepeatsKeptAndShortTextsEmpty) {
  EXPECT_THAT(CharGrams({"abcdefgh", "abcdefgh"}),
              ElementsAre(PackLittleEndian("abcdefgh"),
                          PackLittleEndian("bcdefgha"),
                          PackLittleEndian("cdefghab"),
                          PackLittleEndian("defghabc"),
                          PackLittleEndian("efghabcd"),
                          PackLittleEndian("fghabcde"),
                          PackLittleEndian("ghabcdef"),
                          PackLittleEndian("habcdefg"),
                          PackLittleEndian("abcdefgh")));
  EXPECT_THAT(CharGrams({"seven", "ch"}), IsEmpty());
  EXPECT_THAT(CharGrams({}), IsEmpty());
  EXPECT_EQ(CharGrams({"eight", "ch"}).size(), 0u);
  EXPECT_EQ(CharGrams({"eight", "chr"}).size(), 1u);
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
  EXPECT_EQ(CharGrams(words).size(), CharGramCount(expected.size()));
}

TEST(CharGramsTest, SplitOrJoinedWordsGiveTheSameGrams) {
  // OCR runs words together or splits them; only separators differ here.
  EXPECT_EQ(CharGrams({"the", "quick", "brown", "fox"}),
            CharGrams({"thequick", "brown", "fo", "x"}));
}

TEST(CharGramsTest, OneChangedCharacterChangesOnlyItsWindows) {
  const std::vector<uint64_t> a = CharGrams(kSentence);
  std::vector<absl::string_view> noisy = kSentence;
  noisy[4] = "jurnps";  // "m" read as "rn".
  const std::vector<uint64_t> b = CharGrams(noisy);
  std::vector<uint64_t> sa = a, sb = b;
  std::sort(sa.begin(), sa.end());
  std::sort(sb.begin(), sb.end());
  std::vector<uint64_t> shared;
  std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(),
                        std::back_inserter(shared));
  // 35 bytes, 28 grams; the 8 windows holding the "m" are lost.
  ASSERT_EQ(a.size(), 28u);
  EXPECT_EQ(shared.size(), 20u);
}

}  // namespace
}  // namespace syndex
