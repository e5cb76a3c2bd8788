#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/projection/projection.h"
#include "engine/tfidf/tfidf.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

constexpr int kWords = 50000;

// Word ranks with a Zipf-like (log-uniform) distribution, like the terms of
// news text.
uint32_t ZipfRank(SplitMix64* rng) {
  return static_cast<uint32_t>(std::pow(double{kWords}, rng->NextDouble())) - 1;
}

const std::vector<std::string>& Words() {
  static const auto* words = [] {
    auto* w = new std::vector<std::string>();
    for (int i = 0; i < kWords; ++i) w->push_back(absl::StrCat("word", i));
    return w;
  }();
  return *words;
}

std::vector<absl::string_view> Document(int tokens, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<absl::string_view> doc;
  for (int i = 0; i < tokens; ++i) doc.push_back(Words()[ZipfRank(&rng)]);
  return doc;
}

// A vocabulary that has seen `docs` documents of 300 tokens.
Vocabulary Corpus(int docs) {
  Vocabulary v;
  for (const std::string& w : Words()) v.FindOrAdd(w);
  for (int d = 0; d < docs; ++d)
    v.AddDocument(v.Count(Document(300, d), false));
  return v;
}

void BM_TfIdf_Count(benchmark::State& state) {
  Vocabulary v = Corpus(0);
  const std::vector<absl::string_view> doc = Document(state.range(0), 7);
  const bool grow = state.range(1) != 0;
  for (auto _ : state) {
    TermCounts counts = v.Count(doc, grow);
    benchmark::DoNotOptimize(counts.ids.data());
  }
  state.SetItemsProcessed(state.iterations() * doc.size());
  state.SetLabel(grow ? "grow" : "frozen");
}
BENCHMARK(BM_TfIdf_Count)->ArgsProduct({{100, 500, 2000}, {0, 1}});

void BM_TfIdf_Weigh(benchmark::State& state) {
  const Vocabulary v = Corpus(2000);
  const TermCounts counts = v.CountFrozen(Document(state.range(0), 7));
  for (auto _ : state) {
    SparseVector w = v.Weigh(counts);
    benchmark::DoNotOptimize(w.values.data());
  }
  state.SetItemsProcessed(state.iterations() * counts.ids.size());
}
BENCHMARK(BM_TfIdf_Weigh)->Arg(100)->Arg(500)->Arg(2000);

// The cosine of two weighted documents (candidate verification, story
// edges): a merge of their sorted term ids.
void BM_TfIdf_Dot(benchmark::State& state) {
  const Vocabulary v = Corpus(2000);
  const SparseVector a = v.Weigh(v.CountFrozen(Document(state.range(0), 7)));
  const SparseVector b = v.Weigh(v.CountFrozen(Document(state.range(0), 8)));
  for (auto _ : state) {
    float dot = Dot(a, b);
    benchmark::DoNotOptimize(dot);
  }
  state.SetItemsProcessed(state.iterations() * (a.size() + b.size()));
}
BENCHMARK(BM_TfIdf_Dot)->Arg(300)->Arg(2000);

void BM_TfIdf_WeightTables(benchmark::State& state) {
  const Vocabulary v = Corpus(2000);
  const TermCounts counts = v.CountFrozen(Document(state.range(0), 7));
  const std::vector<uint16_t> counts16(counts.counts.begin(),
                                       counts.counts.end());
  const WeightTables tables(v, 2, 1);
  std::vector<float> out(counts.ids.size());
  for (auto _ : state) {
    tables.WeighInPlace(counts.ids.data(), counts16.data(), out.size(),
                        out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * counts.ids.size());
}
BENCHMARK(BM_TfIdf_WeightTables)->Arg(500);

// Making the weight tables of a vocabulary of kWords terms, most of them
// rare (as ExtendDerived does at every apply of the service).
void BM_TfIdf_BuildWeightTables(benchmark::State& state) {
  const Vocabulary v = Corpus(2000);
  for (auto _ : state) {
    const WeightTables tables(v, 2, 1);
    benchmark::DoNotOptimize(&tables);
  }
  state.SetItemsProcessed(state.iterations() * v.size());
}
BENCHMARK(BM_TfIdf_BuildWeightTables);

// A query's cosine with a stored candidate from its raw counts, as
// QueryId scores candidates (WeightTables::Dot against a SparseLookup of
// the query), against weighing the candidate and merging (Weigh + Dot).
void BM_TfIdf_CandidateCosine(benchmark::State& state) {
  const Vocabulary v = Corpus(2000);
  const SparseVector q = v.Weigh(v.CountFrozen(Document(500, 7)));
  const TermCounts counts = v.CountFrozen(Document(500, 8));
  const std::vector<uint16_t> counts16(counts.counts.begin(),
                                       counts.counts.end());
  const WeightTables tables(v, 2, 1);
  const SparseLookup lookup(View(q));
  const bool one_pass = state.range(0) != 0;
  std::vector<float> w(counts.ids.size());
  for (auto _ : state) {
    float dot;
    if (one_pass) {
      dot = tables.Dot(lookup, counts.ids.data(), counts16.data(), w.size());
    } else {
      tables.WeighInPlace(counts.ids.data(), counts16.data(), w.size(),
                          w.data());
      dot = Dot(View(q), View(NonZeros({counts.ids.data(), w.data(),
                                        w.size()})));
    }
    benchmark::DoNotOptimize(dot);
  }
  state.SetItemsProcessed(state.iterations() * counts.ids.size());
  state.SetLabel(one_pass ? "one pass" : "weigh + merge");
}
BENCHMARK(BM_TfIdf_CandidateCosine)->Arg(0)->Arg(1);

void BM_Projection_Project(benchmark::State& state) {
  const Vocabulary v = Corpus(3000);
  std::vector<SparseVector> sample;
  for (int d = 0; d < 3000; ++d)
    sample.push_back(v.Weigh(v.CountFrozen(Document(300, d))));
  std::vector<uint32_t> df(v.size());
  for (uint32_t id = 0; id < v.size(); ++id) df[id] = v.df(id);
  ProjectionOptions options;
  options.dims = state.range(1);
  auto projection = Projection::Train(sample, df, options);
  if (!projection.ok()) {
    state.SkipWithError(std::string(projection.status().message()).c_str());
    return;
  }
  const SparseVector x = v.Weigh(v.CountFrozen(Document(state.range(0), 99)));
  std::vector<float> out(options.dims);
  for (auto _ : state) {
    projection->Project(x, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * x.size());
}
BENCHMARK(BM_Projection_Project)->ArgsProduct({{300, 2000}, {128, 256}});

}  // namespace
}  // namespace syndex

BENCHMARK_MAIN();
