#include "engine/vector_store/vector_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "engine/util/hash.h"
#include "gtest/gtest.h"
#include "tests/testing/brute_force_cosine.h"

namespace syndex {
namespace {

constexpr int kDims = 32;

// `n` unit vectors around `clusters` random centres (clustered, like
// documents about a few stories), deterministic in `seed`.
std::vector<float> ClusteredVectors(int64_t n, int clusters, uint64_t seed) {
  SplitMix64 rng(seed);
  auto uniform = [&] { return static_cast<float>(rng.NextDouble() * 2 - 1); };
  std::vector<float> centres(clusters * kDims);
  for (float& x : centres) x = uniform();
  std::vector<float> out(n * kDims);
  for (int64_t i = 0; i < n; ++i) {
    const float* centre = &centres[(rng.Next() % clusters) * kDims];
    double norm2 = 0;
    for (int d = 0; d < kDims; ++d) {
      out[i * kDims + d] = centre[d] + 0.4f * uniform();
      norm2 += double{out[i * kDims + d]} * out[i * kDims + d];
    }
    const float scale = static_cast<float>(1 / std::sqrt(norm2));
    for (int d = 0; d < kDims; ++d) out[i * kDims + d] *= scale;
  }
  return out;
}

uint32_t Bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof(b));
  return b;
}

struct Results {
  std::vector<float> scores;
  std::vector<int64_t> ids;
};

Results SearchAll(const VectorStore& store, const std::vector<float>& queries,
                  int k) {
  const int64_t n = static_cast<int64_t>(queries.size()) / kDims;
  Results r{std::vector<float>(n * k), std::vector<int64_t>(n * k)};
  EXPECT_TRUE(
      store.Search(n, queries.data(), k, r.scores.data(), r.ids.data()).ok());
  return r;
}

// Of the k vectors of `base` nearest to each of `n` queries (n x kDims),
// the share that `ids` (n x k, as a search returns them) holds.
double Recall(const std::vector<float>& base, const float* queries, int n,
              const std::vector<int64_t>& ids, int k) {
  int hits = 0;
  for (int q = 0; q < n; ++q) {
    std::set<int64_t> want;
    for (const BruteForceHit& h :
         BruteForceTopK(base, kDims, queries + q * kDims, k)) {
      want.insert(h.id);
    }
    for (int j = 0; j < k; ++j) hits += want.count(ids[q * k + j]);
  }
  return hits / (static_cast<double>(n) * k);
}

std::unique_ptr<VectorStore> MakeStore(const std::vector<float>& base,
                                       int64_t exact_limit) {
  VectorStoreOptions options;
  options.exact_limit = exact_limit;
  const int64_t n = static_cast<int64_t>(base.size()) / kDims;
  auto store = VectorStore::Create(kDims, n, base.data(), n, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  EXPECT_TRUE((*store)->Add(n, base.data()).ok());
  return std::move(store).value();
}

// `vectors` as a store keeps them: rounded to half precision.
std::vector<float> AsStored(const std::vector<float>& vectors) {
  std::unique_ptr<VectorStore> store = MakeStore(vectors, 50000);
  std::vector<float> out;
  if (store == nullptr) return out;
  for (const float* v : store->Vectors()) out.insert(out.end(), v, v + kDims);
  return out;
}

TEST(VectorStoreTest, FlatStoreIsExact) {
  const std::vector<float> base = AsStored(ClusteredVectors(1000, 20, 1));
  const std::vector<float> queries = ClusteredVectors(50, 20, 2);
  auto store = MakeStore(base, /*exact_limit=*/50000);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Describe(), "flat");
  EXPECT_EQ(store->size(), 1000);
  constexpr int kK = 10;
  const Results got = SearchAll(*store, queries, kK);
  for (int q = 0; q < 50; ++q) {
    const std::vector<BruteForceHit> want =
        BruteForceTopK(base, kDims, &queries[q * kDims], kK);
    for (int j = 0; j < kK; ++j) {
      EXPECT_NEAR(got.scores[q * kK + j], want[j].score, 1e-5);
      // Ids agree unless two scores tie within float rounding.
      if (got.ids[q * kK + j] != want[j].id) {
        EXPECT_NEAR(BruteForceDot(&base[got.ids[q * kK + j] * kDims],
                                  &queries[q * kDims], kDims),
                    want[j].score, 1e-5);
      }
    }
  }
}

