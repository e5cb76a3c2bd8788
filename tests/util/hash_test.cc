#include "engine/util/hash.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

// The first `size` bytes of xxHash's sanity buffer (XSUM_fillTestBuffer in
// xxHash's cli/xsum_sanity_check.c).
std::string XxhSanityBuffer(size_t size) {
  constexpr uint64_t kPrime32 = 2654435761ULL;
  constexpr uint64_t kPrime64 = 11400714785074694797ULL;
  std::string out(size, '\0');
  uint64_t gen = kPrime32;
  for (char& c : out) {
    c = static_cast<char>(gen >> 56);
    gen *= kPrime64;
  }
  return out;
}

// Hash64 is XXH3-64 as docs/format.md says: the known answers xxHash
// publishes for XXH3_64bits_withSeed (XSUM_XXH3_testdata), one length of
// each of its code paths, with seed 0 and with seed PRIME64.
TEST(HashTest, Hash64IsXxh3) {
  constexpr uint64_t kPrime64 = 0x9E3779B185EBCA8DULL;
  struct Case {
    size_t size;
    uint64_t seed, expected;
  };
  constexpr Case kCases[] = {
      {0, 0, 0x2D06800538D394C2ULL},   {0, kPrime64, 0xA8A6B918B2F0364AULL},
      {1, 0, 0xC44BDFF4074EECDBULL},   {1, kPrime64, 0x032BE332DD766EF8ULL},
      {6, 0, 0x27B56A84CD2D7325ULL},   {6, kPrime64, 0x84589C116AB59AB9ULL},
      {12, 0, 0xA713DAF0DFBB77E7ULL},  {12, kPrime64, 0xE7303E1B2336DE0EULL},
      {24, 0, 0xA3FE70BF9D3510EBULL},  {24, kPrime64, 0x850E80FC35BDD690ULL},
      {48, 0, 0x397DA259ECBA1F11ULL},  {48, kPrime64, 0xADC2CBAA44ACC616ULL},
      {80, 0, 0xBCDEFBBB2C47C90AULL},  {80, kPrime64, 0xC6DD0CB699532E73ULL},
      {195, 0, 0xCD94217EE362EC3AULL}, {195, kPrime64, 0xBA68003D370CB3D9ULL},
      {403, 0, 0xCDEB804D65C6DEA4ULL},
  };
  for (const Case& c : kCases) {
    const std::string data = XxhSanityBuffer(c.size);
    EXPECT_EQ(Hash64(data, c.seed), c.expected)
        << "size " << c.size << ", seed " << c.seed;
    StreamingHash64 streaming(c.seed);
    streaming.Update(data.data(), data.size());
    EXPECT_EQ(streaming.Digest(), c.expected) << "size " << c.size;
  }
}

// Golden values of the seeded hashes that reach disk (docs/format.md,
// "Hashing"), computed once with this code: they must never change. Mix64
// was checked against SplitMix64's finalizer written out in Python.
TEST(HashTest, SeededHashesAreFixed) {
  EXPECT_EQ(Hash64("syndex", kDefaultSeed), 0x8b9cb035882ab097ULL);
  EXPECT_EQ(Hash64("syndex", 1), 0x7b9de29ff5d4bc06ULL);
  EXPECT_EQ(Hash64("syndex", 2), 0xdccdeee272024716ULL);
  EXPECT_EQ(Hash64(std::string(300, 'x'), kDefaultSeed), 0x54182a8589f083c7ULL);
  // Chrome lines: corpus-wide with kDefaultSeed, per source with the
  // source key's hash as the seed.
  EXPECT_EQ(Hash64("Sign up for our newsletter", kDefaultSeed),
            0x3e31e57a44a35077ULL);
  EXPECT_EQ(Hash64("harbourgazette.com", kDefaultSeed), 0x0e01210526389037ULL);
  EXPECT_EQ(Hash64("Sign up for our newsletter",
                   Hash64("harbourgazette.com", kDefaultSeed)),
            0xb9e1fc58de241892ULL);
  // Mix64: the seeds of LSH band keys (Mix64(seed + band)) and of the
  // character signatures (Mix64(seed)).
  EXPECT_EQ(Mix64(0), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(Mix64(kDefaultSeed), 0x89ce0ee3aa49fd68ULL);
  EXPECT_EQ(Mix64(kDefaultSeed + 22), 0xdd23f57c1717d2cfULL);
  // SplitMix64(seed): MinHash's key and probe key.
  SplitMix64 keys(kDefaultSeed);
  EXPECT_EQ(keys.Next(), 0x89ce0ee3aa49fd68ULL);
  EXPECT_EQ(keys.Next(), 0x75518f6e39bbb056ULL);
}

TEST(HashTest, StreamingHashEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 5000; ++i) data.push_back(static_cast<char>(i * 31));
  for (size_t piece : {size_t{1}, size_t{7}, size_t{240}, size_t{4096}}) {
    StreamingHash64 h(kDefaultSeed);
    for (size_t pos = 0; pos < data.size(); pos += piece) {
      const size_t n = std::min(piece, data.size() - pos);
      h.Update(data.data() + pos, n);
    }
    EXPECT_EQ(h.Digest(), Hash64(data, kDefaultSeed)) << piece;
  }
  EXPECT_EQ(StreamingHash64(0).Digest(), Hash64("", 0));
}

