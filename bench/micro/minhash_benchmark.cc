#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "engine/lsh/lsh.h"
#include "engine/minhash/minhash.h"
#include "engine/util/cpu.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

std::vector<uint64_t> RandomShingles(size_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<uint64_t> shingles(n);
  for (auto& x : shingles) x = rng.Next();
  return shingles;
}

// Signing sets of random shingles with 128 values; sets smaller than 128
// leave bins to densification. The second argument is the SimdLevel.
void BM_MinHash_Sign(benchmark::State& state) {
  const auto level = static_cast<SimdLevel>(state.range(1));
  if (!Supports(level)) return state.SkipWithError("not supported here");
  const MinHasher hasher(128, kDefaultSeed, level);
  const std::vector<uint64_t> shingles = RandomShingles(state.range(0), 1);
  std::vector<uint32_t> sig(128);
  for (auto _ : state) {
    hasher.Sign(shingles.data(), shingles.size(), sig.data());
    benchmark::DoNotOptimize(sig.data());
  }
  state.SetItemsProcessed(state.iterations() * shingles.size());
}
BENCHMARK(BM_MinHash_Sign)
    ->ArgsProduct({{1, 8, 20, 50, 64, 256, 650, 1024, 4096},
                   {static_cast<int>(SimdLevel::kScalar),
                    static_cast<int>(SimdLevel::kAvx2)}});

// Signatures of `n` unrelated documents.
std::vector<uint32_t> RandomSignatures(size_t n) {
  SplitMix64 rng(2);
  std::vector<uint32_t> sigs(n * 128);
  for (auto& v : sigs) v = static_cast<uint32_t>(rng.Next());
  return sigs;
}

void BM_Lsh_AddBatch(benchmark::State& state) {
  const size_t n = state.range(0);
  const std::vector<uint32_t> sigs = RandomSignatures(n);
  const LshParams params = ChooseLshParams(128, 0.5, 0.95);
  for (auto _ : state) {
    LshIndex index(params, kDefaultSeed);
    index.AddBatch(0, sigs.data(), n, 128, 1);
    index.Freeze(1);
    benchmark::DoNotOptimize(&index);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_Lsh_AddBatch)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

void BM_Lsh_Query(benchmark::State& state) {
  const size_t n = state.range(0);
  const std::vector<uint32_t> sigs = RandomSignatures(n);
  LshIndex index(ChooseLshParams(128, 0.5, 0.95), kDefaultSeed);
  index.AddBatch(0, sigs.data(), n, 128, 1);
  index.Freeze(1);
  std::vector<uint32_t> out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    index.Query(sigs.data() + (i++ % n) * 128, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Lsh_Query)->Arg(10000)->Arg(100000);

// One query's candidates by scanning n signatures on one thread, without
// tables: what the first queries of a freshly loaded index do. Bytes are
// the signature values the scan reads (the bands' rows).
void BM_Lsh_Scan(benchmark::State& state) {
  const size_t n = state.range(0);
  const std::vector<uint32_t> sigs = RandomSignatures(n);
  const LshParams params = ChooseLshParams(128, 0.5, 0.95);
  const LshIndex index(params, kDefaultSeed);
  std::vector<uint32_t> out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    index.Scan(sigs.data() + (i++ % n) * 128, sigs.data(), n, 128, 1, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * params.bands *
                          params.rows * sizeof(uint32_t));
}
BENCHMARK(BM_Lsh_Scan)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace syndex

BENCHMARK_MAIN();
