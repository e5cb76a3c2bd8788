#include "engine/lsh/lsh.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "engine/minhash/minhash.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/testing/exact_jaccard.h"

namespace syndex {
namespace {

using Pair = std::pair<uint32_t, uint32_t>;

TEST(LshTest, CandidateProbability) {
  const LshParams params{20, 5};
  EXPECT_DOUBLE_EQ(CandidateProbability(1.0, params), 1.0);
  EXPECT_DOUBLE_EQ(CandidateProbability(0.0, params), 0.0);
  EXPECT_NEAR(CandidateProbability(0.5, params),
              1.0 - std::pow(1.0 - 1.0 / 32, 20), 1e-12);
  // Increasing in j.
  for (double j = 0.05; j < 1.0; j += 0.05) {
    EXPECT_LT(CandidateProbability(j, params),
              CandidateProbability(j + 0.05, params));
  }
}

TEST(LshTest, ChooseParamsMeetsRecallWithMaximalRows) {
  for (int num_perm : {64, 128, 256}) {
    for (double threshold : {0.3, 0.5, 0.6, 0.7, 0.8, 0.9}) {
      for (double min_recall : {0.9, 0.95, 0.99}) {
        const LshParams p = ChooseLshParams(num_perm, threshold, min_recall);
        SCOPED_TRACE(testing::Message() << num_perm << " " << threshold << " "
                                        << min_recall);
        ASSERT_GE(p.rows, 1);
        ASSERT_GE(p.bands, 1);
        EXPECT_LE(p.bands * p.rows, num_perm);
        EXPECT_GE(CandidateProbability(threshold, p), min_recall);
        // No more rows can reach the recall with any allowed band count.
        for (int rows = p.rows + 1; rows <= num_perm; ++rows) {
          EXPECT_LT(CandidateProbability(threshold,
                                         LshParams{num_perm / rows, rows}),
                    min_recall);
        }
        // And no fewer bands with these rows.
        if (p.bands > 1) {
          EXPECT_LT(CandidateProbability(threshold,
                                         LshParams{p.bands - 1, p.rows}),
                    min_recall);
        }
      }
    }
  }
}

TEST(LshTest, ChooseParamsEdgeCases) {
  const LshParams one = ChooseLshParams(128, 1.0, 0.95);
  EXPECT_EQ(one.rows, 128);
  EXPECT_EQ(one.bands, 1);
  const LshParams zero = ChooseLshParams(128, 0.0, 0.95);
  EXPECT_EQ(zero.rows, 1);
  EXPECT_EQ(zero.bands, 128);
}

// Signatures that agree exactly on one band are candidates; signatures that
// differ in every band are not.
TEST(LshTest, SharedBandMakesCandidate) {
  const LshParams params{4, 3};
  std::vector<uint32_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<uint32_t> y = x, z = x;
  for (int i = 0; i < 12; ++i) {
    if (i / 3 != 2) y[i] += 100;  // y shares band 2 with x.
    if (i % 3 == 0) z[i] += 100;  // z differs from x in every band.
  }
  LshIndex index(params, kDefaultSeed);
  index.Add(0, x.data());
  index.Add(1, y.data());
  index.Add(2, z.data());
  index.Freeze(1);
  std::vector<uint32_t> out = {77};  // Query appends.
  index.Query(x.data(), &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{77, 0, 1}));
  out.clear();
  index.Query(z.data(), &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{2}));
  std::set<Pair> pairs;
  index.ForEachCandidatePair(100, [&](uint32_t a, uint32_t b) {
    EXPECT_LT(a, b);
    pairs.insert({a, b});
  });
  EXPECT_EQ(pairs, (std::set<Pair>{{0, 1}}));
}

TEST(LshTest, BandKeysDependOnSeed) {
  // The same values in different bands, or under different seeds, must not
  // collide: with a per-band seed, x's band 0 and y's band 1 differ.
  const LshParams params{2, 2};
  const std::vector<uint32_t> x = {5, 6, 1, 1}, y = {2, 2, 5, 6};
  LshIndex index(params, 9);
  index.Add(0, x.data());
  index.Add(1, y.data());
  index.Freeze(2);
  std::vector<uint32_t> out;
  index.Query(y.data(), &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{1}));
}

