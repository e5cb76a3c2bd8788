#include "engine/minhash/minhash.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/testing/exact_jaccard.h"

namespace syndex {
namespace {

// A sorted set of `size` random 64-bit values.
std::vector<uint64_t> RandomSet(SplitMix64& rng, size_t size) {
  std::vector<uint64_t> set;
  while (set.size() < size) {
    for (size_t i = set.size(); i < size; ++i) set.push_back(rng.Next());
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  return set;
}

// A set B of the size of `a` with ExactJaccard(a, B) close to `jaccard`:
// keeps s = 2|a|J / (1 + J) elements of `a` and adds fresh ones.
std::vector<uint64_t> Variant(SplitMix64& rng, const std::vector<uint64_t>& a,
                              double jaccard) {
  const size_t keep = static_cast<size_t>(
      std::lround(2.0 * a.size() * jaccard / (1.0 + jaccard)));
  std::vector<uint64_t> b = a;
  for (size_t i = b.size() - 1; i > 0; --i) {  // Fisher-Yates.
    std::swap(b[i], b[rng.Next() % (i + 1)]);
  }
  b.resize(std::min(keep, b.size()));
  std::vector<uint64_t> fresh = RandomSet(rng, a.size() - b.size());
  b.insert(b.end(), fresh.begin(), fresh.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

TEST(MinHashTest, Accessors) {
  MinHasher hasher(64, 99);
  EXPECT_EQ(hasher.num_perm(), 64);
  EXPECT_EQ(hasher.seed(), 99u);
}

// Values computed independently from the scheme in minhash.h; any change to
// the hashing or the parameter stream breaks these.
TEST(MinHashTest, GoldenSignatures) {
  MinHasher hasher(16, 7);
  const std::vector<uint32_t> expected = {
      0x460b4ff7, 0x0828e354, 0x5147b8a2, 0x4fd2f629, 0x0063c4a7, 0x16c445eb,
      0x088cbce9, 0xcf1efca8, 0xc2671839, 0x819248e7, 0x2bbf3515, 0x358bad8c,
      0x2c2eb481, 0x102b2621, 0x15c8e950, 0x355fdef9};
  const std::vector<uint64_t> set = {0x0123456789abcdefULL, 42,
                                     0xffffffffffffffffULL};
  EXPECT_EQ(hasher.Sign(set), expected);
  std::vector<uint32_t> scalar(16);
  hasher.SignScalar(set.data(), set.size(), scalar.data());
  EXPECT_EQ(scalar, expected);

  MinHasher default_hasher(8, kDefaultSeed);
  std::vector<uint64_t> range;
  for (uint64_t x = 1; x <= 100; ++x) range.push_back(x);
  EXPECT_EQ(default_hasher.Sign(range),
            (std::vector<uint32_t>{0x0f881fdf, 0x020494f2, 0x031ae229,
                                   0x032883b4, 0x01f3de2b, 0x01fd16c7,
                                   0x00cfc63a, 0x018716ab}));
}

TEST(MinHashTest, EmptySet) {
  MinHasher hasher(32, 1);
  const std::vector<uint32_t> sig = hasher.Sign(std::vector<uint64_t>{});
  EXPECT_EQ(sig, std::vector<uint32_t>(32, 0xFFFFFFFFu));
  std::vector<uint32_t> scalar(32, 0);
  hasher.SignScalar(nullptr, 0, scalar.data());
  EXPECT_EQ(scalar, sig);
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

// The AVX2 path must give the same bits as the scalar reference, whatever the
// set size, the number of permutations and the values (including the
// extremes of both 32-bit halves).
TEST(MinHashTest, VectorPathsMatchScalar) {
  SplitMix64 rng(2024);
  const uint64_t edges[] = {0, 1, 0xFFFFFFFFULL, 0x100000000ULL,
                            0xFFFFFFFF00000000ULL, 0xFFFFFFFFFFFFFFFFULL,
                            0x8000000080000000ULL};
  for (int num_perm : {8, 16, 24, 64, 128, 136, 256}) {
    for (int trial = 0; trial < 40; ++trial) {
      MinHasher hasher(num_perm, rng.Next());
      const size_t n = rng.Next() % (trial < 20 ? 40 : 3000);
      std::vector<uint64_t> set(n);
      for (auto& x : set) {
        x = rng.Next();
        if (rng.Next() % 8 == 0) x = edges[rng.Next() % 7];
        if (rng.Next() % 8 == 0) x &= 0xFFFFFFFFULL;
      }
      std::vector<uint32_t> scalar(num_perm), dispatched(num_perm);
      hasher.SignScalar(set.data(), n, scalar.data());
      hasher.Sign(set.data(), n, dispatched.data());
      ASSERT_EQ(dispatched, scalar) << "num_perm " << num_perm << " n " << n;
    }
  }
}

TEST(MinHashTest, UsesAvx2WhenAvailable) {
  MinHasher hasher(8, 1);
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  EXPECT_EQ(hasher.UsesAvx2(), static_cast<bool>(__builtin_cpu_supports("avx2")));
#else
  EXPECT_FALSE(hasher.UsesAvx2());
#endif
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

TEST(MinHashTest, ContainmentOfSubsetAndSuperset) {
  constexpr int kPerm = 256;
  MinHasher hasher(kPerm, kDefaultSeed);
  SplitMix64 rng(31);
  const std::vector<uint64_t> big = RandomSet(rng, 800);
  std::vector<uint64_t> small(big.begin() + 100, big.begin() + 300);
  const std::vector<uint32_t> s_small = hasher.Sign(small), s_big = hasher.Sign(big);
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