TEST(VectorStoreTest, MissingResultsHaveIdMinusOne) {
  const std::vector<float> base = ClusteredVectors(3, 2, 1);
  auto store = MakeStore(base, 50000);
  ASSERT_NE(store, nullptr);
  const Results got = SearchAll(*store, ClusteredVectors(1, 2, 5), 5);
  std::set<int64_t> found(got.ids.begin(), got.ids.begin() + 3);
  EXPECT_EQ(found, (std::set<int64_t>{0, 1, 2}));
  EXPECT_EQ(got.ids[3], -1);
  EXPECT_EQ(got.ids[4], -1);
}

TEST(VectorStoreTest, IvfStoreHasHighRecall) {
  constexpr int64_t kN = 5000;
  const std::vector<float> base = ClusteredVectors(kN, 50, 3);
  const std::vector<float> queries = ClusteredVectors(200, 50, 4);
  auto store = MakeStore(base, /*exact_limit=*/1000);
  ASSERT_NE(store, nullptr);
  // 4 sqrt(5000) = 283 lists, fewer than 5000 / 39 = 128 allows.
  EXPECT_EQ(store->Describe(), "ivf128");
  EXPECT_EQ(store->size(), kN);
  constexpr int kK = 10;
  const Results got = SearchAll(*store, queries, kK);
  const double recall = Recall(base, queries.data(), 200, got.ids, kK);
  EXPECT_GE(recall, 0.9);
}

// A batch large enough to be split between threads gives the same answer
// on any number of threads, and as the queries one by one.
TEST(VectorStoreTest, BatchesAgreeAcrossThreadCountsAndWithSingleQueries) {
  const std::vector<float> base = ClusteredVectors(4000, 40, 11);
  const std::vector<float> queries = ClusteredVectors(300, 40, 12);
  constexpr int kK = 7;
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    std::vector<Results> batches;
    for (int threads : {1, 2, 3}) {
      VectorStoreOptions options;
      options.exact_limit = exact_limit;
      options.threads = threads;
      auto store =
          VectorStore::Create(kDims, 4000, base.data(), 4000, options);
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE((*store)->Add(4000, base.data()).ok());
      batches.push_back(SearchAll(**store, queries, kK));
      if (threads != 2) continue;
      for (int q = 0; q < 300; q += 37) {
        const std::vector<float> one(&queries[q * kDims],
                                     &queries[(q + 1) * kDims]);
        const Results single = SearchAll(**store, one, kK);
        for (int j = 0; j < kK; ++j) {
          EXPECT_EQ(single.ids[j], batches.back().ids[q * kK + j]);
          EXPECT_NEAR(single.scores[j], batches.back().scores[q * kK + j],
                      1e-5);
        }
      }
    }
    EXPECT_EQ(batches[0].ids, batches[1].ids) << exact_limit;
    EXPECT_EQ(batches[0].ids, batches[2].ids) << exact_limit;
    // Scores may differ in the last bits: BLAS kernels round by the shape
    // of the product.
    for (size_t i = 0; i < batches[0].scores.size(); ++i) {
      EXPECT_NEAR(batches[0].scores[i], batches[2].scores[i], 1e-5);
    }
  }
}

