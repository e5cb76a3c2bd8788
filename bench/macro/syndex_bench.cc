// syndex-bench: times the copy-detection path on one thread, then reads a
// JSON Lines corpus, builds an index from it, reloads it, clusters it and
// queries it, and reports the time, CPU, memory and disk of each step
// (docs/BENCHMARKS.md).
//
//   syndex-bench --corpus corpus.jsonl [--holdout more.jsonl] [--index DIR]
//                [--queries 1000] [--candidates 0] [--key-term-candidates 50]
//                [--threads 0] [--seed 1] [--json]

#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/features/features.h"
#include "engine/lsh/lsh.h"
#include "engine/syndex.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

constexpr int kTopK = 10;
// Articles the copy-path step reads at most.
constexpr int64_t kCopyPathArticles = 200000;

struct BenchFlags {
  std::string corpus;
  std::string holdout;
  std::string index_dir;
  int queries = 1000;
  int exact = 200;
  int candidates = 0;
  int key_term_candidates = QueryOptions().key_term_candidates;
  int threads = 0;
  uint64_t seed = 1;
  bool json = false;
};

double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU seconds of the calling thread alone (user + system).
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

double PeakRssMiB() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux.
}

// Wall and CPU seconds of one step, and the process's peak RSS after it.
struct Step {
  std::string name;
  double wall = 0;
  double cpu = 0;
  double peak_rss_mib = 0;
};

// Measures a step from construction to Stop.
class StepTimer {
 public:
  explicit StepTimer(std::string name)
      : name_(std::move(name)),
        start_(std::chrono::steady_clock::now()),
        cpu_start_(CpuSeconds()) {}
  Step Stop() const {
    const double wall = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start_)
                            .count();
    return Step{name_, wall, CpuSeconds() - cpu_start_, PeakRssMiB()};
  }

 private:
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
};

struct Latency {
  std::string name;
  int count = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

// Nearest-rank percentiles of `ms` (sorted here).
Latency Percentiles(std::string name, std::vector<double> ms) {
  Latency out{std::move(name), static_cast<int>(ms.size())};
  if (ms.empty()) return out;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    const size_t i = static_cast<size_t>(std::ceil(p * ms.size()));
    return ms[std::clamp<size_t>(i, 1, ms.size()) - 1];
  };
  out.p50_ms = rank(0.50);
  out.p95_ms = rank(0.95);
  out.p99_ms = rank(0.99);
  out.max_ms = ms.back();
  return out;
}

// Runs `query(i)` for i in [0, n) and returns the latency of each call.
template <typename Fn>
absl::StatusOr<std::vector<double>> TimeQueries(int n, Fn query) {
  std::vector<double> ms;
  ms.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto start = std::chrono::steady_clock::now();
    absl::Status st = query(i);
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
    if (!st.ok()) return st;
  }
  return ms;
}

