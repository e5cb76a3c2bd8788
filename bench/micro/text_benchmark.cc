// Throughput of the text stages of the copy-detection path on news-like
// articles of about 3,500 bytes: normalization, tokenization, word shingles,
// their distinct count, and character grams. Bytes processed are the
// article's bytes; items are articles.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "engine/shingle/shingle.h"
#include "engine/text/normalize.h"
#include "engine/text/tokenize.h"
#include "engine/util/cpu.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

// Sentences of common words and capitalized names, with the punctuation,
// numbers, curly quotes, dashes and copyright line of real news text.
std::string NewsArticle(uint64_t seed) {
  static const char* const kWords[] = {
      "the",     "said",     "on",        "of",      "and",      "a",
      "to",      "in",       "minister",  "police",  "announced", "new",
      "plan",    "reduce",   "emissions", "by",      "percent",  "over",
      "decade",  "market",   "shares",    "rose",    "after",    "report",
      "court",   "election", "officials", "council", "week",     "would"};
  static const char* const kNames[] = {"Reuters", "Smith",  "Brussels",
                                       "Monday",  "García", "Ottawa"};
  SplitMix64 rng(seed);
  std::string text = "Home | World | Politics\n";
  while (text.size() < 3400) {
    std::string sentence;
    const int words = 8 + static_cast<int>(rng.Next() % 20);
    for (int w = 0; w < words; ++w) {
      const uint64_t r = rng.Next() % 100;
      absl::string_view word = r < 8 ? kNames[r % 6] : kWords[r % 30];
      if (w > 0) sentence += r % 17 == 0 ? ", " : " ";
      if (r % 41 == 0) absl::StrAppend(&sentence, rng.Next() % 10000, " ");
      absl::StrAppend(&sentence, word);
    }
    sentence[0] = static_cast<char>(sentence[0] & ~0x20);
    if (rng.Next() % 5 == 0) {
      sentence = absl::StrCat("\u201c", sentence, ",\u201d he said \u2014 ");
    }
    absl::StrAppend(&text, sentence, rng.Next() % 6 == 0 ? ".\n" : ". ");
  }
  absl::StrAppend(&text, "\n\u00a9 2024 The Daily Example. All rights.");
  return text;
}

constexpr int kArticles = 64;

const std::vector<std::string>& Articles() {
  static const auto* articles = [] {
    auto* a = new std::vector<std::string>();
    for (int i = 0; i < kArticles; ++i) a->push_back(NewsArticle(i));
    return a;
  }();
  return *articles;
}

const std::vector<std::string>& Normalized() {
  static const auto* normalized = [] {
    auto* n = new std::vector<std::string>();
    for (const std::string& a : Articles()) n->push_back(NormalizeText(a));
    return n;
  }();
  return *normalized;
}

const std::vector<std::vector<absl::string_view>>& TokenLists() {
  static const auto* lists = [] {
    auto* l = new std::vector<std::vector<absl::string_view>>();
    for (const std::string& text : Normalized()) {
      l->emplace_back();
      Tokenize(text, &l->back());
    }
    return l;
  }();
  return *lists;
}

// Runs `step` on article i for i = 0, 1, ... and reports the articles' bytes.
template <typename Step>
void PerArticle(benchmark::State& state, Step step) {
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    step(i);
    bytes += Articles()[i].size();
    i = (i + 1) % kArticles;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations());
}

void BM_Text_Normalize(benchmark::State& state) {
  PerArticle(state, [](size_t i) {
    benchmark::DoNotOptimize(NormalizeText(Articles()[i]));
  });
}
BENCHMARK(BM_Text_Normalize);

void BM_Text_Tokenize(benchmark::State& state) {
  std::vector<absl::string_view> tokens;
  PerArticle(state, [&tokens](size_t i) {
    tokens.clear();
    Tokenize(Normalized()[i], &tokens);
    benchmark::DoNotOptimize(tokens.data());
  });
}
BENCHMARK(BM_Text_Tokenize);

// Token and window hashes, with the tokens' text (as the index hashes them)
// or without it (arg 0), which reads each token's bytes alone.
void BM_Shingle_Sequence(benchmark::State& state) {
  const bool with_text = state.range(0) != 0;
  PerArticle(state, [with_text](size_t i) {
    const absl::string_view text =
        with_text ? absl::string_view(Normalized()[i]) : absl::string_view();
    benchmark::DoNotOptimize(ShingleSequence(TokenLists()[i], {}, text));
  });
}
BENCHMARK(BM_Shingle_Sequence)->Arg(1)->Arg(0);

void BM_Shingle_CountDistinct(benchmark::State& state) {
  std::vector<std::vector<uint64_t>> sequences;
  for (const auto& tokens : TokenLists()) {
    sequences.push_back(ShingleSequence(tokens, {}));
  }
  PerArticle(state, [&sequences](size_t i) {
    benchmark::DoNotOptimize(
        CountDistinct(sequences[i].data(), sequences[i].size()));
  });
}
BENCHMARK(BM_Shingle_CountDistinct);

// The string the character grams are taken from (SampleCharGrams).
void BM_Shingle_JoinTokens(benchmark::State& state) {
  std::string joined;
  PerArticle(state, [&joined](size_t i) {
    JoinTokens(Normalized()[i], TokenLists()[i], &joined);
    benchmark::DoNotOptimize(joined.data());
  });
}
BENCHMARK(BM_Shingle_JoinTokens);

// The character grams kept for signing, at each SIMD level.
void BM_Shingle_SampleCharGrams(benchmark::State& state) {
  const auto level = static_cast<SimdLevel>(state.range(0));
  if (!Supports(level)) return state.SkipWithError("not supported here");
  std::vector<std::string> joined(Articles().size());
  for (size_t i = 0; i < joined.size(); ++i) {
    JoinTokens(Normalized()[i], TokenLists()[i], &joined[i]);
  }
  std::vector<uint64_t> grams;
  PerArticle(state, [&](size_t i) {
    SampleCharGrams(joined[i], kDefaultSeed, &grams, level);
    benchmark::DoNotOptimize(grams.data());
  });
}
BENCHMARK(BM_Shingle_SampleCharGrams)
    ->Arg(static_cast<int>(SimdLevel::kScalar))
    ->Arg(static_cast<int>(SimdLevel::kAvx2));

}  // namespace
}  // namespace syndex

BENCHMARK_MAIN();