TEST(VectorStoreTest, SubsetHoldsTheChosenVectorsInTheSameLists) {
  const std::vector<float> base = AsStored(ClusteredVectors(3000, 30, 13));
  std::vector<uint32_t> chosen;
  for (uint32_t i = 0; i < 3000; i += 3) chosen.push_back(i);
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    auto store = MakeStore(base, exact_limit);
    ASSERT_NE(store, nullptr);
    auto subset = store->Subset(chosen);
    ASSERT_TRUE(subset.ok()) << subset.status();
    EXPECT_EQ((*subset)->size(), 1000);
    EXPECT_EQ((*subset)->Describe(), store->Describe());
    const std::vector<const float*> vectors = (*subset)->Vectors();
    for (size_t j = 0; j < chosen.size(); ++j) {
      EXPECT_TRUE(std::equal(vectors[j], vectors[j] + kDims,
                             &base[chosen[j] * kDims]))
          << j;
    }
  }
}

// SearchStored finds, for every stored query, nearly what an exact search
// finds: with a flat store exactly, with IVF lists at high recall.
TEST(VectorStoreTest, SearchStoredMatchesBruteForce) {
  const std::vector<float> base = AsStored(ClusteredVectors(4000, 40, 14));
  std::vector<uint32_t> chosen;
  for (uint32_t i = 0; i < 4000; i += 2) chosen.push_back(i);
  std::vector<float> chosen_rows;
  for (uint32_t i : chosen) {
    chosen_rows.insert(chosen_rows.end(), &base[i * kDims],
                       &base[(i + 1) * kDims]);
  }
  constexpr int kK = 5;
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    auto store = MakeStore(base, exact_limit);
    ASSERT_NE(store, nullptr);
    auto subset = store->Subset(chosen);
    ASSERT_TRUE(subset.ok()) << subset.status();
    Results got{std::vector<float>(4000 * kK), std::vector<int64_t>(4000 * kK)};
    ASSERT_TRUE(
        (*subset)->SearchStored(*store, kK, got.scores.data(), got.ids.data())
            .ok());
    const double recall = Recall(chosen_rows, base.data(), 4000, got.ids, kK);
    if (exact_limit == 50000) {
      EXPECT_GE(recall, 0.999);
    } else {
      EXPECT_GE(recall, 0.9);
    }
  }
  // Stores with other lists are refused.
  auto a = MakeStore(base, 100);
  auto b = MakeStore(ClusteredVectors(4000, 40, 15), 100);
  std::vector<float> scores(4000 * kK);
  std::vector<int64_t> ids(4000 * kK);
  EXPECT_EQ(a->SearchStored(*b, kK, scores.data(), ids.data()).code(),
            absl::StatusCode::kInvalidArgument);
}

// Per-query probe counts: all lists give the plain search's results, fewer
// lists a subset of the candidates, 0 no results.
TEST(VectorStoreTest, SearchStoredProbesPerQuery) {
  const std::vector<float> base = AsStored(ClusteredVectors(3000, 30, 16));
  constexpr int kK = 5;
  auto store = MakeStore(base, 100);
  ASSERT_NE(store, nullptr);
  Results all{std::vector<float>(3000 * kK), std::vector<int64_t>(3000 * kK)};
  ASSERT_TRUE(
      store->SearchStored(*store, kK, all.scores.data(), all.ids.data()).ok());
  std::vector<uint8_t> probes(3000);
  for (size_t i = 0; i < probes.size(); ++i) {
    probes[i] = i % 3 == 0 ? 255 : i % 3;  // 255: all lists.
  }
  Results got{std::vector<float>(3000 * kK), std::vector<int64_t>(3000 * kK)};
  ASSERT_TRUE(store
                  ->SearchStored(*store, kK, probes, got.scores.data(),
                                 got.ids.data())
                  .ok());
  probes.assign(3000, 0);
  Results none{std::vector<float>(3000 * kK), std::vector<int64_t>(3000 * kK)};
  ASSERT_TRUE(store
                  ->SearchStored(*store, kK, probes, none.scores.data(),
                                 none.ids.data())
                  .ok());
  int fewer = 0;
  for (int q = 0; q < 3000; ++q) {
    const auto row = [&](const Results& r) {
      return std::vector<int64_t>(r.ids.begin() + q * kK,
                                  r.ids.begin() + (q + 1) * kK);
    };
    if (q % 3 == 0) {
      EXPECT_EQ(row(got), row(all)) << q;
    }
    // Fewer lists never find a better k-th neighbour (scores differ in the
    // last bits with the shape of the matrix products).
    EXPECT_LE(got.scores[q * kK + kK - 1], all.scores[q * kK + kK - 1] + 1e-5)
        << q;
    fewer += row(got) != row(all);
    EXPECT_EQ(row(none), std::vector<int64_t>(kK, -1)) << q;
  }
  EXPECT_GT(fewer, 0);
  // One count per query.
  probes.resize(10);
  EXPECT_EQ(store
                ->SearchStored(*store, kK, probes, got.scores.data(),
                               got.ids.data())
                .code(),
            absl::StatusCode::kInvalidArgument);
}

