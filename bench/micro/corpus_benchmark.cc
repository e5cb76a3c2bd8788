// Throughput of JsonlReader over a generated JSON Lines file of news-sized
// articles (about 2 KB each), plain and gzip-compressed. Bytes processed are
// the uncompressed bytes.

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

constexpr int kArticles = 16000;

std::string MakeContents() {
  static const char* const kWords[] = {
      "government", "said",   "on",      "Monday", "the",   "minister",
      "announced",  "a",      "new",     "plan",   "to",    "reduce",
      "emissions",  "by",     "percent", "over",   "next",  "decade",
      "Reuters",    "market", "shares",  "rose",   "after", "report"};
  SplitMix64 rng(kDefaultSeed);
  std::string out;
  for (int i = 0; i < kArticles; ++i) {
    std::string text;
    while (text.size() < 2000) {
      absl::StrAppend(&text, kWords[rng.Next() % 24], " ");
    }
    absl::StrAppend(&out, R"({"id":"doc-)", i, R"(","title":"Title )", i,
                    R"(","source":"example.com","url":"https://example.com/)",
                    i, R"(","published":"2024-01-15T10:30:00Z","text":")",
                    text, "\"}\n");
  }
  return out;
}

// The generated input, written once to temporary files removed at exit.
struct Input {
  Input() {
    std::string contents = MakeContents();
    bytes = contents.size();
    plain = Write("corpus_bench_XXXXXX", contents, false);
    gzip = Write("corpus_bench_gz_XXXXXX", contents, true);
  }
  ~Input() {
    unlink(plain.c_str());
    unlink(gzip.c_str());
  }

  static std::string Write(const char* pattern, const std::string& contents,
                           bool compress) {
    std::string path = std::string("/tmp/") + pattern;
    int fd = mkstemp(path.data());
    if (fd < 0) return "";
    close(fd);
    if (compress) {
      gzFile gz = gzopen(path.c_str(), "wb6");
      gzwrite(gz, contents.data(), contents.size());
      gzclose(gz);
    } else {
      FILE* f = std::fopen(path.c_str(), "wb");
      std::fwrite(contents.data(), 1, contents.size(), f);
      std::fclose(f);
    }
    return path;
  }

  size_t bytes = 0;
  std::string plain;
  std::string gzip;
};

const Input& GetInput() {
  static const Input* input = new Input;
  static const struct Cleanup {
    ~Cleanup() { delete input; }
  } cleanup;
  return *input;
}

void ReadAll(benchmark::State& state, const std::string& path) {
  int64_t articles = 0;
  for (auto _ : state) {
    auto reader = JsonlReader::Open(path, {});
    if (!reader.ok()) {
      state.SkipWithError(std::string(reader.status().message()).c_str());
      return;
    }
    Article article;
    for (;;) {
      absl::StatusOr<bool> more = (*reader)->Next(&article);
      if (!more.ok()) {
        state.SkipWithError(std::string(more.status().message()).c_str());
        return;
      }
      if (!*more) break;
      ++articles;
    }
  }
  state.SetBytesProcessed(state.iterations() * GetInput().bytes);
  state.SetItemsProcessed(articles);
}

void BM_Corpus_ReadJsonl(benchmark::State& state) {
  ReadAll(state, GetInput().plain);
}
BENCHMARK(BM_Corpus_ReadJsonl)->Unit(benchmark::kMillisecond);

void BM_Corpus_ReadJsonlGz(benchmark::State& state) {
  ReadAll(state, GetInput().gzip);
}
BENCHMARK(BM_Corpus_ReadJsonlGz)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace syndex

BENCHMARK_MAIN();
