#include "engine/util/hash.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

// Golden values: these hashes reach disk, so they must never change.
TEST(HashTest, Hash64IsFixed) {
  EXPECT_EQ(Hash64("", 0), 0x2d06800538d394c2ULL);
  EXPECT_EQ(Hash64("syndex", kDefaultSeed), Hash64("syndex", kDefaultSeed));
  EXPECT_NE(Hash64("syndex", 1), Hash64("syndex", 2));
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

TEST(HashTest, HashWindowsEqualsHash64OfEachWindow) {
  SplitMix64 rng(3);
  std::vector<uint64_t> values(40);
  for (uint64_t& v : values) v = rng.Next();
  for (size_t width = 1; width <= 9; ++width) {
    const size_t count = values.size() - width + 1;
    std::vector<uint64_t> out(count);
    HashWindows(values.data(), count, width, 17, out.data());
    for (size_t j = 0; j < count; ++j) {
      ASSERT_EQ(out[j], Hash64(&values[j], width * sizeof(uint64_t), 17))
          << "width " << width << ", window " << j;
    }
  }
}

TEST(HashTest, HashWindowsInPlace) {
  SplitMix64 rng(4);
  std::vector<uint64_t> values(30);
  for (uint64_t& v : values) v = rng.Next();
  std::vector<uint64_t> expected(values.size() - 4);
  HashWindows(values.data(), expected.size(), 5, 9, expected.data());
  HashWindows(values.data(), expected.size(), 5, 9, values.data());
  values.resize(expected.size());
  EXPECT_EQ(values, expected);
}

// Strings of every length up to 300 (each of XXH3's paths), shuffled.
TEST(HashTest, HashStringsEqualsHash64OfEach) {
  SplitMix64 rng(5);
  std::string bytes(400, '\0');
  for (char& c : bytes) c = static_cast<char>(rng.Next());
  std::vector<absl::string_view> strings;
  for (int round = 0; round < 3; ++round) {
    for (size_t size = 0; size <= 300; ++size) {
      const size_t start = rng.Next() % 100;
      strings.push_back(absl::string_view(bytes).substr(start, size));
    }
  }
  for (size_t i = strings.size() - 1; i > 0; --i) {
    std::swap(strings[i], strings[rng.Next() % (i + 1)]);
  }
  std::vector<uint64_t> out(strings.size());
  HashStrings(strings.data(), strings.size(), 23, out.data());
  for (size_t i = 0; i < strings.size(); ++i) {
    ASSERT_EQ(out[i], Hash64(strings[i], 23)) << "size " << strings[i].size();
  }
}

}  // namespace
}  // namespace syndex