std::string Bytes(const VectorStore& store) {
  std::string bytes;
  ByteWriter writer(&bytes);
  store.AppendTo(&writer);
  return bytes;
}

void ExpectRoundTrip(const VectorStore& store,
                     const std::vector<float>& queries) {
  const std::string bytes = Bytes(store);
  ByteReader reader(bytes, "vectors");
  auto back = VectorStore::ReadFrom(&reader, VectorStoreOptions());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_EQ((*back)->Describe(), store.Describe());
  EXPECT_EQ((*back)->size(), store.size());
  EXPECT_EQ((*back)->dims(), kDims);
  const Results a = SearchAll(store, queries, 10);
  const Results b = SearchAll(**back, queries, 10);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.scores, b.scores);
}

TEST(VectorStoreTest, RoundTripGivesIdenticalResults) {
  const std::vector<float> base = ClusteredVectors(3000, 30, 6);
  const std::vector<float> queries = ClusteredVectors(40, 30, 7);
  auto flat = MakeStore(base, 50000);
  auto ivf = MakeStore(base, 100);
  ASSERT_NE(flat, nullptr);
  ASSERT_NE(ivf, nullptr);
  EXPECT_EQ(flat->Describe(), "flat");
  EXPECT_NE(ivf->Describe(), "flat");
  ExpectRoundTrip(*flat, queries);
  ExpectRoundTrip(*ivf, queries);
}

// A store read from bytes holds its lists packed (PackedLists); adding to
// it, taking a subset of it and writing it again must work as on the store
// that was written.
TEST(VectorStoreTest, ReadStoreGrowsCopiesAndWritesLikeTheOriginal) {
  const std::vector<float> base = ClusteredVectors(3000, 30, 21);
  const std::vector<float> more = AsStored(ClusteredVectors(500, 30, 22));
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    auto written = MakeStore(base, exact_limit);
    ASSERT_NE(written, nullptr);
    const std::string bytes = Bytes(*written);
    ByteReader reader(bytes, "vectors");
    auto read = VectorStore::ReadFrom(&reader, VectorStoreOptions());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(Bytes(**read), bytes);

    std::vector<uint32_t> chosen = {0, 7, 2999};
    auto subset = (*read)->Subset(chosen);
    ASSERT_TRUE(subset.ok()) << subset.status();
    auto subset_of_written = written->Subset(chosen);
    ASSERT_TRUE(subset_of_written.ok()) << subset_of_written.status();
    EXPECT_EQ(Bytes(**subset), Bytes(**subset_of_written)) << exact_limit;

    ASSERT_TRUE((*read)->Add(500, more.data()).ok());
    ASSERT_TRUE(written->Add(500, more.data()).ok());
    EXPECT_EQ((*read)->size(), 3500);
    EXPECT_EQ(Bytes(**read), Bytes(*written)) << exact_limit;
    const std::vector<float> query(more.begin() + 3 * kDims,
                                   more.begin() + 4 * kDims);
    const Results found = SearchAll(**read, query, 1);
    EXPECT_EQ(found.ids[0], 3003) << exact_limit;
  }
}

