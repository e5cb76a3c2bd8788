#include "engine/clustering/candidates.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "engine/clustering/pairs.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

constexpr int kPerm = 128;

// An LSH index over `sigs` (n x kPerm), with the default banding.
LshIndex Build(const std::vector<uint32_t>& sigs) {
  LshIndex lsh(ChooseLshParams(kPerm, 0.5, 0.95), 7);
  lsh.AddBatch(0, sigs.data(), sigs.size() / kPerm, kPerm, 2);
  lsh.Freeze(2);
  return lsh;
}

// `n` random signatures, of which docs [copies_begin, copies_end) repeat
// the signature of doc copies_begin.
std::vector<uint32_t> Signatures(size_t n, size_t copies_begin,
                                 size_t copies_end) {
  std::mt19937 rng(11);
  std::vector<uint32_t> sigs(n * kPerm);
  for (uint32_t& v : sigs) v = rng();
  for (size_t d = copies_begin + 1; d < copies_end; ++d) {
    std::copy_n(&sigs[copies_begin * kPerm], kPerm, &sigs[d * kPerm]);
  }
  return sigs;
}

std::vector<uint32_t> Identity(size_t n) {
  std::vector<uint32_t> ids(n);
  std::iota(ids.begin(), ids.end(), 0u);
  return ids;
}

TEST(CandidatesTest, SmallBucketsGiveAllTheirPairs) {
  // Docs 10..19 share every band: 45 pairs, nothing else.
  const LshIndex lsh = Build(Signatures(100, 10, 20));
  CandidateCounts counts;
  const std::vector<uint64_t> pairs = LshCandidatePairs(
      lsh, Identity(100), Identity(100), CandidateOptions(), &counts);
  ASSERT_EQ(pairs.size(), 45u);
  EXPECT_EQ(pairs.front(), PairKey(10, 11));
  EXPECT_EQ(pairs.back(), PairKey(18, 19));
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(counts.pairs, 45u);
  EXPECT_EQ(counts.capped_buckets, 0u);
  EXPECT_EQ(counts.largest_bucket, 10u);
}

TEST(CandidatesTest, ExactDuplicatesCollapseBeforeAnyPair) {
  // 20,000 copies of one text in 30,000 documents, all standing for doc
  // 5,000: no pair at all among them.
  const size_t n = 30000;
  const LshIndex lsh = Build(Signatures(n, 5000, 25000));
  std::vector<uint32_t> rep = Identity(n);
  for (size_t d = 5000; d < 25000; ++d) rep[d] = 5000;
  CandidateCounts counts;
  const std::vector<uint64_t> pairs =
      LshCandidatePairs(lsh, rep, Identity(n), CandidateOptions(), &counts);
  EXPECT_TRUE(pairs.empty());
  EXPECT_EQ(counts.buckets, 0u);
}

TEST(CandidatesTest, AHugeBucketGivesPairsLinearInItsSize) {
  // 20,000 distinct texts sharing every band (near duplicates): all their
  // pairs would be 2e8; each text pairs with the first 16 and the 16
  // before it in canonical order, here the reverse of id order.
  const size_t n = 30000, begin = 5000, end = 25000, m = end - begin;
  const LshIndex lsh = Build(Signatures(n, begin, end));
  std::vector<uint32_t> rank(n);
  for (size_t d = 0; d < n; ++d) rank[d] = static_cast<uint32_t>(n - 1 - d);
  const CandidateOptions options;
  CandidateCounts counts;
  const std::vector<uint64_t> pairs =
      LshCandidatePairs(lsh, Identity(n), rank, options, &counts);
  EXPECT_EQ(counts.largest_bucket, m);
  EXPECT_EQ(counts.capped_buckets, static_cast<uint64_t>(lsh.params().bands));
  EXPECT_LT(pairs.size(), (options.heads + options.window) * m);
  // Every text is paired with the bucket's first text in canonical order
  // (the highest id) and with the one just before it.
  const uint32_t head = end - 1;
  for (uint32_t d = begin; d + 1 < end; ++d) {
    EXPECT_TRUE(
        std::binary_search(pairs.begin(), pairs.end(), PairKey(d, head)))
        << d;
    EXPECT_TRUE(
        std::binary_search(pairs.begin(), pairs.end(), PairKey(d, d + 1)))
        << d;
  }
}

}  // namespace
}  // namespace syndex