uint64_t DirBytes(const std::string& dir) {
  uint64_t bytes = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// How many of the exhaustive search's matches QueryId also returned.
struct Agreement {
  int queries = 0;
  int64_t copies = 0, copies_found = 0;
  int64_t related = 0, related_found = 0;
  double exhaustive_p50_ms = 0;
};

// The stages of the copy path, timed apart in a second pass.
enum CopyStage {
  kRead,
  kNormalize,
  kStrip,
  kTokenize,
  kShingles,
  kDistinct,
  kWordMinHash,
  kJoin,
  kCharMinHash,
  kLsh,
  kCopyStages
};
constexpr const char* kCopyStageNames[kCopyStages] = {
    "read",     "normalize",    "strip", "tokenize",     "shingles",
    "distinct", "word_minhash", "join",  "char_minhash", "lsh"};
// The stage of each step of the feature pipeline (FeatureStep order).
constexpr CopyStage kStageOfStep[kFeatureSteps] = {
    kNormalize, kStrip, kTokenize, kShingles, kDistinct,
    kWordMinHash, kJoin, kCharMinHash};

struct Results {
  Agreement agreement;
  int64_t articles = 0;
  int64_t copy_path_articles = 0;
  int64_t copy_path_shingles = 0;  // Distinct word shingles, summed.
  Step copy_path;
  double copy_path_thread_cpu = 0;  // Of the thread that ran it.
  // The pass with a timer per stage: its articles and the microseconds per
  // article of each CopyStage.
  int64_t stage_articles = 0;
  std::array<double, kCopyStages> stage_us = {};
  int64_t holdout_articles = 0;
  int threads = 0;
  uint64_t index_bytes = 0;
  std::string vector_index;
  int64_t stories = 0;
  int64_t copy_groups = 0;
  std::vector<Step> steps;
  std::vector<Latency> latencies;
};

// Compares QueryId with an exhaustive QueryId on `docs`: of the matches the
// exhaustive search returns, how many copies and related articles QueryId
// returns too (matches of a lower story score, relation none, are not
// counted).
absl::Status MeasureAgreement(const Index& index, const QueryOptions& query,
                              const std::vector<uint32_t>& docs,
                              Agreement* out) {
  QueryOptions exhaustive = query;
  exhaustive.exhaustive = true;
  std::vector<double> ms;
  for (uint32_t doc : docs) {
    const std::string& id = index.article(doc).id;
    SYNDEX_ASSIGN_OR_RETURN(std::vector<Match> fast, index.QueryId(id, query));
    const auto start = std::chrono::steady_clock::now();
    SYNDEX_ASSIGN_OR_RETURN(std::vector<Match> exact,
                            index.QueryId(id, exhaustive));
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
    for (const Match& m : exact) {
      const bool found =
          std::any_of(fast.begin(), fast.end(),
                      [&](const Match& f) { return f.doc == m.doc; });
      if (IsCopy(m.relation)) {
        ++out->copies;
        out->copies_found += found;
      } else if (m.relation == Relation::kRelated) {
        ++out->related;
        out->related_found += found;
      }
    }
  }
  out->queries = static_cast<int>(docs.size());
  out->exhaustive_p50_ms = Percentiles("", std::move(ms)).p50_ms;
  return absl::OkStatus();
}

// Articles of the pass with a timer per stage.
constexpr uint32_t kStageArticles = 20000;

// Charges the wall time since the previous Lap to a stage; does nothing
// without a `seconds` array, so that the timed pass alone pays for the
// clock reads.
class Laps {
 public:
  explicit Laps(double* seconds)
      : seconds_(seconds), last_(std::chrono::steady_clock::now()) {}
  void Lap(CopyStage stage) {
    if (seconds_ == nullptr) return;
    const auto now = std::chrono::steady_clock::now();
    seconds_[stage] += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  double* seconds_;
  std::chrono::steady_clock::time_point last_;
};

// The copy-detection path on one thread over the first `max_articles`
// articles of `corpus`, as the index runs it for each article: read the
// JSON line, compute its features (FeatureExtractor: normalize, tokenize,
// hash the word shingles and the character grams, sign both with MinHash),
// and add the signatures to the LSH tables (then sort them, as the first
// query does). No chrome is removed: the model is learned from the corpus,
// so the strip step only copies the text. Adds each stage's seconds to
// `stage_seconds` (kCopyStages values) unless it is null.
absl::Status RunCopyPath(const std::string& corpus, uint32_t max_articles,
                         double* stage_seconds, uint32_t* articles,
                         int64_t* distinct_shingles) {
  const IndexParams params;
  const FeatureExtractor extractor(params.features());
  LshIndex lsh(ChooseLshParams(params.num_perm, params.lsh_threshold,
                               params.lsh_min_recall),
               params.seed);
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<JsonlReader> reader,
                          JsonlReader::Open(corpus, ReaderOptions()));
  Article article;
  CopyFeatures features;
  std::vector<absl::string_view> tokens;
  // Signatures go to the LSH tables in batches, as the index adds them.
  constexpr uint32_t kBatch = 4096;
  std::vector<uint32_t> signatures(size_t{kBatch} * params.num_perm);
  uint32_t n = 0;
  Laps laps(stage_seconds);
  const StepObserver observer = [&laps](FeatureStep step) {
    laps.Lap(kStageOfStep[static_cast<int>(step)]);
  };
  while (n < max_articles) {
    SYNDEX_ASSIGN_OR_RETURN(bool more, reader->Next(&article));
    laps.Lap(kRead);
    if (!more) break;
    extractor.Extract(article, nullptr, &features, &tokens,
                      stage_seconds != nullptr ? &observer : nullptr);
    *distinct_shingles += features.shingles;
    std::copy(features.signature.begin(), features.signature.end(),
              &signatures[size_t{n % kBatch} * params.num_perm]);
    if (++n % kBatch == 0) {
      lsh.AddBatch(n - kBatch, signatures.data(), kBatch, params.num_perm, 1);
      laps.Lap(kLsh);
    }
  }
  lsh.AddBatch(n - n % kBatch, signatures.data(), n % kBatch, params.num_perm,
               1);
  lsh.Freeze(1);
  laps.Lap(kLsh);
  *articles = n;
  return absl::OkStatus();
}

// The copy path over the first kCopyPathArticles articles, then again over
// the first kStageArticles with a timer per stage.
absl::Status MeasureCopyPath(const BenchFlags& flags, Results* out) {
  StepTimer timer("copy path (1 thread)");
  const double thread_cpu = ThreadCpuSeconds();
  uint32_t n = 0;
  SYNDEX_RETURN_IF_ERROR(RunCopyPath(flags.corpus, kCopyPathArticles, nullptr,
                                     &n, &out->copy_path_shingles));
  out->copy_path_thread_cpu = ThreadCpuSeconds() - thread_cpu;
  out->copy_path = timer.Stop();
  out->copy_path_articles = n;
  double seconds[kCopyStages] = {};
  int64_t unused = 0;
  SYNDEX_RETURN_IF_ERROR(
      RunCopyPath(flags.corpus, kStageArticles, seconds, &n, &unused));
  out->stage_articles = n;
  for (int i = 0; i < kCopyStages; ++i) {
    out->stage_us[i] = seconds[i] / std::max<uint32_t>(n, 1) * 1e6;
  }
  return absl::OkStatus();
}

absl::Status Run(const BenchFlags& flags, Results* out) {
  OpenOptions run;
  run.threads = flags.threads;
  // The index directory may be reused from an earlier run: keep no older
  // generation, so that its size is the size of this index.
  run.keep_generations = 0;
  QueryOptions query;
  query.k = kTopK;
  query.dense_candidates = flags.candidates;
  query.key_term_candidates = flags.key_term_candidates;
  out->threads = flags.threads;
  SYNDEX_RETURN_IF_ERROR(MeasureCopyPath(flags, out));

  {
    // As `syndex index` does it: read and add in batches, then commit.
    StepTimer build_timer("build (read + index)");
    SYNDEX_ASSIGN_OR_RETURN(
        std::unique_ptr<Index> index,
        Index::Create(flags.index_dir, IndexParams(), true, run));
    AddReport report;
    SYNDEX_RETURN_IF_ERROR(index->AddFiles({flags.corpus}, ReaderOptions(),
                                           AddOptions().batch_size, &report));
    SYNDEX_RETURN_IF_ERROR(index->Commit());
    out->articles = index->size();
    out->steps.push_back(build_timer.Stop());
  }
  // `syndex index` and `syndex cluster` are separate processes: hand the
  // heap the build freed back to the system, so that the steps below are
  // measured as in a process of their own and not on top of it.
  malloc_trim(0);
  out->index_bytes = DirBytes(flags.index_dir);

  {
    // `syndex cluster`: load, then cluster.
    StepTimer load_timer("load");
    SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<Index> index,
                            Index::Open(flags.index_dir, false, run));
    out->steps.push_back(load_timer.Stop());
    out->vector_index = index->vector_index_kind();
    if (index->size() == 0) return absl::InvalidArgumentError("empty corpus");
    StepTimer cluster_timer("cluster");
    SYNDEX_ASSIGN_OR_RETURN(std::vector<ClusterEntry> clusters,
                            index->Cluster(ClusterOptions()));
    out->steps.push_back(cluster_timer.Stop());
    for (const ClusterEntry& entry : clusters) {
      if (entry.copy_group == entry.doc) ++out->copy_groups;
      if (entry.story == entry.doc) ++out->stories;
    }
  }
  malloc_trim(0);

  // Queries, as `syndex query` runs them: on an index loaded
  // again, without what clustering built.
  StepTimer reload_timer("load again (for queries)");
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<Index> index,
                          Index::Open(flags.index_dir, false, run));
  out->steps.push_back(reload_timer.Stop());
  // The key-term index at the first query, and after Index::kLshScans
  // queries that scan the signatures (and VectorStore::kFloatSearches
  // that read the floats, also 8) the LSH tables and the half-precision
  // copy of the vectors are made on first use: time those first queries
  // apart from the steady-state ones.
  StepTimer first_timer(
      absl::StrFormat("first %d queries (warm-up)", Index::kLshScans + 1));
  for (int i = 0; i <= Index::kLshScans; ++i) {
    const uint32_t doc = static_cast<uint32_t>(i % index->size());
    SYNDEX_RETURN_IF_ERROR(
        index->QueryId(index->article(doc).id, query).status());
  }
  out->steps.push_back(first_timer.Stop());

  std::mt19937_64 rng(flags.seed);
  std::vector<uint32_t> docs(flags.queries);
  for (uint32_t& doc : docs) doc = rng() % index->size();
  SYNDEX_ASSIGN_OR_RETURN(
      std::vector<double> id_ms, TimeQueries(flags.queries, [&](int i) {
        return index->QueryId(index->article(docs[i]).id, query).status();
      }));
  out->latencies.push_back(Percentiles("QueryId", std::move(id_ms)));
  SYNDEX_RETURN_IF_ERROR(MeasureAgreement(
      *index, query, std::vector<uint32_t>(docs.begin(),
                                    docs.begin() + std::min(flags.exact,
                                                            flags.queries)),
      &out->agreement));

  if (!flags.holdout.empty()) {
    std::map<std::string, int64_t> skipped;
    SYNDEX_ASSIGN_OR_RETURN(std::vector<Article> held,
                            ReadArticles({flags.holdout}, ReaderOptions(),
                                         &skipped));
    out->holdout_articles = held.size();
    if (held.empty()) return absl::InvalidArgumentError("empty holdout");
    std::vector<uint32_t> picks(flags.queries);
    for (uint32_t& pick : picks) pick = rng() % held.size();
    SYNDEX_ASSIGN_OR_RETURN(
        std::vector<double> article_ms, TimeQueries(flags.queries, [&](int i) {
          return index->QueryArticle(held[picks[i]], query).status();
        }));
    out->latencies.push_back(
        Percentiles("QueryArticle", std::move(article_ms)));
  }
  return absl::OkStatus();
}