TEST(VectorStoreTest, SingleQueriesSeeVectorsAddedAfterThem) {
  // Single queries read the store's copy as halves once it exists; Add must
  // renew it.
  const std::vector<float> base = ClusteredVectors(3000, 30, 13);
  const std::vector<float> more = ClusteredVectors(500, 30, 14);
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    VectorStoreOptions options;
    options.exact_limit = exact_limit;
    auto store = VectorStore::Create(kDims, 3500, base.data(), 3000, options);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Add(3000, base.data()).ok());
    const std::vector<float> query(more.begin(), more.begin() + kDims);
    // Enough single searches that the last ones read the copy.
    Results before;
    for (int i = 0; i <= VectorStore::kFloatSearches; ++i) {
      before = SearchAll(**store, query, 1);
    }
    EXPECT_LT(before.ids[0], 3000);
    ASSERT_TRUE((*store)->Add(500, more.data()).ok());
    const Results after = SearchAll(**store, query, 1);
    EXPECT_EQ(after.ids[0], 3000) << exact_limit;
    EXPECT_NEAR(after.scores[0], 1.0f, 1e-3) << exact_limit;
  }
}

TEST(VectorStoreTest, SingleSearchesAgreeBeforeAndAfterTheHalfCopy) {
  // The first single searches read the floats, the later ones the copy as
  // halves: every one must give the same bits.
  const std::vector<float> base = ClusteredVectors(3000, 30, 21);
  const std::vector<float> queries = ClusteredVectors(3, 30, 22);
  for (int64_t exact_limit : {int64_t{50000}, int64_t{100}}) {
    auto store = MakeStore(base, exact_limit);
    ASSERT_NE(store, nullptr);
    const Results first = SearchAll(*store, queries, 20);
    for (int i = 0; i < 2 * VectorStore::kFloatSearches; ++i) {
      const Results again = SearchAll(*store, queries, 20);
      ASSERT_EQ(again.ids, first.ids) << exact_limit << " search " << i;
      for (size_t j = 0; j < first.scores.size(); ++j) {
        ASSERT_EQ(Bits(again.scores[j]), Bits(first.scores[j]))
            << exact_limit << " search " << i << " score " << j;
      }
    }
  }
}

TEST(VectorStoreTest, VectorsAreKeptAtHalfPrecision) {
  const std::vector<float> base = ClusteredVectors(200, 5, 9);
  auto flat = MakeStore(base, 50000);
  ASSERT_NE(flat, nullptr);
  const std::vector<const float*> stored = flat->Vectors();
  int changed = 0;
  for (size_t i = 0; i < stored.size(); ++i) {
    for (int d = 0; d < kDims; ++d) {
      const float x = base[i * kDims + d], y = stored[i][d];
      // Within half a unit in the last place of binary16 (11 bits).
      EXPECT_LE(std::abs(x - y), std::ldexp(std::abs(x), -11) + 1e-7f);
      changed += x != y;
    }
  }
  EXPECT_GT(changed, 0);
  // Header (dims, kind) and an array of 2-byte values.
  EXPECT_EQ(Bytes(*flat).size(), 4 + 1 + 8 + base.size() * 2);
}

// True if `bytes` read as a whole.
bool Reads(absl::string_view bytes) {
  ByteReader reader(bytes, "vectors");
  return VectorStore::ReadFrom(&reader, {}).ok() && reader.remaining() == 0;
}

TEST(VectorStoreTest, TruncatedDataIsAnError) {
  const std::vector<float> base = ClusteredVectors(500, 10, 8);
  for (int64_t limit : {int64_t{50000}, int64_t{100}}) {
    auto store = MakeStore(base, limit);
    ASSERT_NE(store, nullptr);
    const std::string bytes = Bytes(*store);
    for (size_t len = 0; len < bytes.size(); len += 97) {
      EXPECT_FALSE(Reads(absl::string_view(bytes).substr(0, len))) << len;
    }
    EXPECT_TRUE(Reads(bytes));
  }
}

