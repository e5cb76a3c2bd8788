// syndex-gen: writes a seeded, labeled synthetic news corpus (JSON Lines) and
// its truth table (TSV). See datasets/README.md.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "datasets/generator/generator.h"
#include "engine/util/status_macros.h"

ABSL_FLAG(int64_t, articles, 10000, "Number of articles to write.");
ABSL_FLAG(uint64_t, seed, 1, "Seed; the output depends only on the flags.");
ABSL_FLAG(std::string, output, "", "Corpus path (JSON Lines; .gz compresses).");
ABSL_FLAG(std::string, truth, "", "Truth TSV path (optional; .gz compresses).");
ABSL_FLAG(int, outlets, 200, "Number of regular outlets (5 wires are added).");
ABSL_FLAG(int, min_words, 150, "Minimum words of an original write-up.");
ABSL_FLAG(int, max_words, 1500, "Maximum words of an original write-up.");
ABSL_FLAG(int, threads, 0,
          "Threads making blocks (0: one per core, at most 8). The output does "
          "not depend on it.");
ABSL_FLAG(std::string, style, "lines",
          "Page style: lines (chrome as lines of their own) or web (pages as "
          "scrapers extract them; see datasets/README.md).");
ABSL_FLAG(std::string, mix, syndex::gen::kDefaultMix,
          "Fractions of article kinds: original, related, unrelated, "
          "syndicated, exact, excerpt (normalized to sum to 1).");

namespace syndex {
namespace gen {
namespace {

absl::Status Run() {
  GeneratorOptions options;
  options.articles = absl::GetFlag(FLAGS_articles);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.outlets = absl::GetFlag(FLAGS_outlets);
  options.min_words = absl::GetFlag(FLAGS_min_words);
  options.max_words = absl::GetFlag(FLAGS_max_words);
  SYNDEX_ASSIGN_OR_RETURN(options.mix, ParseMix(absl::GetFlag(FLAGS_mix)));
  const std::string style = absl::GetFlag(FLAGS_style);
  if (style != "lines" && style != "web") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--style: unknown style \"", style, "\" (expected lines or web)"));
  }
  options.web = style == "web";
  const std::string output = absl::GetFlag(FLAGS_output);
  const std::string truth_path = absl::GetFlag(FLAGS_truth);
  if (output.empty()) return absl::InvalidArgumentError("--output is required");
  if (options.articles < 1) {
    return absl::InvalidArgumentError("--articles must be at least 1");
  }
  if (options.outlets < 1 || options.outlets > 1000000) {
    return absl::InvalidArgumentError("--outlets must be in [1, 1000000]");
  }
  if (options.min_words < 20 || options.max_words < options.min_words ||
      options.max_words > 100000) {
    return absl::InvalidArgumentError(
        "need 20 <= --min_words <= --max_words <= 100000");
  }

  const auto start = std::chrono::steady_clock::now();
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<Sink> corpus, Sink::Open(output));
  std::unique_ptr<Sink> truth;
  if (!truth_path.empty()) {
    SYNDEX_ASSIGN_OR_RETURN(truth, Sink::Open(truth_path));
    SYNDEX_RETURN_IF_ERROR(truth->Write(Generator::TruthHeader()));
  }
  int threads = absl::GetFlag(FLAGS_threads);
  if (threads <= 0) {
    threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()),
                         1, 8);
  }
  const Generator generator(options);
  // Makes `threads` blocks at a time in parallel, then writes them in order.
  std::vector<std::string> corpus_bytes(threads), truth_bytes(threads);
  int64_t total_bytes = 0;
  for (int64_t first = 0; first < generator.block_count(); first += threads) {
    const int n = static_cast<int>(
        std::min<int64_t>(threads, generator.block_count() - first));
    std::vector<std::thread> workers;
    for (int i = 1; i < n; ++i) {
      workers.emplace_back([&, i] {
        generator.WriteBlock(first + i, &corpus_bytes[i], &truth_bytes[i]);
      });
    }
    generator.WriteBlock(first, &corpus_bytes[0], &truth_bytes[0]);
    for (std::thread& t : workers) t.join();
    for (int i = 0; i < n; ++i) {
      total_bytes += static_cast<int64_t>(corpus_bytes[i].size());
      SYNDEX_RETURN_IF_ERROR(corpus->Write(corpus_bytes[i]));
      if (truth != nullptr) SYNDEX_RETURN_IF_ERROR(truth->Write(truth_bytes[i]));
      corpus_bytes[i].clear();
      truth_bytes[i].clear();
    }
  }
  SYNDEX_RETURN_IF_ERROR(corpus->Close());
  if (truth != nullptr) SYNDEX_RETURN_IF_ERROR(truth->Close());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::fprintf(stderr,
               "syndex-gen: %lld articles, %.0f bytes/article, %.2f s, "
               "%.0f articles/s\n",
               static_cast<long long>(options.articles),
               static_cast<double>(total_bytes) / options.articles, seconds,
               options.articles / (seconds > 0 ? seconds : 1e-9));
  return absl::OkStatus();
}

}  // namespace
}  // namespace gen
}  // namespace syndex

int main(int argc, char** argv) {
  // --help lists the flags of this file (Abseil's default looks for a file
  // named after the program, which "syndex-gen" does not match).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "syndex_gen_main.cc");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "Writes a seeded synthetic news corpus with planted copies.\n"
      "  syndex-gen --articles 100000 --seed 7 --output corpus.jsonl.gz "
      "--truth truth.tsv");
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = syndex::gen::Run();
  if (!status.ok()) {
    std::fprintf(stderr, "syndex-gen: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
