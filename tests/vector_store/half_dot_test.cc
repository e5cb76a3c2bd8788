#include "engine/vector_store/half_dot.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

bool IsNan(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x03ff) != 0; }

uint32_t Bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof(b));
  return b;
}

TEST(HalfDotTest, KnownConversions) {
  EXPECT_EQ(FloatToHalf(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalf(-2.5f), 0xc100);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalf(1e6f), 0x7c00);  // Overflow rounds to infinity.
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: to even, down.
  EXPECT_EQ(FloatToHalf(1.0f + 0x1p-11f), 0x3c00);
  EXPECT_EQ(FloatToHalf(1.0f + 3 * 0x1p-11f), 0x3c02);
  EXPECT_EQ(FloatToHalf(0x1p-24f), 0x0001);  // The smallest subnormal.
  EXPECT_EQ(HalfToFloat(0x0001), 0x1p-24f);
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
}

TEST(HalfDotTest, LevelsConvertEveryHalfAlike) {
  if (!Supports(SimdLevel::kAvx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  std::vector<uint16_t> all;
  for (uint32_t h = 0; h < 65536; ++h) {
    if (!IsNan(static_cast<uint16_t>(h))) all.push_back(h);
  }
  std::vector<float> scalar(all.size()), avx2(all.size());
  HalvesToFloats(all.data(), all.size(), scalar.data(), SimdLevel::kScalar);
  HalvesToFloats(all.data(), all.size(), avx2.data(), SimdLevel::kAvx2);
  std::vector<uint16_t> back_scalar(all.size()), back_avx2(all.size());
  FloatsToHalves(scalar.data(), all.size(), back_scalar.data(),
                 SimdLevel::kScalar);
  FloatsToHalves(scalar.data(), all.size(), back_avx2.data(),
                 SimdLevel::kAvx2);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(Bits(scalar[i]), Bits(avx2[i])) << all[i];
    ASSERT_EQ(back_scalar[i], all[i]);
    ASSERT_EQ(back_avx2[i], all[i]);
  }
}

TEST(HalfDotTest, LevelsRoundFloatsAlike) {
  if (!Supports(SimdLevel::kAvx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  // Random bit patterns over every exponent, and halfway cases.
  SplitMix64 rng(3);
  std::vector<float> x;
  for (int i = 0; i < 200000; ++i) {
    const uint32_t bits = static_cast<uint32_t>(rng.Next());
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    if (!std::isnan(f)) x.push_back(f);
  }
  for (uint32_t h = 0; h < 0x7c00; h += 7) {
    x.push_back(HalfToFloat(h) + HalfToFloat(h + 1)) ;
  }
  std::vector<uint16_t> scalar(x.size()), avx2(x.size());
  FloatsToHalves(x.data(), x.size(), scalar.data(), SimdLevel::kScalar);
  FloatsToHalves(x.data(), x.size(), avx2.data(), SimdLevel::kAvx2);
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(scalar[i], avx2[i]) << x[i];
    ASSERT_EQ(scalar[i], FloatToHalf(x[i])) << x[i];
  }
}

struct DotCase {
  std::vector<float> query;
  std::vector<uint16_t> halves;
  size_t count;
  int d;
};

DotCase RandomCase(size_t count, int d, uint64_t seed) {
  SplitMix64 rng(seed);
  auto uniform = [&] { return static_cast<float>(rng.NextDouble() * 2 - 1); };
  DotCase c{std::vector<float>(d), std::vector<uint16_t>(count * d), count, d};
  for (float& x : c.query) x = uniform();
  for (uint16_t& h : c.halves) h = FloatToHalf(uniform());
  return c;
}

TEST(HalfDotTest, DotsMatchADoublePrecisionSum) {
  for (int d : {1, 7, 8, 9, 31, 64, 100, 256}) {
    const DotCase c = RandomCase(13, d, d);
    for (SimdLevel level : {SimdLevel::kScalar, BestSimdLevel()}) {
      std::vector<float> out(c.count);
      HalfDots(c.query.data(), c.halves.data(), c.count, d, out.data(),
               level);
      for (size_t v = 0; v < c.count; ++v) {
        double want = 0;
        for (int i = 0; i < d; ++i) {
          want += double{c.query[i]} * HalfToFloat(c.halves[v * d + i]);
        }
        EXPECT_NEAR(out[v], want, 1e-5 * d) << "d " << d << " vector " << v;
      }
    }
  }
}

TEST(HalfDotTest, DotsFollowTheDocumentedOrder) {
  // d = 20: lane sums over elements 0..15, then the last four one by one.
  const DotCase c = RandomCase(1, 20, 5);
  auto p = [&](int i) { return c.query[i] * HalfToFloat(c.halves[i]); };
  float s[8];
  for (int j = 0; j < 8; ++j) s[j] = p(j) + p(8 + j);
  float want =
      ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
  for (int i = 16; i < 20; ++i) want += p(i);
  for (SimdLevel level : {SimdLevel::kScalar, BestSimdLevel()}) {
    float out;
    HalfDots(c.query.data(), c.halves.data(), 1, 20, &out, level);
    EXPECT_EQ(Bits(out), Bits(want));
  }
}

TEST(HalfDotTest, LevelsGiveTheSameBits) {
  if (!Supports(SimdLevel::kAvx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  for (int d : {1, 5, 8, 15, 16, 33, 256}) {
    for (size_t count : {0, 1, 3, 4, 5, 8, 11, 64}) {
      const DotCase c = RandomCase(count, d, d * 100 + count);
      std::vector<float> scalar(count), avx2(count);
      HalfDots(c.query.data(), c.halves.data(), count, d, scalar.data(),
               SimdLevel::kScalar);
      HalfDots(c.query.data(), c.halves.data(), count, d, avx2.data(),
               SimdLevel::kAvx2);
      for (size_t v = 0; v < count; ++v) {
        ASSERT_EQ(Bits(scalar[v]), Bits(avx2[v]))
            << "d " << d << " count " << count << " vector " << v;
      }
    }
  }
}

TEST(HalfDotTest, FloatDotsOfHalfValuesGiveHalfDotsBits) {
  for (int d : {1, 5, 8, 15, 16, 33, 256}) {
    for (size_t count : {0, 1, 3, 4, 5, 8, 11, 64}) {
      const DotCase c = RandomCase(count, d, d * 1000 + count);
      std::vector<float> floats(c.halves.size());
      HalvesToFloats(c.halves.data(), c.halves.size(), floats.data(),
                     SimdLevel::kScalar);
      for (SimdLevel level : {SimdLevel::kScalar, BestSimdLevel()}) {
        std::vector<float> from_halves(count), from_floats(count);
        HalfDots(c.query.data(), c.halves.data(), count, d,
                 from_halves.data(), level);
        FloatDots(c.query.data(), floats.data(), count, d, from_floats.data(),
                  level);
        for (size_t v = 0; v < count; ++v) {
          ASSERT_EQ(Bits(from_halves[v]), Bits(from_floats[v]))
              << "d " << d << " count " << count << " vector " << v;
        }
      }
    }
  }
}

TEST(HalfDotTest, FloatDotsMatchADoublePrecisionSum) {
  SplitMix64 rng(17);
  const int d = 37;
  std::vector<float> query(d), vectors(5 * d);
  for (float& x : query) x = static_cast<float>(rng.NextDouble() - 0.5);
  for (float& x : vectors) x = static_cast<float>(rng.NextDouble() - 0.5);
  for (SimdLevel level : {SimdLevel::kScalar, BestSimdLevel()}) {
    std::vector<float> out(5);
    FloatDots(query.data(), vectors.data(), 5, d, out.data(), level);
    for (int v = 0; v < 5; ++v) {
      double want = 0;
      for (int i = 0; i < d; ++i) want += double{query[i]} * vectors[v * d + i];
      EXPECT_NEAR(out[v], want, 1e-5 * d) << "vector " << v;
    }
  }
}

}  // namespace
}  // namespace syndex