TEST(LshTest, BucketsOverMaxAreChained) {
  const LshParams params{8, 4};
  const int stride = 32;
  SplitMix64 rng(4);
  std::vector<uint32_t> sigs(20 * stride);
  for (auto& v : sigs) v = static_cast<uint32_t>(rng.Next());
  // Documents 3, 5, 8, 9, 12, 17 have one identical signature.
  const std::vector<uint32_t> same = {3, 5, 8, 9, 12, 17};
  for (uint32_t id : same) {
    std::copy(sigs.begin(), sigs.begin() + stride, sigs.begin() + id * stride);
  }
  std::copy(sigs.begin() + 3 * stride, sigs.begin() + 4 * stride,
            sigs.begin());  // And document 0: seven in all.
  LshIndex index(params, 1);
  index.AddBatch(0, sigs.data(), 20, stride, 2);
  index.Freeze(2);

  const std::vector<uint32_t> members = {0, 3, 5, 8, 9, 12, 17};
  std::set<Pair> all_pairs, chain;
  for (size_t i = 0; i < members.size(); ++i) {
    if (i > 0) chain.insert({members[i - 1], members[i]});
    for (size_t j = i + 1; j < members.size(); ++j) {
      all_pairs.insert({members[i], members[j]});
    }
  }
  std::set<Pair> got;
  int calls = 0;
  index.ForEachCandidatePair(6, [&](uint32_t a, uint32_t b) {
    got.insert({a, b});
    ++calls;
  });
  EXPECT_EQ(got, chain);
  EXPECT_EQ(calls, 8 * 6);  // Once per band per chain link.

  got.clear();
  calls = 0;
  index.ForEachCandidatePair(7, [&](uint32_t a, uint32_t b) {
    got.insert({a, b});
    ++calls;
  });
  EXPECT_EQ(got, all_pairs);
  EXPECT_EQ(calls, 8 * 21);
}

TEST(LshTest, AddAndAddBatchAgree) {
  const LshParams params{16, 8};
  const int stride = 130;  // More values than bands x rows.
  SplitMix64 rng(8);
  const size_t n = 3000;
  std::vector<uint32_t> sigs(n * stride);
  // Small values, so that many bands collide.
  for (auto& v : sigs) v = static_cast<uint32_t>(rng.Next() % 2);
  LshIndex batch(params, 3), single(params, 3);
  batch.AddBatch(100, sigs.data(), n / 2, stride, 2);
  batch.AddBatch(100 + n / 2, sigs.data() + (n / 2) * stride, n - n / 2,
                 stride, 1);
  for (size_t i = n; i-- > 0;) {  // Any order of ids.
    single.Add(static_cast<uint32_t>(100 + i), sigs.data() + i * stride);
  }
  batch.Freeze(2);
  single.Freeze(1);
  for (size_t i = 0; i < n; i += 97) {
    std::vector<uint32_t> a, b;
    batch.Query(sigs.data() + i * stride, &a);
    single.Query(sigs.data() + i * stride, &b);
    EXPECT_EQ(a, b);
    EXPECT_TRUE(std::binary_search(a.begin(), a.end(), 100 + i));
  }
}

// Tables large enough to be sorted by buckets of key bits, with runs of
// equal keys (values from {0, 1, 2}) far longer than a bucket: each query
// gives exactly the documents whose rows agree with it in some band.
TEST(LshTest, LargeTablesMatchBandsOfEqualRows) {
  const LshParams params{8, 3};
  const int stride = params.bands * params.rows;
  const size_t n = 20000;
  SplitMix64 rng(12);
  std::vector<uint32_t> sigs(n * stride);
  for (auto& v : sigs) v = static_cast<uint32_t>(rng.Next() % 3);
  // Half of the documents get random values in bands 4..7 too, so that
  // keys there spread over the buckets.
  for (size_t i = 0; i < n; i += 2) {
    for (int j = 4 * params.rows; j < stride; ++j) {
      sigs[i * stride + j] = static_cast<uint32_t>(rng.Next());
    }
  }
  LshIndex index(params, 5);
  index.AddBatch(0, sigs.data(), n, stride, 2);
  index.Freeze(2);
  auto same_band = [&](size_t a, size_t b, int band) {
    const uint32_t* x = &sigs[a * stride + band * params.rows];
    const uint32_t* y = &sigs[b * stride + band * params.rows];
    return std::equal(x, x + params.rows, y);
  };
  for (size_t q = 1; q < n; q += 1999) {
    std::vector<uint32_t> expected;
    for (size_t d = 0; d < n; ++d) {
      for (int band = 0; band < params.bands; ++band) {
        if (same_band(q, d, band)) {
          expected.push_back(static_cast<uint32_t>(d));
          break;
        }
      }
    }
    std::vector<uint32_t> got;
    index.Query(&sigs[q * stride], &got);
    ASSERT_EQ(got, expected) << "query " << q;
  }
}