TEST(HashTest, SplitMix64MatchesReferenceSequence) {
  // Reference values of SplitMix64 seeded with 0.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(rng.Next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(rng.Next(), 0x06c45d188009454fULL);
}

TEST(HashTest, NextDoubleInUnitInterval) {
  SplitMix64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    const double d = rng.NextDouble();
    EXPECT_GE(d, 0.0);
    EXPECT_LT(d, 1.0);
  }
}

// The folded multiply, from 32-bit halves: an implementation apart from
// Fold's.
uint64_t SchemeFold(uint64_t a, uint64_t b) {
  const uint64_t a0 = a & 0xFFFFFFFF, a1 = a >> 32;
  const uint64_t b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint64_t middle = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  const uint64_t low = (middle << 32) | (p00 & 0xFFFFFFFF);
  const uint64_t high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
  return low ^ high;
}

// TokenHash as docs/format.md spells it, byte by byte.
uint64_t SchemeTokenHash(absl::string_view token, uint64_t seed) {
  if (token.size() > 16) return Hash64(token, seed);
  uint64_t half[2] = {0, 0};
  for (size_t i = 0; i < token.size(); ++i) {
    half[i / 8] |= uint64_t{static_cast<unsigned char>(token[i])}
                   << (8 * (i % 8));
  }
  SplitMix64 keys(seed ^ kTokenSalt);
  const uint64_t k0 = keys.Next(), k1 = keys.Next();
  return SchemeFold(half[0] ^ k0 ^ token.size() * kMix64Gamma, half[1] ^ k1);
}

// HashWindows' hash of one window, as docs/format.md spells it.
uint64_t SchemeWindow(const uint64_t* v, size_t width, uint64_t seed) {
  SplitMix64 rng(seed ^ kWindowSalt);
  std::vector<uint64_t> k(width + 1);
  for (uint64_t& key : k) key = rng.Next();
  uint64_t h = 0;
  for (size_t i = 0; i < width; i += 2) {
    const uint64_t next = i + 1 < width ? v[i + 1] : width;
    h ^= SchemeFold(v[i] ^ k[i], next ^ k[i + 1]);
  }
  return h;
}

// Golden values: these hashes reach disk, so they must never change.
TEST(HashTest, TokenAndWindowHashesAreFixed) {
  EXPECT_EQ(TokenHash("", kDefaultSeed), 0x56c64530e063658dULL);
  EXPECT_EQ(TokenHash("a", kDefaultSeed), 0x376b6e65ad38af2bULL);
  EXPECT_EQ(TokenHash("news", kDefaultSeed), 0x01d827739c51206aULL);
  EXPECT_EQ(TokenHash("breaking", kDefaultSeed), 0x28c62c34cbc91763ULL);
  EXPECT_EQ(TokenHash("syndicate", kDefaultSeed), 0x43dfd176f9912127ULL);
  EXPECT_EQ(TokenHash("internationally", kDefaultSeed), 0xcf6ddbe3cc8846b7ULL);
  EXPECT_EQ(TokenHash("counterrevolutionary", kDefaultSeed),
            0xa7528b1265facb56ULL);
  EXPECT_EQ(TokenHash("news", 42), 0x40508bc224695405ULL);
  const uint64_t values[6] = {1, 2, 3, 4, 5, 6};
  uint64_t out[2];
  HashWindows(values, 2, 5, kDefaultSeed, out);
  EXPECT_EQ(out[0], 0xe13e1189a0a8b867ULL);
  EXPECT_EQ(out[1], 0x228d7618e6af6558ULL);
}

