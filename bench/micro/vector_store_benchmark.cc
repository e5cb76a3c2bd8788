#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "engine/util/hash.h"
#include "engine/util/cpu.h"
#include "engine/vector_store/half_dot.h"
#include "engine/vector_store/vector_store.h"

namespace syndex {
namespace {

// `n` unit vectors of `dims` dimensions around 100 random centres.
std::vector<float> ClusteredVectors(int64_t n, int dims, uint64_t seed) {
  SplitMix64 rng(seed);
  auto uniform = [&] { return static_cast<float>(rng.NextDouble() * 2 - 1); };
  std::vector<float> centres(100 * dims);
  for (float& x : centres) x = uniform();
  std::vector<float> out(n * dims);
  for (int64_t i = 0; i < n; ++i) {
    const float* centre = &centres[(rng.Next() % 100) * dims];
    float* v = &out[i * dims];
    double norm2 = 0;
    for (int d = 0; d < dims; ++d) {
      v[d] = centre[d] + 0.5f * uniform();
      norm2 += double{v[d]} * v[d];
    }
    for (int d = 0; d < dims; ++d) v[d] /= static_cast<float>(std::sqrt(norm2));
  }
  return out;
}

// A store holding `n` vectors; IVF when `ivf`, trained on at most 10000 of
// them (k-means on more would dominate the run).
std::unique_ptr<VectorStore> Store(int64_t n, int dims, bool ivf,
                                   const std::vector<float>& base) {
  VectorStoreOptions options;
  options.exact_limit = ivf ? 0 : n;
  auto store = VectorStore::Create(dims, n, base.data(),
                                   std::min<int64_t>(n, 10000), options);
  if (!store.ok()) return nullptr;
  if (!(*store)->Add(n, base.data()).ok()) return nullptr;
  return std::move(store).value();
}

void BM_VectorStore_Add(benchmark::State& state) {
  const int dims = state.range(0);
  const bool ivf = state.range(1) != 0;
  constexpr int64_t kBatch = 10000;
  const std::vector<float> batch = ClusteredVectors(kBatch, dims, 1);
  auto store = Store(kBatch, dims, ivf, batch);
  if (store == nullptr) {
    state.SkipWithError("could not build the store");
    return;
  }
  for (auto _ : state) {
    if (!store->Add(kBatch, batch.data()).ok()) state.SkipWithError("add");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetLabel(store->Describe());
}
BENCHMARK(BM_VectorStore_Add)
    ->ArgsProduct({{128, 256}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// Args: stored vectors, IVF or flat, queries per call (fewer than 8 read
// the vectors as halves; more share BLAS products).
void BM_VectorStore_Search(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int dims = 256;
  const bool ivf = state.range(1) != 0;
  const int queries_per_call = state.range(2);
  const std::vector<float> base = ClusteredVectors(n, dims, 2);
  auto store = Store(n, dims, ivf, base);
  if (store == nullptr) {
    state.SkipWithError("could not build the store");
    return;
  }
  constexpr int kK = 10;
  const std::vector<float> queries =
      ClusteredVectors(queries_per_call, dims, 3);
  std::vector<float> scores(queries_per_call * kK);
  std::vector<int64_t> ids(queries_per_call * kK);
  for (auto _ : state) {
    if (!store->Search(queries_per_call, queries.data(), kK, scores.data(),
                       ids.data())
             .ok()) {
      state.SkipWithError("search");
    }
  }
  state.SetItemsProcessed(state.iterations() * queries_per_call);
  state.SetLabel(store->Describe());
}
BENCHMARK(BM_VectorStore_Search)
    ->Args({10000, 0, 100})
    ->Args({50000, 0, 100})
    ->Args({50000, 1, 100})
    ->Args({10000, 0, 1})
    ->Args({50000, 0, 1})
    ->Args({50000, 1, 1})
    ->Unit(benchmark::kMicrosecond);

// Inner products of one query with 1,000 vectors of 256 values, at
// SimdLevel range(0) (0 scalar, 1 AVX2): range(1) 0 reads them as halves
// (HalfDots, 0.5 MB, in cache), 1 as floats (FloatDots, 1 MB, as the first
// single searches read them). Bytes are the values read.
void BM_HalfDots(benchmark::State& state) {
  const SimdLevel level =
      state.range(0) == 0 ? SimdLevel::kScalar : SimdLevel::kAvx2;
  if (!Supports(level)) {
    state.SkipWithError("this CPU lacks the level");
    return;
  }
  const bool floats = state.range(1) == 1;
  constexpr int kDims = 256;
  constexpr size_t kCount = 1000;
  std::vector<float> base = ClusteredVectors(kCount, kDims, 4);
  std::vector<uint16_t> halves(base.size());
  FloatsToHalves(base.data(), base.size(), halves.data());
  HalvesToFloats(halves.data(), halves.size(), base.data());
  std::vector<float> out(kCount);
  for (auto _ : state) {
    if (floats) {
      FloatDots(base.data(), base.data(), kCount, kDims, out.data(), level);
    } else {
      HalfDots(base.data(), halves.data(), kCount, kDims, out.data(), level);
    }
    benchmark::DoNotOptimize(out.data());
  }
  const size_t bytes = floats ? sizeof(float) : sizeof(uint16_t);
  state.SetItemsProcessed(state.iterations() * kCount);
  state.SetBytesProcessed(state.iterations() * base.size() * bytes);
}
BENCHMARK(BM_HalfDots)->ArgsProduct({{0, 1}, {0, 1}});

}  // namespace
}  // namespace syndex

BENCHMARK_MAIN();