// Scan gives what Query gives, without tables, on any number of threads,
// for stored and for new signatures, appending to what `out` holds.
TEST(LshTest, ScanMatchesQuery) {
  const LshParams params{8, 3};
  const int stride = 30;  // More values than bands x rows.
  const size_t n = 50000;  // Several chunks of the scan.
  SplitMix64 rng(21);
  std::vector<uint32_t> sigs(n * stride);
  for (auto& v : sigs) v = static_cast<uint32_t>(rng.Next() % 5);
  LshIndex tables(params, 9);
  tables.AddBatch(0, sigs.data(), n, stride, 2);
  tables.Freeze(2);
  const LshIndex no_tables(params, 9);
  std::vector<uint32_t> fresh(stride);
  for (auto& v : fresh) v = static_cast<uint32_t>(rng.Next() % 5);
  std::vector<const uint32_t*> queries = {fresh.data()};
  for (size_t q = 7; q < n; q += 9973) queries.push_back(&sigs[q * stride]);
  for (const uint32_t* query : queries) {
    std::vector<uint32_t> want = {99};
    tables.Query(query, &want);
    ASSERT_GT(want.size(), 1u);
    for (int threads : {1, 2, 3}) {
      std::vector<uint32_t> got = {99};
      no_tables.Scan(query, sigs.data(), n, stride, threads, &got);
      EXPECT_EQ(got, want) << threads;
    }
  }
}

// ~2000 random sets with planted near-duplicates: up to 3 variants of each
// base set at Jaccard uniform in [0.2, 1].
std::vector<std::vector<uint64_t>> PlantedSets(size_t count, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<std::vector<uint64_t>> sets;
  while (sets.size() < count) {
    std::vector<uint64_t> base(40 + rng.Next() % 160);
    for (auto& x : base) x = rng.Next();
    std::sort(base.begin(), base.end());
    sets.push_back(base);
    const int variants = static_cast<int>(rng.Next() % 4);
    for (int v = 0; v < variants && sets.size() < count; ++v) {
      const double j = 0.2 + 0.8 * rng.NextDouble();
      const size_t keep =
          static_cast<size_t>(std::lround(2.0 * base.size() * j / (1.0 + j)));
      std::vector<uint64_t> copy = base;
      for (size_t i = copy.size() - 1; i > 0; --i) {
        std::swap(copy[i], copy[rng.Next() % (i + 1)]);
      }
      copy.resize(keep);
      while (copy.size() < base.size()) copy.push_back(rng.Next());
      std::sort(copy.begin(), copy.end());
      sets.push_back(copy);
    }
  }
  return sets;
}