void PrintTable(const BenchFlags& flags, const Results& r) {
  std::cout << absl::StrFormat(
      "corpus %s: %d articles; threads %d (0 = all cores); vector index %s\n",
      flags.corpus, r.articles, r.threads, r.vector_index);
  std::cout << absl::StrFormat(
      "copy path, one thread (read, normalize, shingle, 2 MinHash, LSH): %d "
      "articles in %.3f s wall, %.3f s CPU (%.3f s on its thread): %.0f "
      "articles/s (%.0f by its thread's CPU time); %.0f distinct shingles "
      "per article\n",
      r.copy_path_articles, r.copy_path.wall, r.copy_path.cpu,
      r.copy_path_thread_cpu, r.copy_path_articles / r.copy_path.wall,
      r.copy_path_articles / std::max(r.copy_path_thread_cpu, 1e-9),
      static_cast<double>(r.copy_path_shingles) /
          std::max<int64_t>(r.copy_path_articles, 1));
  std::cout << absl::StrFormat(
      "copy path stages, first %d articles again with a timer per stage, "
      "us/article:",
      r.stage_articles);
  double sum = 0;
  for (int i = 0; i < kCopyStages; ++i) {
    std::cout << absl::StrFormat(" %s %.2f", kCopyStageNames[i], r.stage_us[i]);
    sum += r.stage_us[i];
  }
  std::cout << absl::StrFormat("; sum %.2f\n", sum);
  std::cout << absl::StrFormat("%-36s %10s %10s %14s %14s\n", "step", "wall s",
                               "cpu s", "articles/s", "peak RSS MiB");
  for (const Step& s : r.steps) {
    const bool bulk = s.name.rfind("build", 0) == 0;
    std::cout << absl::StrFormat(
        "%-36s %10.3f %10.3f %14s %14.1f\n", s.name, s.wall, s.cpu,
        bulk ? absl::StrFormat("%.0f", r.articles / s.wall) : "-",
        s.peak_rss_mib);
  }
  std::cout << absl::StrFormat(
      "index size on disk: %.1f MiB (%.0f bytes/article)\n",
      r.index_bytes / 1048576.0,
      static_cast<double>(r.index_bytes) / r.articles);
  std::cout << absl::StrFormat("cluster: %d copy groups, %d stories\n",
                               r.copy_groups, r.stories);
  const Agreement& a = r.agreement;
  auto share = [](int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : 100.0 * part / whole;
  };
  std::cout << absl::StrFormat(
      "QueryId vs exhaustive search (%d queries, exhaustive p50 %.1f ms): "
      "copies %d of %d (%.2f%%), related %d of %d (%.2f%%)\n",
      a.queries, a.exhaustive_p50_ms, a.copies_found, a.copies,
      share(a.copies_found, a.copies), a.related_found, a.related,
      share(a.related_found, a.related));
  std::cout << absl::StrFormat("%-14s %8s %10s %10s %10s %10s  (k = %d)\n",
                               "query", "count", "p50 ms", "p95 ms", "p99 ms",
                               "max ms", kTopK);
  for (const Latency& l : r.latencies) {
    std::cout << absl::StrFormat("%-14s %8d %10.3f %10.3f %10.3f %10.3f\n",
                                 l.name, l.count, l.p50_ms, l.p95_ms,
                                 l.p99_ms, l.max_ms);
  }
}

