#include "engine/minhash/minhash.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/util/cpu.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/minhash/random_sets.h"
#include "tests/minhash/reference_minhash.h"
#include "tests/testing/exact_jaccard.h"

namespace syndex {
namespace {

TEST(MinHashTest, Accessors) {
  MinHasher hasher(64, 99);
  EXPECT_EQ(hasher.num_perm(), 64);
  EXPECT_EQ(hasher.seed(), 99u);
}

// A polynomial checksum of a signature (mod 2^64).
uint64_t Checksum(const std::vector<uint32_t>& sig) {
  uint64_t sum = 0;
  for (uint32_t v : sig) sum = sum * 0x100000001b3ULL + v;
  return sum;
}

// Values computed by an independent implementation of the scheme in
// minhash.h (Python, arbitrary-precision integers masked to 64 bits); any
// change to the hashing, the densification or the parameter stream breaks
// these.
TEST(MinHashTest, GoldenSignatures) {
  // Three shingles in 16 bins: mostly densified.
  EXPECT_EQ(
      MinHasher(16, 7).Sign({0x0123456789abcdefULL, 42, 0xffffffffffffffffULL}),
      (std::vector<uint32_t>{0x9dc41760, 0xdf268fbc, 0x46e23bc1, 0xdf268fbc,
                             0x9dc41760, 0x46e23bc1, 0xdf268fbc, 0x46e23bc1,
                             0x46e23bc1, 0x46e23bc1, 0x9dc41760, 0xdf268fbc,
                             0x46e23bc1, 0x46e23bc1, 0x46e23bc1, 0x9dc41760}));

  // Consecutive integers, every bin filled.
  std::vector<uint64_t> range;
  for (uint64_t x = 1; x <= 100; ++x) range.push_back(x);
  EXPECT_EQ(
      MinHasher(8, kDefaultSeed).Sign(range),
      (std::vector<uint32_t>{0x30d8180d, 0x08bf2bdb, 0x201320f6, 0x1da7788f,
                             0x13690574, 0x45475148, 0x06f8e12a, 0x12283f01}));

  // A bin count that is not a power of two.
  EXPECT_EQ(
      MinHasher(12, 3).Sign({1, 2, 3, 4, 5}),
      (std::vector<uint32_t>{0xb8068eba, 0xb8068eba, 0xb8068eba, 0xb8068eba,
                             0x627011b3, 0x734f5c4f, 0xef5e8891, 0xef5e8891,
                             0x74ddd08d, 0x734f5c4f, 0xef5e8891, 0x627011b3}));

  // A single shingle fills every bin with its value.
  EXPECT_EQ(MinHasher(24, 5).Sign({0xdeadbeef}),
            std::vector<uint32_t>(24, 0x222bc40c));

  // Two shingles in 4096 bins: 2424 empty bins miss with all 1024 hashed
  // probes and take the linear fallback.
  const std::vector<uint32_t> sparse =
      MinHasher(4096, 11).Sign({0x1111, 0x2222});
  EXPECT_EQ(std::count(sparse.begin(), sparse.end(), 0x1633d378u), 2758);
  EXPECT_EQ(std::count(sparse.begin(), sparse.end(), 0xa55d762eu), 1338);
  EXPECT_EQ(Checksum(sparse), 0x5ccc3f27a2558988ULL);
}

// MinHasher against the naive reference of the same scheme, over set sizes
// from 1 to far more than the bins, bin counts that are and are not powers
// of two, and extreme shingle values.
TEST(MinHashTest, MatchesReference) {
  SplitMix64 rng(2024);
  const uint64_t edges[] = {0,
                            1,
                            0xFFFFFFFFULL,
                            0x100000000ULL,
                            0xFFFFFFFF00000000ULL,
                            0xFFFFFFFFFFFFFFFFULL,
                            0x8000000080000000ULL};
  for (int num_perm : {1, 7, 8, 64, 100, 128, 1000, 1025, 2048}) {
    for (int trial = 0; trial < 20; ++trial) {
      const uint64_t seed = rng.Next();
      MinHasher hasher(num_perm, seed);
      const size_t n = rng.Next() % (trial < 10 ? 40 : 3000);
      std::vector<uint64_t> set(n);
      for (auto& x : set) {
        x = rng.Next();
        if (rng.Next() % 8 == 0) x = edges[rng.Next() % 7];
        if (rng.Next() % 8 == 0) x &= 0xFFFFFFFFULL;
      }
      if (trial % 5 == 0) set.assign(1 + trial % 3, rng.Next());  // Repeats.
      std::vector<uint32_t> got(num_perm);
      hasher.Sign(set.data(), set.size(), got.data());
      ASSERT_EQ(got, ReferenceOphSign(num_perm, seed, set))
          << "num_perm " << num_perm << " n " << n;
    }
  }
}

// The k-permutation reference (the comparison baseline of
// minhash_accuracy.cc) reproduces the signatures of syndex format 1.
TEST(MinHashTest, KPermReferenceMatchesFormat1) {
  EXPECT_EQ(
      ReferenceKPermSign(16, 7,
                         {0x0123456789abcdefULL, 42, 0xffffffffffffffffULL}),
      (std::vector<uint32_t>{0x460b4ff7, 0x0828e354, 0x5147b8a2, 0x4fd2f629,
                             0x0063c4a7, 0x16c445eb, 0x088cbce9, 0xcf1efca8,
                             0xc2671839, 0x819248e7, 0x2bbf3515, 0x358bad8c,
                             0x2c2eb481, 0x102b2621, 0x15c8e950, 0x355fdef9}));
}

TEST(MinHashTest, EmptySet) {
  MinHasher hasher(32, 1);
  const std::vector<uint32_t> sig = hasher.Sign(std::vector<uint64_t>{});
  EXPECT_EQ(sig, std::vector<uint32_t>(32, 0xFFFFFFFFu));
  std::vector<uint32_t> raw(32, 0);
  hasher.Sign(nullptr, 0, raw.data());
  EXPECT_EQ(raw, sig);
  EXPECT_EQ(EstimateJaccard(sig.data(), sig.data(), 32), 0.0);

  SplitMix64 rng(3);
  const std::vector<uint32_t> other = hasher.Sign(RandomSet(rng, 50));
  EXPECT_EQ(EstimateJaccard(sig.data(), other.data(), 32), 0.0);
}

TEST(MinHashTest, SeedsAndOrderMatter) {
  SplitMix64 rng(5);
  std::vector<uint64_t> set = RandomSet(rng, 300);
  MinHasher a(128, 1), a_again(128, 1), b(128, 2);
  const std::vector<uint32_t> sig = a.Sign(set);
  EXPECT_EQ(sig, a_again.Sign(set));
  EXPECT_NE(sig, b.Sign(set));
  std::reverse(set.begin(), set.end());
  EXPECT_EQ(sig, a.Sign(set));  // A set: the order of shingles is irrelevant.
  set.insert(set.end(), set.begin(), set.begin() + 50);
  EXPECT_EQ(sig, a.Sign(set));  // Nor are repeats.
  // Densified signatures depend on the seed too.
  const std::vector<uint64_t> small(set.begin(), set.begin() + 5);
  EXPECT_NE(a.Sign(small), b.Sign(small));
}

TEST(MinHashTest, IdenticalAndDisjointSets) {
  MinHasher hasher(128, kDefaultSeed);
  SplitMix64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<uint64_t> a = RandomSet(rng, 1 + trial * 37);
    const std::vector<uint64_t> b = RandomSet(rng, 1 + trial * 37);
    const std::vector<uint32_t> sa = hasher.Sign(a), sb = hasher.Sign(b);
    EXPECT_EQ(EstimateJaccard(sa.data(), sa.data(), 128), 1.0);
    ASSERT_EQ(ExactJaccard(a, b), 0.0);
    EXPECT_LE(EstimateJaccard(sa.data(), sb.data(), 128), 2.0 / 128);
  }
}

// Each estimate is a mean of k Bernoulli(J) trials: within 4 standard
// deviations of the exact Jaccard, and unbiased over many pairs.
TEST(MinHashTest, EstimatesTrackExactJaccard) {
  constexpr int kPerm = 256;
  MinHasher hasher(kPerm, kDefaultSeed);
  SplitMix64 rng(77);
  double total_error = 0.0, total_variance = 0.0;
  constexpr int kPairs = 300;
  for (int trial = 0; trial < kPairs; ++trial) {
    const std::vector<uint64_t> a = RandomSet(rng, 100 + rng.Next() % 900);
    const double target = (trial % 11) / 10.0;
    const std::vector<uint64_t> b = Variant(rng, a, target);
    const double exact = ExactJaccard(a, b);
    const std::vector<uint32_t> sa = hasher.Sign(a), sb = hasher.Sign(b);
    const double estimate = EstimateJaccard(sa.data(), sb.data(), kPerm);
    const double variance = exact * (1.0 - exact) / kPerm;
    EXPECT_LE(std::abs(estimate - exact), 4.0 * std::sqrt(variance) + 1e-9)
        << "exact " << exact << " estimate " << estimate;
    total_error += estimate - exact;
    total_variance += variance;
  }
  // The mean error of kPairs independent estimates.
  EXPECT_LE(std::abs(total_error / kPairs),
            4.0 * std::sqrt(total_variance) / kPairs);
}

// Sets smaller than the number of bins leave most bins to densification;
// the estimates must stay unbiased there, with a spread no larger than 1.5
// times that of k independent Bernoulli(J) trials.
TEST(MinHashTest, DensifiedEstimatesAreUnbiased) {
  constexpr int kPerm = 128;
  MinHasher hasher(kPerm, kDefaultSeed);
  SplitMix64 rng(1701);
  for (size_t size : {10, 20, 50}) {
    for (double target : {0.2, 0.5, 0.8}) {
      SCOPED_TRACE(::testing::Message() << "size " << size << " J " << target);
      constexpr int kPairs = 1000;
      double sum = 0.0, sum_sq = 0.0, binomial_variance = 0.0;
      for (int p = 0; p < kPairs; ++p) {
        const std::vector<uint64_t> a = RandomSet(rng, size);
        std::vector<uint64_t> b = Variant(rng, a, target);
        if (p % 2 == 1) b.pop_back();  // Sets of different sizes too.
        const double exact = ExactJaccard(a, b);
        const std::vector<uint32_t> sa = hasher.Sign(a), sb = hasher.Sign(b);
        const double error =
            EstimateJaccard(sa.data(), sb.data(), kPerm) - exact;
        sum += error;
        sum_sq += error * error;
        binomial_variance += exact * (1.0 - exact) / kPerm;
      }
      const double mean = sum / kPairs;
      const double variance = sum_sq / kPairs - mean * mean;
      EXPECT_LE(std::abs(mean), 4.0 * std::sqrt(variance / kPairs));
      EXPECT_LE(variance, 1.5 * 1.5 * binomial_variance / kPairs);
    }
  }
}

// Runs of consecutive integers are the structured input that a weak hash
// would bin badly: [0, n) against [s, s + n).
TEST(MinHashTest, ConsecutiveIntegers) {
  constexpr int kPerm = 256;
  MinHasher hasher(kPerm, kDefaultSeed);
  for (uint64_t shift : {0, 100, 250, 500, 750}) {
    std::vector<uint64_t> a, b;
    for (uint64_t x = 0; x < 1000; ++x) {
      a.push_back(x);
      b.push_back(x + shift);
    }
    const double exact = ExactJaccard(a, b);
    const std::vector<uint32_t> sa = hasher.Sign(a), sb = hasher.Sign(b);
    EXPECT_NEAR(EstimateJaccard(sa.data(), sb.data(), kPerm), exact,
                4.0 * std::sqrt(exact * (1.0 - exact) / kPerm) + 1e-9)
        << "shift " << shift;
  }
}

// Every SIMD level gives the portable path's signatures, over set sizes
// that leave every tail length of the four-wide loop and span several
// blocks, and bin counts that are and are not powers of two.
TEST(MinHashTest, SimdLevelsGiveTheSameSignatures) {
  if (!Supports(SimdLevel::kAvx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  SplitMix64 rng(5);
  for (int num_perm : {1, 8, 100, 128, 4096}) {
    const MinHasher scalar(num_perm, 17, SimdLevel::kScalar);
    const MinHasher avx2(num_perm, 17, SimdLevel::kAvx2);
    for (size_t n : {1, 2, 3, 4, 5, 7, 9, 255, 256, 257, 1000, 3001}) {
      const std::vector<uint64_t> set = RandomSet(rng, n);
      ASSERT_EQ(scalar.Sign(set), avx2.Sign(set))
          << "num_perm " << num_perm << " n " << n;
    }
  }
}

TEST(MinHashTest, ContainmentOfSubsetAndSuperset) {
  constexpr int kPerm = 256;
  MinHasher hasher(kPerm, kDefaultSeed);
  SplitMix64 rng(31);
  const std::vector<uint64_t> big = RandomSet(rng, 800);
  std::vector<uint64_t> small(big.begin() + 100, big.begin() + 300);
  const std::vector<uint32_t> s_small = hasher.Sign(small),
                              s_big = hasher.Sign(big);
  const double j = EstimateJaccard(s_small.data(), s_big.data(), kPerm);
  EXPECT_NEAR(j, ExactJaccard(small, big), 0.1);
  EXPECT_NEAR(EstimateContainment(j, small.size(), big.size()),
              ExactContainment(small, big), 0.15);
  EXPECT_NEAR(EstimateContainment(j, big.size(), small.size()),
              ExactContainment(big, small), 0.05);
}

TEST(MinHashTest, ContainmentFormula) {
  EXPECT_EQ(EstimateContainment(0.5, 0, 10), 0.0);
  EXPECT_DOUBLE_EQ(EstimateContainment(1.0, 10, 10), 1.0);
  EXPECT_DOUBLE_EQ(EstimateContainment(0.25, 10, 40), 1.0);   // A in B.
  EXPECT_DOUBLE_EQ(EstimateContainment(0.25, 40, 10), 0.25);  // B in A.
  EXPECT_DOUBLE_EQ(EstimateContainment(0.0, 10, 10), 0.0);
  // Clamped: an over-estimated J cannot make containment exceed 1.
  EXPECT_EQ(EstimateContainment(0.9, 10, 100), 1.0);
}

TEST(MinHashTest, JaccardCountsEqualPositions) {
  std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<uint32_t> b = {1, 2, 3, 0, 5, 0, 7, 0};
  EXPECT_DOUBLE_EQ(EstimateJaccard(a.data(), b.data(), 8), 5.0 / 8);
  EXPECT_DOUBLE_EQ(EstimateJaccard(a.data(), a.data(), 8), 1.0);
}

}  // namespace
}  // namespace syndex