TEST(HashTest, FoldXorsTheHalvesOfTheProduct) {
  EXPECT_EQ(Fold(3, 5), 15u);
  EXPECT_EQ(Fold(uint64_t{1} << 63, 4), 2u);
  // (2^64 - 1)^2 = 2^128 - 2^65 + 1: high half 2^64 - 2, low half 1.
  EXPECT_EQ(Fold(~uint64_t{0}, ~uint64_t{0}), ~uint64_t{0});
  SplitMix64 rng(8);
  for (int i = 0; i < 1000; ++i) {
    const uint64_t a = rng.Next(), b = rng.Next();
    ASSERT_EQ(Fold(a, b), SchemeFold(a, b));
  }
}

// Tokens of every length up to 40 at every offset of a text, so that some
// end within 16 bytes of the text's end (where the block read must not go
// past it) and some are longer than 16 bytes (hashed with XXH3).
TEST(HashTest, HashTokensEqualsTheDocumentedScheme) {
  SplitMix64 rng(5);
  std::string text(120, '\0');
  for (char& c : text) c = static_cast<char>(rng.Next());
  std::vector<absl::string_view> tokens;
  for (size_t size = 0; size <= 40; ++size) {
    for (size_t start = 0; start + size <= text.size(); start += 7) {
      tokens.push_back(absl::string_view(text).substr(start, size));
    }
    tokens.push_back(absl::string_view(text).substr(text.size() - size));
  }
  for (const uint64_t seed : {uint64_t{0}, kDefaultSeed, rng.Next()}) {
    std::vector<uint64_t> with_text(tokens.size()), alone(tokens.size());
    HashTokens(text, tokens.data(), tokens.size(), seed, with_text.data());
    HashTokens({}, tokens.data(), tokens.size(), seed, alone.data());
    for (size_t i = 0; i < tokens.size(); ++i) {
      const uint64_t expected = SchemeTokenHash(tokens[i], seed);
      ASSERT_EQ(with_text[i], expected) << "size " << tokens[i].size();
      ASSERT_EQ(alone[i], expected) << "size " << tokens[i].size();
      ASSERT_EQ(TokenHash(tokens[i], seed), expected);
    }
  }
}

TEST(HashTest, TokenHashSeparatesLengthsAndBytes) {
  // Zero padding must not make "a" and "a\0" alike, nor two tokens that
  // differ in their last byte.
  EXPECT_NE(TokenHash(absl::string_view("a\0", 2), 1), TokenHash("a", 1));
  EXPECT_NE(TokenHash("abcdefghijklmnop", 1), TokenHash("abcdefghijklmnoq", 1));
  EXPECT_NE(TokenHash("news", 1), TokenHash("news", 2));
}

TEST(HashTest, HashWindowsEqualsTheDocumentedScheme) {
  SplitMix64 rng(3);
  std::vector<uint64_t> values(40);
  for (uint64_t& v : values) v = rng.Next();
  for (size_t width = 1; width <= 9; ++width) {
    const size_t count = values.size() - width + 1;
    std::vector<uint64_t> out(count);
    HashWindows(values.data(), count, width, 17, out.data());
    for (size_t j = 0; j < count; ++j) {
      ASSERT_EQ(out[j], SchemeWindow(&values[j], width, 17))
          << "width " << width << ", window " << j;
    }
  }
}

TEST(HashTest, HashWindowsInPlace) {
  SplitMix64 rng(4);
  std::vector<uint64_t> values(30);
  for (uint64_t& v : values) v = rng.Next();
  for (size_t width : {2, 5, 8}) {
    std::vector<uint64_t> expected(values.size() - width + 1);
    HashWindows(values.data(), expected.size(), width, 9, expected.data());
    std::vector<uint64_t> in_place = values;
    HashWindows(in_place.data(), expected.size(), width, 9, in_place.data());
    in_place.resize(expected.size());
    EXPECT_EQ(in_place, expected) << width;
  }
}

TEST(HashTest, HashWindowsDependsOnOrder) {
  const uint64_t forward[5] = {1, 2, 3, 4, 5}, swapped[5] = {3, 4, 1, 2, 5};
  uint64_t a, b;
  HashWindows(forward, 1, 5, 7, &a);
  HashWindows(swapped, 1, 5, 7, &b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace syndex