// Corpus paths are the only strings printed; escape what JSON requires.
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void PrintJson(const BenchFlags& flags, const Results& r) {
  std::string json = absl::StrFormat(
      "{\"corpus\":%s,\"articles\":%d,\"holdout_articles\":%d,"
      "\"threads\":%d,\"vector_index\":%s,\"index_bytes\":%d,"
      "\"copy_groups\":%d,\"stories\":%d,"
      "\"copy_path\":{\"articles\":%d,\"wall_s\":%.6f,\"cpu_s\":%.6f,"
      "\"thread_cpu_s\":%.6f,\"distinct_shingles\":%d},",
      JsonString(flags.corpus), r.articles, r.holdout_articles, r.threads,
      JsonString(r.vector_index), r.index_bytes, r.copy_groups, r.stories,
      r.copy_path_articles, r.copy_path.wall, r.copy_path.cpu,
      r.copy_path_thread_cpu, r.copy_path_shingles);
  json += absl::StrFormat("\"copy_path_stages\":{\"articles\":%d",
                          r.stage_articles);
  for (int i = 0; i < kCopyStages; ++i) {
    json += absl::StrFormat(",\"%s_us\":%.4f", kCopyStageNames[i],
                            r.stage_us[i]);
  }
  json += "},\"steps\":{";
  for (size_t i = 0; i < r.steps.size(); ++i) {
    const Step& s = r.steps[i];
    json += absl::StrFormat(
        "%s%s:{\"wall_s\":%.6f,\"cpu_s\":%.6f,\"peak_rss_mib\":%.1f}",
        i ? "," : "", JsonString(s.name), s.wall, s.cpu, s.peak_rss_mib);
  }
  const Agreement& a = r.agreement;
  json += absl::StrFormat(
      "},\"agreement\":{\"queries\":%d,\"exhaustive_p50_ms\":%.4f,"
      "\"copies\":%d,\"copies_found\":%d,\"related\":%d,"
      "\"related_found\":%d",
      a.queries, a.exhaustive_p50_ms, a.copies, a.copies_found, a.related,
      a.related_found);
  json += "},\"queries\":{";
  for (size_t i = 0; i < r.latencies.size(); ++i) {
    const Latency& l = r.latencies[i];
    json += absl::StrFormat(
        "%s%s:{\"count\":%d,\"p50_ms\":%.4f,\"p95_ms\":%.4f,"
        "\"p99_ms\":%.4f,\"max_ms\":%.4f}",
        i ? "," : "", JsonString(l.name), l.count, l.p50_ms, l.p95_ms,
        l.p99_ms, l.max_ms);
  }
  std::cout << json << "}}\n";
}