// The IVF layout: u32 dims, u8 kind, array<f32> centroids, array<u64> list
// sizes, array<u32> ids, array<u16> vectors.
struct IvfParts {
  std::vector<float> centroids;
  std::vector<uint64_t> sizes;
  std::vector<uint32_t> ids;
  std::vector<uint16_t> halves;

  std::string Bytes(uint32_t dims = kDims, uint8_t kind = 1) const {
    std::string bytes;
    ByteWriter w(&bytes);
    w.U32(dims);
    w.U8(kind);
    w.Array(centroids);
    w.Array(sizes);
    w.Array(ids);
    w.Array(halves);
    return bytes;
  }
};

IvfParts Parse(const std::string& bytes) {
  ByteReader r(bytes, "vectors");
  uint32_t dims;
  uint8_t kind;
  IvfParts p;
  EXPECT_TRUE(r.U32(&dims).ok() && r.U8(&kind).ok() &&
              r.Array(&p.centroids).ok() && r.Array(&p.sizes).ok() &&
              r.Array(&p.ids).ok() && r.Array(&p.halves).ok());
  EXPECT_EQ(r.remaining(), 0u);
  return p;
}

TEST(VectorStoreTest, InconsistentListsAreErrors) {
  const std::vector<float> base = ClusteredVectors(500, 10, 8);
  auto ivf = MakeStore(base, 100);
  ASSERT_NE(ivf, nullptr);
  const IvfParts good = Parse(Bytes(*ivf));
  ASSERT_EQ(good.ids.size(), 500u);
  ASSERT_TRUE(Reads(good.Bytes()));
  EXPECT_FALSE(Reads(good.Bytes(kDims + 1)));  // Dims disagree.
  EXPECT_FALSE(Reads(good.Bytes(kDims, 0)));   // Kind disagrees.
  EXPECT_FALSE(Reads(good.Bytes(kDims, 2)));   // Unknown kind.
  EXPECT_FALSE(Reads(good.Bytes(0)));
  IvfParts p = good;
  p.ids[7] = p.ids[8];  // An id twice, another missing.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.ids[3] = 500;  // Out of range.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  ++p.sizes[0];  // Sizes sum beyond the ids.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.sizes[0] = uint64_t{1} << 63;  // Sizes that wrap around.
  p.sizes[1] = uint64_t{1} << 63;
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.sizes.pop_back();  // One list too few.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.centroids.pop_back();  // Not a multiple of dims.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.halves.resize(p.halves.size() - kDims);  // One vector missing.
  EXPECT_FALSE(Reads(p.Bytes()));
  p = good;
  p.centroids.clear();  // No lists.
  p.sizes.clear();
  EXPECT_FALSE(Reads(p.Bytes()));
  // A flat store whose size is not a multiple of dims.
  std::string flat;
  ByteWriter w(&flat);
  w.U32(kDims);
  w.U8(0);
  w.Array(std::vector<uint16_t>(kDims + 1, 0));
  EXPECT_FALSE(Reads(flat));
}

TEST(VectorStoreTest, InvalidArgumentsAreErrors) {
  VectorStoreOptions options;
  EXPECT_FALSE(VectorStore::Create(0, 10, nullptr, 0, options).ok());
  options.exact_limit = 10;
  // An IVF store without training vectors.
  EXPECT_EQ(
      VectorStore::Create(kDims, 100, nullptr, 0, options).status().code(),
      absl::StatusCode::kInvalidArgument);
  auto flat = MakeStore(ClusteredVectors(10, 2, 1), 50000);
  ASSERT_NE(flat, nullptr);
  float score;
  int64_t id;
  EXPECT_FALSE(
      flat->Search(1, ClusteredVectors(1, 2, 1).data(), 0, &score, &id).ok());
}

}  // namespace
}  // namespace syndex