// Checked against the exact all-pairs oracle: (a) every pair with Jaccard at
// least threshold + 0.1 is a candidate, (b) Query gives the document and
// exactly its pair partners, (c) candidates are far fewer than all pairs.
TEST(LshTest, AgreesWithExactOracle) {
  constexpr int kPerm = 128;
  constexpr uint32_t kDocs = 2000;
  const std::vector<std::vector<uint64_t>> sets = PlantedSets(kDocs, 20240611);
  MinHasher hasher(kPerm, kDefaultSeed);
  std::vector<uint32_t> sigs(size_t{kDocs} * kPerm);
  for (uint32_t i = 0; i < kDocs; ++i) {
    hasher.Sign(sets[i].data(), sets[i].size(), sigs.data() + i * kPerm);
  }
  const std::vector<Pair> similar = ExactPairsAtLeast(sets, 0.6);

  for (double threshold : {0.5, 0.7}) {
    SCOPED_TRACE(threshold);
    const LshParams params = ChooseLshParams(kPerm, threshold, 0.95);
    LshIndex index(params, kDefaultSeed);
    index.AddBatch(0, sigs.data(), kDocs, kPerm, 2);
    index.Freeze(2);

    std::set<Pair> candidates;
    std::vector<std::vector<uint32_t>> partners(kDocs);
    index.ForEachCandidatePair(std::numeric_limits<size_t>::max(),
                               [&](uint32_t a, uint32_t b) {
                                 EXPECT_LT(a, b);
                                 candidates.insert({a, b});
                                 partners[a].push_back(b);
                                 partners[b].push_back(a);
                               });

    size_t checked = 0;
    for (const Pair& p : similar) {
      const double j = ExactJaccard(sets[p.first], sets[p.second]);
      if (j < threshold + 0.1) continue;
      ++checked;
      EXPECT_TRUE(candidates.count(p))
          << p.first << "-" << p.second << " J=" << j;
    }
    EXPECT_GT(checked, 100u);  // The planted pairs are there.

    for (uint32_t i = 0; i < kDocs; ++i) {
      std::vector<uint32_t> expected = partners[i];
      expected.push_back(i);
      std::sort(expected.begin(), expected.end());
      expected.erase(std::unique(expected.begin(), expected.end()),
                     expected.end());
      std::vector<uint32_t> got;
      index.Query(sigs.data() + i * kPerm, &got);
      ASSERT_EQ(got, expected) << "document " << i;
    }

    EXPECT_LT(candidates.size(), size_t{kDocs} * (kDocs - 1) / 2 / 100);
  }
}

}  // namespace
}  // namespace syndex

namespace syndex {
namespace {

// Random signatures in which about a third of the documents copy the bands
// of an earlier one, so that buckets hold several documents.
std::vector<uint32_t> SharedBandSignatures(size_t n, int stride,
                                           uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<uint32_t> sigs(n * stride);
  for (size_t i = 0; i < n; ++i) {
    for (int v = 0; v < stride; ++v) {
      sigs[i * stride + v] = static_cast<uint32_t>(rng.Next() % 4);
    }
  }
  return sigs;
}

TEST(LshTest, AddFrozenAgreesWithAFreshBuild) {
  const LshParams params{8, 2};
  const int stride = 16;
  const size_t n = 3000;
  const std::vector<uint32_t> sigs = SharedBandSignatures(n, stride, 11);
  LshIndex fresh(params, 5);
  fresh.AddBatch(0, sigs.data(), n, stride, 2);
  fresh.Freeze(2);
  // Built from the first 100, then grown in batches of 1 to 300 (some
  // merge the side tables into the main ones, some do not).
  LshIndex grown(params, 5);
  grown.AddBatch(0, sigs.data(), 100, stride, 2);
  grown.Freeze(2);
  for (size_t at = 100, batch = 1; at < n; at += batch, batch = batch * 3 % 301) {
    const size_t count = std::min(batch, n - at);
    grown.AddFrozen(static_cast<uint32_t>(at), &sigs[at * stride], count,
                    stride);
  }
  for (size_t q = 0; q < n; q += 7) {
    std::vector<uint32_t> a, b;
    fresh.Query(&sigs[q * stride], &a);
    grown.Query(&sigs[q * stride], &b);
    ASSERT_EQ(a, b) << q;
  }
  std::set<std::pair<uint32_t, uint32_t>> pairs_fresh, pairs_grown;
  fresh.ForEachCandidatePair(1000, [&](uint32_t a, uint32_t b) {
    pairs_fresh.emplace(a, b);
  });
  grown.ForEachCandidatePair(1000, [&](uint32_t a, uint32_t b) {
    pairs_grown.emplace(a, b);
  });
  EXPECT_EQ(pairs_fresh, pairs_grown);
}

}  // namespace
}  // namespace syndex