constexpr char kUsage[] =
    "usage: syndex-bench --corpus FILE [--holdout FILE] [--index DIR]\n"
    "                    [--queries N] [--exact N] [--candidates N]\n"
    "                    [--key-term-candidates N] [--threads N] [--seed S]\n"
    "                    [--json]\n"
    "  --corpus FILE   JSON Lines corpus to index (required)\n"
    "  --holdout FILE  articles for QueryArticle (not indexed)\n"
    "  --index DIR     where to write the index, replacing one there\n"
    "                  (default: a temporary directory, removed at the end)\n"
    "  --queries N     queries of each kind (default: 1000)\n"
    "  --exact N       of the QueryId queries, how many to repeat with an\n"
    "                  exhaustive search to measure agreement (default: 200)\n"
    "  --candidates N  vector-search neighbours each query scores, 0 = the\n"
    "                  default of syndex query (default: 0)\n"
    "  --key-term-candidates N\n"
    "                  articles sharing key terms each query scores\n"
    "                  (default: 50, as syndex query)\n"
    "  --threads N     worker threads, 0 = all cores (default: 0)\n"
    "  --seed S        seed of the query choice (default: 1)\n"
    "  --json          print one JSON object instead of a table\n";

// Returns false on a bad command line.
bool ParseFlags(int argc, char** argv, BenchFlags* flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      flags->json = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    char* end = nullptr;
    if (arg == "--corpus") {
      flags->corpus = value;
    } else if (arg == "--holdout") {
      flags->holdout = value;
    } else if (arg == "--index") {
      flags->index_dir = value;
    } else if (arg == "--queries") {
      flags->queries = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || flags->queries < 1) return false;
    } else if (arg == "--exact") {
      flags->exact = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || flags->exact < 0) return false;
    } else if (arg == "--candidates") {
      flags->candidates = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || flags->candidates < 0) return false;
    } else if (arg == "--key-term-candidates") {
      flags->key_term_candidates = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || flags->key_term_candidates < 0) return false;
    } else if (arg == "--threads") {
      flags->threads = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || flags->threads < 0) return false;
    } else if (arg == "--seed") {
      flags->seed = std::strtoull(value.c_str(), &end, 10);
      if (*end != '\0') return false;
    } else {
      return false;
    }
  }
  return !flags->corpus.empty();
}

int Main(int argc, char** argv) {
  BenchFlags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::cerr << kUsage;
    return 2;
  }
  std::string temp_dir;
  if (flags.index_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "syndex-bench-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "syndex-bench: cannot create a temporary directory\n";
      return 1;
    }
    temp_dir = pattern;
    flags.index_dir = temp_dir + "/index";
  }
  Results results;
  const absl::Status st = Run(flags, &results);
  if (!temp_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temp_dir, ignored);
  }
  if (!st.ok()) {
    std::cerr << "syndex-bench: " << st << "\n";
    return 1;
  }
  if (flags.json) {
    PrintJson(flags, results);
  } else {
    PrintTable(flags, results);
  }
  return 0;
}

}  // namespace
}  // namespace syndex

int main(int argc, char** argv) { return syndex::Main(argc, argv); }
