#include "engine/vector_store/vector_store.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/memory.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"
#include "engine/vector_store/blas_threads.h"
#include "engine/vector_store/half_dot.h"
#include "engine/vector_store/packed_lists.h"
#include "faiss/IndexFlat.h"
#include "faiss/IndexIVFFlat.h"
#include "faiss/clone_index.h"
#include "faiss/impl/FaissException.h"
#include "faiss/invlists/InvertedLists.h"

namespace syndex {
namespace {

// Index kinds as stored; written to disk, never renumber.
enum class Kind : uint8_t { kFlat = 0, kIvf = 1 };

// k-means needs about this many training vectors per list to be meaningful
// (FAISS warns below it).
constexpr int64_t kMinPointsPerList = 39;
constexpr int64_t kMinLists = 16;
constexpr int64_t kMaxLists = 65536;

void UseThreads(const VectorStoreOptions& options) {
  if (options.threads > 0) omp_set_num_threads(options.threads);
}

// Runs `fn`, turning FAISS (and other) exceptions into InternalError.
template <typename Fn>
absl::Status Guard(absl::string_view what, Fn&& fn) {
  try {
    fn();
  } catch (const faiss::FaissException& e) {
    return absl::InternalError(
        absl::StrCat("vector store: ", what, ": ", e.what()));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("vector store: ", what, ": ", e.what()));
  }
  return absl::OkStatus();
}

// k-means iterations when training the IVF lists.
constexpr int kTrainingIterations = 10;

// About 2 sqrt(n) lists, within [16, 65536], and no more than the training
// sample supports.
int64_t NumLists(int64_t expected_size, int64_t num_training) {
  int64_t nlist = std::llround(2.0 * std::sqrt(double(expected_size)));
  nlist = std::clamp(nlist, kMinLists, kMaxLists);
  if (num_training < kMinPointsPerList * nlist) {
    nlist = std::max<int64_t>(1, num_training / kMinPointsPerList);
  }
  return std::min(nlist, num_training);
}

// Scores computed per GEMM call at most (64 MiB of floats).
constexpr int64_t kMaxScores = int64_t{1} << 24;
// Fewer queries than this against one run are scored one by one.
constexpr int64_t kMinGemmRows = 8;
// SearchStored picks each query's lists among this many times nprobe lists
// nearest to its own list.
constexpr int64_t kCandidateLists = 8;
// ScoreAll splits a run into pieces of at least this many vectors.
constexpr int64_t kMinPieceSize = 256;
// Searches of fewer queries than this run on the calling thread.
constexpr int64_t kMinParallelQueries = 64;

// The k best (score, id) pairs of each query, best first: higher score,
// then smaller id, so the result does not depend on the order in which
// candidates arrive.
class TopK {
 public:
  TopK(int64_t n, int k, float* scores, int64_t* ids)
      : k_(k), scores_(scores), ids_(ids) {
    std::fill(scores, scores + n * k, -std::numeric_limits<float>::infinity());
    std::fill(ids, ids + n * k, int64_t{-1});
  }

  // Offers `count` candidates to query q. Calls for one query must not run
  // concurrently.
  void Offer(int64_t q, const float* scores, const faiss::Index::idx_t* ids,
             int64_t first_id, int64_t count) {
    float* top = scores_ + q * k_;
    int64_t* top_ids = ids_ + q * k_;
    float worst = top[k_ - 1];
    for (int64_t j = 0; j < count; ++j) {
      const float score = scores[j];
      // Nearly every candidate is rejected here, before its id is read.
      if (score < worst) continue;
      const int64_t id = ids != nullptr ? ids[j] : first_id + j;
      if (!Better(score, id, top[k_ - 1], top_ids[k_ - 1])) continue;
      int i = k_ - 1;
      while (i > 0 && Better(score, id, top[i - 1], top_ids[i - 1])) {
        top[i] = top[i - 1];
        top_ids[i] = top_ids[i - 1];
        --i;
      }
      top[i] = score;
      top_ids[i] = id;
      worst = top[k_ - 1];
    }
  }

 private:
  static bool Better(float score, int64_t id, float other, int64_t other_id) {
    if (score != other) return score > other;
    return other_id < 0 || id < other_id;
  }

  int k_;
  float* scores_;
  int64_t* ids_;
};

// Vectors stored contiguously, d floats each, with their ids (null: ids are
// first_id, first_id + 1, ...). A run of stored vectors (their floats are
// rounded to halves on Add) can be scored as a single search scores it:
// with `halves`, the same vectors as halves, which are read instead (half
// the bytes), else with `half_exact`, the floats by FloatDots. Both give
// HalfDots' bits.
struct VectorRun {
  const float* vectors = nullptr;
  const faiss::Index::idx_t* ids = nullptr;
  int64_t first_id = 0;
  int64_t size = 0;
  const uint16_t* halves = nullptr;
  bool half_exact = false;

  // Scored by HalfDots or FloatDots rather than BLAS.
  bool own_kernel() const { return halves != nullptr || half_exact; }
};

// Buffers reused across the runs of one search.
struct Scratch {
  std::vector<float> gathered;
  std::vector<float> scores;
  std::vector<int64_t> rows;
};

// Scores the `m` queries at `block` (m x d, contiguous) against `run` and
// offers the scores of query r to row top_rows[r] of `top`. REQUIRES:
// m * run.size <= kMaxScores.
void ScoreBlock(const float* block, int64_t m, const int64_t* top_rows,
                const VectorRun& run, int d, std::vector<float>* scores,
                TopK* top) {
  if (scores->size() < static_cast<size_t>(m * run.size)) {
    scores->resize(m * run.size);
  }
  float* out = scores->data();
  if (run.halves != nullptr) {
    for (int64_t r = 0; r < m; ++r) {
      HalfDots(block + r * d, run.halves, run.size, d, out + r * run.size);
    }
  } else if (run.half_exact) {
    for (int64_t r = 0; r < m; ++r) {
      FloatDots(block + r * d, run.vectors, run.size, d, out + r * run.size);
    }
  } else if (m < kMinGemmRows) {
    // A matrix product would first copy the whole run; a matrix-vector
    // product per query reads it in place.
    for (int64_t r = 0; r < m; ++r) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, run.size, d, 1.0f,
                  run.vectors, d, block + r * d, 1, 0.0f, out + r * run.size,
                  1);
    }
  } else {
    // scores (m x size) = block (m x d) * vectors^T (d x size).
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, run.size, d, 1.0f,
                block, d, run.vectors, d, 0.0f, out, run.size);
  }
  for (int64_t r = 0; r < m; ++r) {
    top->Offer(top_rows[r], out + r * run.size, run.ids, run.first_id,
               run.size);
  }
}

// Queries per block of a run of `size` vectors.
int64_t BlockRows(int64_t size) {
  return std::max<int64_t>(1, kMaxScores / std::max<int64_t>(size, 1));
}

// Scores the queries `rows` (indices into `queries`) against `run` with
// BLAS matrix products, in blocks of at most kMaxScores scores, and offers
// every score to `top`.
// The scores of query rows[i] go to row top_rows[rows[i]] of `top`, or to
// row rows[i] without top_rows.
void ScoreRun(const VectorRun& run, const float* queries, int d,
              const std::vector<int64_t>& rows, Scratch* scratch, TopK* top,
              const int64_t* top_rows = nullptr) {
  if (run.size == 0 || rows.empty()) return;
  const int64_t chunk = std::min<int64_t>(rows.size(), BlockRows(run.size));
  std::vector<float>& gathered = scratch->gathered;
  if (gathered.size() < static_cast<size_t>(chunk) * d) {
    gathered.resize(static_cast<size_t>(chunk) * d);
  }
  std::vector<int64_t>& mapped = scratch->rows;
  for (size_t begin = 0; begin < rows.size(); begin += chunk) {
    const int64_t m = std::min<int64_t>(chunk, rows.size() - begin);
    for (int64_t r = 0; r < m; ++r) {
      std::copy_n(queries + rows[begin + r] * d, d, &gathered[r * d]);
    }
    const int64_t* out_rows = &rows[begin];
    if (top_rows != nullptr) {
      mapped.resize(m);
      for (int64_t r = 0; r < m; ++r) mapped[r] = top_rows[rows[begin + r]];
      out_rows = mapped.data();
    }
    ScoreBlock(gathered.data(), m, out_rows, run, d, &scratch->scores, top);
  }
}

// Scores each of `runs` against its `rows` of `queries` (n x d) and keeps
// the k best of each query in `scores` and `ids` (n x k).
void ScoreRuns(const std::vector<VectorRun>& runs,
               const std::vector<std::vector<int64_t>>& rows,
               const float* queries, int d, int64_t n, int k, int threads,
               float* scores, int64_t* ids) {
  TopK top(n, k, scores, ids);
  const bool own_kernel = !runs.empty() && runs[0].own_kernel();
  if (threads == 1 || (n < kMinParallelQueries && !own_kernel)) {
    // Few queries against floats: BLAS threads share each product. Runs
    // scored by our own kernels have no BLAS threads, so ours share the
    // runs.
    Scratch scratch;
    for (size_t r = 0; r < runs.size(); ++r) {
      ScoreRun(runs[r], queries, d, rows[r], &scratch, &top);
    }
    return;
  }
  // Many queries: each thread scores whole runs with single-threaded BLAS
  // into its own top-k lists (a query's runs may be on several threads),
  // merged at the end. Idle BLAS threads would otherwise spin beside ours.
  SingleThreadedBlas single_threaded_blas;
  std::vector<float> other_scores(static_cast<size_t>(threads - 1) * n * k);
  std::vector<int64_t> other_ids(other_scores.size());
  std::vector<TopK> tops = {top};
  for (int t = 1; t < threads; ++t) {
    const size_t offset = static_cast<size_t>(t - 1) * n * k;
    tops.emplace_back(n, k, &other_scores[offset], &other_ids[offset]);
  }
  std::vector<Scratch> scratch(threads);
  // Largest runs first, so that no thread is left with a long one at the
  // end.
  std::vector<size_t> order(runs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return runs[a].size * rows[a].size() > runs[b].size * rows[b].size();
  });
  ParallelFor(order.size(), threads, 1, [&](size_t b, size_t e, int worker) {
    for (size_t i = b; i < e; ++i) {
      ScoreRun(runs[order[i]], queries, d, rows[order[i]],
               &scratch[worker], &tops[worker]);
    }
  });
  ParallelFor(n, threads, 1024, [&](size_t b, size_t e, int) {
    for (size_t q = b; q < e; ++q) {
      for (int t = 1; t < threads; ++t) {
        const size_t offset = (static_cast<size_t>(t - 1) * n + q) * k;
        top.Offer(q, &other_scores[offset], &other_ids[offset], 0, k);
      }
    }
  });
}

// ScoreRuns of every query against one run, the run split into pieces
// that threads share (each piece is read once).
void ScoreAll(const VectorRun& run, const float* queries, int d, int64_t n,
              int k, int threads, float* scores, int64_t* ids) {
  const int64_t pieces = std::max<int64_t>(
      1, std::min<int64_t>(run.size / kMinPieceSize, 4 * threads));
  std::vector<VectorRun> runs;
  for (int64_t p = 0; p < pieces; ++p) {
    const int64_t begin = run.size * p / pieces;
    const int64_t end = run.size * (p + 1) / pieces;
    runs.push_back({run.vectors + begin * d,
                    run.ids != nullptr ? run.ids + begin : nullptr,
                    run.first_id + begin, end - begin,
                    run.halves != nullptr ? run.halves + begin * d : nullptr,
                    run.half_exact});
  }
  std::vector<int64_t> all(n);
  std::iota(all.begin(), all.end(), int64_t{0});
  ScoreRuns(runs, std::vector<std::vector<int64_t>>(pieces, all), queries, d,
            n, k, threads, scores, ids);
}

// Vectors are kept at half precision: IEEE binary16 with rounding to
// nearest even (FloatToHalf, the same bits at every SimdLevel). Conversions
// go a block at a time.
constexpr size_t kHalfBlock = size_t{1} << 15;

// Writes n floats as halves.
void WriteHalves(const float* x, size_t n, ByteWriter* out) {
  std::vector<uint16_t> block(std::min(n, kHalfBlock));
  for (size_t begin = 0; begin < n; begin += kHalfBlock) {
    const size_t count = std::min(kHalfBlock, n - begin);
    FloatsToHalves(x + begin, count, block.data());
    out->Raw(block.data(), count * sizeof(uint16_t));
  }
}

// Converts n halves at `bytes` (unaligned) to floats.
void ReadHalves(const char* bytes, size_t n, float* out) {
  uint16_t block[kHalfBlock];
  for (size_t begin = 0; begin < n; begin += kHalfBlock) {
    const size_t count = std::min(kHalfBlock, n - begin);
    std::memcpy(block, bytes + begin * sizeof(uint16_t),
                count * sizeof(uint16_t));
    HalvesToFloats(block, count, out + begin);
  }
}

// Rounds n floats to half precision in place.
void RoundToHalves(float* x, size_t n) {
  uint16_t block[kHalfBlock];
  for (size_t begin = 0; begin < n; begin += kHalfBlock) {
    const size_t count = std::min(kHalfBlock, n - begin);
    FloatsToHalves(x + begin, count, block);
    HalvesToFloats(block, count, x + begin);
  }
}

// True if the lists of `ivf` hold every id of 0..ntotal-1 exactly once, as
// Add leaves them; searches, Vectors and Subset rely on it.
bool ListsHoldEachIdOnce(const faiss::IndexIVFFlat& ivf) {
  if (ivf.ntotal < 0 || ivf.invlists == nullptr) return false;
  std::vector<bool> seen(ivf.ntotal, false);
  int64_t total = 0;
  for (size_t list = 0; list < ivf.nlist; ++list) {
    faiss::InvertedLists::ScopedIds ids(ivf.invlists, list);
    const size_t size = ivf.invlists->list_size(list);
    for (size_t i = 0; i < size; ++i) {
      const int64_t id = ids[i];
      if (id < 0 || id >= ivf.ntotal || seen[id]) return false;
      seen[id] = true;
    }
    total += size;
  }
  return total == ivf.ntotal;
}

// An empty IVF index over the `nlist` centroids at `centroids` (nlist x
// dims floats), probing `nprobe` lists (at least one) per query.
std::unique_ptr<faiss::IndexIVFFlat> EmptyIvf(int dims, size_t nlist,
                                              const float* centroids,
                                              int nprobe) {
  auto quantizer = std::make_unique<faiss::IndexFlatIP>(dims);
  quantizer->add(nlist, centroids);
  auto ivf = std::make_unique<faiss::IndexIVFFlat>(
      quantizer.get(), dims, nlist, faiss::METRIC_INNER_PRODUCT);
  quantizer.release();
  ivf->own_fields = true;
  ivf->nprobe = std::max(1, nprobe);
  return ivf;
}

// True if both are IVF indexes with the same centroids.
bool SameLists(const faiss::IndexIVFFlat* a, const faiss::IndexIVFFlat* b) {
  if (a == nullptr || b == nullptr || a->nlist != b->nlist || a->d != b->d) {
    return false;
  }
  const auto* qa = dynamic_cast<const faiss::IndexFlat*>(a->quantizer);
  const auto* qb = dynamic_cast<const faiss::IndexFlat*>(b->quantizer);
  return qa != nullptr && qb != nullptr && qa->ntotal == qb->ntotal &&
         std::equal(qa->get_xb(), qa->get_xb() + qa->ntotal * qa->d,
                    qb->get_xb());
}

Kind KindOf(const faiss::Index* index) {
  return dynamic_cast<const faiss::IndexIVFFlat*>(index) != nullptr
             ? Kind::kIvf
             : Kind::kFlat;
}

// Scores the `m` queries at `block` (m x d, row r going to row rows[r] of
// `top`) against the nprobe lists of `ivf` nearest to each, chosen among
// the `ncand` lists `candidates`.
void SearchAmongLists(const faiss::IndexIVFFlat& ivf, const float* block,
                      const int64_t* rows, int64_t m,
                      const int64_t* candidates, int64_t ncand,
                      int64_t nprobe, const std::vector<uint8_t>& probes,
                      Scratch* scratch, TopK* top) {
  // The nprobe candidate lists nearest to each query, by one matrix
  // product with the candidates' centroids.
  const int d = ivf.d;
  const float* centroids =
      static_cast<const faiss::IndexFlat*>(ivf.quantizer)->get_xb();
  std::vector<float> cand_centroids(ncand * d);
  for (int64_t c = 0; c < ncand; ++c) {
    std::copy_n(centroids + candidates[c] * d, d,
                &cand_centroids[c * d]);
  }
  std::vector<float> coarse_scores(m * nprobe);
  std::vector<int64_t> coarse(m * nprobe);
  std::vector<int64_t> local(m);
  std::iota(local.begin(), local.end(), int64_t{0});
  TopK nearest(m, nprobe, coarse_scores.data(), coarse.data());
  for (int64_t begin = 0; begin < m; begin += BlockRows(ncand)) {
    ScoreBlock(block + begin * d, std::min(BlockRows(ncand), m - begin),
               &local[begin], {cand_centroids.data(), candidates, 0, ncand},
               d, &scratch->scores, &nearest);
  }
  // Then each probed list against its queries.
  std::vector<std::vector<int64_t>> probed(ncand);
  for (int64_t q = 0; q < m; ++q) {
    const int64_t probed_lists =
        probes.empty() ? nprobe : std::min<int64_t>(nprobe, probes[rows[q]]);
    for (int64_t j = 0; j < probed_lists; ++j) {
      const int64_t list = coarse[q * nprobe + j];
      if (list < 0) continue;
      const int64_t c = std::find(candidates, candidates + ncand, list) -
                        candidates;
      probed[c].push_back(q);
    }
  }
  const faiss::InvertedLists* lists = ivf.invlists;
  for (int64_t c = 0; c < ncand; ++c) {
    if (probed[c].empty()) continue;
    const VectorRun run{
        reinterpret_cast<const float*>(lists->get_codes(candidates[c])),
        lists->get_ids(candidates[c]), 0,
        static_cast<int64_t>(lists->list_size(candidates[c]))};
    ScoreRun(run, block, d, probed[c], scratch, top, rows);
  }
}

}  // namespace

VectorStore::VectorStore(int dims, std::unique_ptr<faiss::Index> index,
                         const VectorStoreOptions& options)
    : dims_(dims), index_(std::move(index)), options_(options) {}

VectorStore::~VectorStore() = default;

absl::StatusOr<std::unique_ptr<VectorStore>> VectorStore::Create(
    int dims, int64_t expected_size, const float* training,
    int64_t num_training, const VectorStoreOptions& options) {
  if (dims <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("vector store: invalid dims ", dims));
  }
  UseThreads(options);
  std::unique_ptr<faiss::Index> index;
  if (expected_size <= options.exact_limit) {
    SYNDEX_RETURN_IF_ERROR(Guard("create flat index", [&] {
      index = std::make_unique<faiss::IndexFlatIP>(dims);
    }));
  } else {
    if (training == nullptr || num_training <= 0) {
      return absl::InvalidArgumentError(
          "vector store: an IVF index needs training vectors");
    }
    const int64_t nlist = NumLists(expected_size, num_training);
    SYNDEX_RETURN_IF_ERROR(Guard("train IVF index", [&] {
      auto quantizer = std::make_unique<faiss::IndexFlatIP>(dims);
      auto ivf = std::make_unique<faiss::IndexIVFFlat>(
          quantizer.get(), dims, nlist, faiss::METRIC_INNER_PRODUCT);
      quantizer.release();
      ivf->own_fields = true;
      ivf->cp.seed = static_cast<int>(options.seed & 0x7fffffff);
      ivf->cp.spherical = true;
      ivf->cp.niter = kTrainingIterations;
      ivf->nprobe = std::max(1, options.nprobe);
      ivf->train(num_training, training);
      index = std::move(ivf);
    }));
  }
  return std::unique_ptr<VectorStore>(
      new VectorStore(dims, std::move(index), options));
}

absl::Status VectorStore::Add(int64_t n, const float* vectors) {
  if (n < 0) return absl::InvalidArgumentError("vector store: negative n");
  if (n == 0) return absl::OkStatus();
  UseThreads(options_);
  // Rounded to half precision first, as the store is written: a store read
  // back equals the one that was written.
  constexpr int64_t kBatch = 65536;
  std::vector<float> rounded;
  {
    std::lock_guard<std::mutex> lock(halves_mu_);
    if (halves_ != nullptr) {
      refresh_pending_ = true;
      added_since_halves_ = 0;
    }
    if (refresh_pending_) added_since_halves_ += n;
    halves_.reset();
  }
  return Guard("add", [&] {
    for (int64_t begin = 0; begin < n; begin += kBatch) {
      const int64_t count = std::min(kBatch, n - begin);
      rounded.assign(vectors + begin * dims_,
                     vectors + (begin + count) * dims_);
      RoundToHalves(rounded.data(), rounded.size());
      index_->add(count, rounded.data());
    }
  });
}

absl::Status VectorStore::Search(int64_t n, const float* queries, int k,
                                 float* scores, int64_t* ids) const {
  if (n < 0 || k <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("vector store: invalid search (n ", n, ", k ", k, ")"));
  }
  if (n == 0) return absl::OkStatus();
  UseThreads(options_);
  static_assert(sizeof(faiss::Index::idx_t) == sizeof(int64_t));
  const int threads = ResolveThreads(options_.threads);
  std::shared_ptr<const HalfCopy> halves;
  std::optional<SingleThreadedBlas> single_threaded_blas;
  const bool single = n < kMinGemmRows;
  if (single) {
    halves = Halves(single_searches_.fetch_add(1) >= kFloatSearches);
    // Idle OpenBLAS threads spin beside ours after a product.
    single_threaded_blas.emplace();
  }
  // The halves of the vectors starting at vector `first`, if any.
  auto halves_at = [&](size_t first) {
    return halves != nullptr ? halves->values.get() + first * dims_ : nullptr;
  };
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    const auto* flat = static_cast<const faiss::IndexFlat*>(index_.get());
    ScoreAll({flat->get_xb(), nullptr, 0, flat->ntotal, halves_at(0), single},
             queries, dims_, n, k, threads, scores, ids);
    return absl::OkStatus();
  }
  // The nprobe lists nearest to each query, then each list's queries at
  // once.
  const int64_t nprobe = std::min<int64_t>(ivf->nprobe, ivf->nlist);
  // Scored like the lists (FAISS's flat search of the centroids runs its
  // scalar kernel for a few queries).
  std::vector<float> coarse_scores(n * nprobe);
  std::vector<faiss::Index::idx_t> coarse(n * nprobe);
  const VectorRun centroids{
      static_cast<const faiss::IndexFlat*>(ivf->quantizer)->get_xb(), nullptr,
      0, static_cast<int64_t>(ivf->nlist)};
  ScoreAll(centroids, queries, dims_, n, nprobe, threads, coarse_scores.data(),
           coarse.data());
  std::vector<std::vector<int64_t>> list_rows(ivf->nlist);
  for (int64_t q = 0; q < n; ++q) {
    for (int64_t j = 0; j < nprobe; ++j) {
      const faiss::Index::idx_t list = coarse[q * nprobe + j];
      if (list >= 0) list_rows[list].push_back(q);
    }
  }
  std::vector<VectorRun> runs;
  std::vector<std::vector<int64_t>> rows;
  for (size_t list = 0; list < list_rows.size(); ++list) {
    if (list_rows[list].empty()) continue;
    const faiss::InvertedLists* lists = ivf->invlists;
    // Both kinds of lists a store holds (PackedLists when read, FAISS's
    // ArrayInvertedLists when made) hand out their own buffers, so the
    // pointers stay valid after the Scoped* release.
    runs.push_back({reinterpret_cast<const float*>(lists->get_codes(list)),
                    lists->get_ids(list), 0,
                    static_cast<int64_t>(lists->list_size(list)),
                    halves != nullptr ? halves_at(halves->first[list])
                                      : nullptr,
                    single});
    rows.push_back(std::move(list_rows[list]));
  }
  ScoreRuns(runs, rows, queries, dims_, n, k, threads, scores, ids);
  return absl::OkStatus();
}

absl::Status VectorStore::SearchStored(const VectorStore& queries, int k,
                                       const std::vector<uint8_t>& probes,
                                       float* scores, int64_t* ids) const {
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  const auto* query_ivf =
      dynamic_cast<const faiss::IndexIVFFlat*>(queries.index_.get());
  if (ivf == nullptr && query_ivf == nullptr) {
    const std::vector<const float*> vectors = queries.Vectors();
    std::vector<float> all(vectors.size() * dims_);
    for (size_t i = 0; i < vectors.size(); ++i) {
      std::copy_n(vectors[i], dims_, &all[i * dims_]);
    }
    return Search(queries.size(), all.data(), k, scores, ids);
  }
  if (!SameLists(ivf, query_ivf)) {
    return absl::InvalidArgumentError(
        "vector store: SearchStored needs a query store with the same lists");
  }
  if (k <= 0 || (!probes.empty() &&
                 probes.size() != static_cast<size_t>(queries.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("vector store: invalid search (k ", k, ", ",
                     probes.size(), " probe counts)"));
  }
  UseThreads(options_);
  // The candidate lists of each list's queries: the lists whose centroids
  // are nearest to its own (itself first).
  const size_t nlist = ivf->nlist;
  const int64_t nprobe = std::min<int64_t>(ivf->nprobe, nlist);
  const int64_t ncand = std::min<int64_t>(kCandidateLists * nprobe, nlist);
  const float* centroids =
      static_cast<const faiss::IndexFlat*>(ivf->quantizer)->get_xb();
  std::vector<float> cand_scores(nlist * ncand);
  std::vector<faiss::Index::idx_t> cand(nlist * ncand);
  SYNDEX_RETURN_IF_ERROR(Guard("search", [&] {
    ivf->quantizer->search(nlist, centroids, ncand, cand_scores.data(),
                           cand.data());
  }));
  TopK top(queries.size(), k, scores, ids);
  const int threads = ResolveThreads(options_.threads);
  SingleThreadedBlas single_threaded_blas;
  std::vector<Scratch> scratch(threads);
  // Each list's queries are scored by one thread, so no query's top-k is
  // shared; largest lists first.
  const faiss::InvertedLists* query_lists = query_ivf->invlists;
  std::vector<size_t> order(nlist);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return query_lists->list_size(a) > query_lists->list_size(b);
  });
  ParallelFor(nlist, threads, 1, [&](size_t b, size_t e, int worker) {
    for (size_t i = b; i < e; ++i) {
      const size_t list = order[i];
      const int64_t m = query_lists->list_size(list);
      if (m == 0) continue;
      SearchAmongLists(
          *ivf, reinterpret_cast<const float*>(query_lists->get_codes(list)),
          query_lists->get_ids(list), m, &cand[list * ncand], ncand, nprobe,
          probes, &scratch[worker], &top);
    }
  });
  return absl::OkStatus();
}

std::shared_ptr<const VectorStore::HalfCopy> VectorStore::Halves(
    bool make) const {
  std::lock_guard<std::mutex> lock(halves_mu_);
  if (halves_ != nullptr || !make || refresh_pending_) return halves_;
  halves_ = MakeHalves();
  return halves_;
}

void VectorStore::RefreshHalves() const {
  {
    std::lock_guard<std::mutex> lock(halves_mu_);
    if (!refresh_pending_ || added_since_halves_ * 16 < index_->ntotal) {
      return;
    }
  }
  std::shared_ptr<const HalfCopy> copy = MakeHalves();
  std::lock_guard<std::mutex> lock(halves_mu_);
  halves_ = std::move(copy);
  refresh_pending_ = false;
}

std::shared_ptr<const VectorStore::HalfCopy> VectorStore::MakeHalves() const {
  // The runs of floats in storage order.
  std::vector<const float*> runs;
  std::vector<size_t> sizes;
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    runs.push_back(static_cast<const faiss::IndexFlat*>(index_.get())->get_xb());
    sizes.push_back(index_->ntotal);
  } else {
    for (size_t list = 0; list < ivf->nlist; ++list) {
      runs.push_back(
          reinterpret_cast<const float*>(ivf->invlists->get_codes(list)));
      sizes.push_back(ivf->invlists->list_size(list));
    }
  }
  auto copy = std::make_shared<HalfCopy>();
  copy->values.reset(new uint16_t[index_->ntotal * dims_]);
  AdviseHugePages(copy->values.get(),
                  index_->ntotal * dims_ * sizeof(uint16_t));
  copy->first.resize(runs.size());
  size_t total = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    copy->first[r] = total;
    total += sizes[r];
  }
  ParallelFor(runs.size(), ResolveThreads(options_.threads), 16,
              [&](size_t begin, size_t end, int) {
                for (size_t r = begin; r < end; ++r) {
                  FloatsToHalves(runs[r], sizes[r] * dims_,
                                 copy->values.get() + copy->first[r] * dims_);
                }
              });
  return copy;
}

std::vector<const float*> VectorStore::Vectors() const {
  std::vector<const float*> out(index_->ntotal);
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    const float* base = static_cast<const faiss::IndexFlat*>(index_.get())->get_xb();
    for (size_t i = 0; i < out.size(); ++i) out[i] = base + i * dims_;
    return out;
  }
  const faiss::InvertedLists* lists = ivf->invlists;
  for (size_t list = 0; list < ivf->nlist; ++list) {
    const float* vectors =
        reinterpret_cast<const float*>(lists->get_codes(list));
    const faiss::Index::idx_t* ids = lists->get_ids(list);
    for (size_t i = 0; i < lists->list_size(list); ++i) {
      out[ids[i]] = vectors + i * dims_;
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<VectorStore>> VectorStore::Subset(
    const std::vector<uint32_t>& ids) const {
  SYNDEX_ASSIGN_OR_RETURN(std::unique_ptr<VectorStore> subset, EmptyCopy());
  auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(subset->index_.get());
  if (ivf == nullptr) {
    const std::vector<const float*> vectors = Vectors();
    std::vector<float> rows(ids.size() * dims_);
    for (size_t j = 0; j < ids.size(); ++j) {
      std::copy_n(vectors[ids[j]], dims_, &rows[j * dims_]);
    }
    SYNDEX_RETURN_IF_ERROR(subset->Add(ids.size(), rows.data()));
    return subset;
  }
  std::vector<int64_t> new_id(index_->ntotal, -1);
  for (size_t j = 0; j < ids.size(); ++j) new_id[ids[j]] = j;
  const auto* from =
      static_cast<const faiss::IndexIVFFlat*>(index_.get())->invlists;
  SYNDEX_RETURN_IF_ERROR(Guard("copy lists", [&] {
    for (size_t list = 0; list < ivf->nlist; ++list) {
      const uint8_t* codes = from->get_codes(list);
      const faiss::Index::idx_t* old_ids = from->get_ids(list);
      for (size_t i = 0; i < from->list_size(list); ++i) {
        if (new_id[old_ids[i]] < 0) continue;
        ivf->invlists->add_entry(list, new_id[old_ids[i]],
                                 codes + i * ivf->code_size);
      }
    }
    ivf->ntotal = ids.size();
  }));
  return subset;
}

int64_t VectorStore::TrainingSize(int64_t expected_size, int64_t minimum) {
  const int64_t nlist = std::clamp<int64_t>(
      std::llround(2.0 * std::sqrt(double(expected_size))), kMinLists,
      kMaxLists);
  return std::min(expected_size,
                  std::max(minimum, kMinPointsPerList * nlist));
}

absl::StatusOr<std::unique_ptr<VectorStore>> VectorStore::EmptyCopy() const {
  std::unique_ptr<faiss::Index> copy;
  SYNDEX_RETURN_IF_ERROR(Guard("copy index", [&] {
    const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
    if (ivf == nullptr) {
      copy.reset(faiss::clone_index(index_.get()));
      copy->reset();
      return;
    }
    // Not clone_index: FAISS cannot clone PackedLists.
    copy = EmptyIvf(
        dims_, ivf->nlist,
        static_cast<const faiss::IndexFlat*>(ivf->quantizer)->get_xb(),
        static_cast<int>(ivf->nprobe));
  }));
  return std::unique_ptr<VectorStore>(
      new VectorStore(dims_, std::move(copy), options_));
}

int64_t VectorStore::size() const { return index_->ntotal; }

std::string VectorStore::Describe() const {
  if (const auto* ivf =
          dynamic_cast<const faiss::IndexIVFFlat*>(index_.get())) {
    return absl::StrCat("ivf", ivf->nlist);
  }
  return "flat";
}

// Layout (docs/format.md, VECS): u32 dims, u8 kind (0 flat, 1 IVF). A flat
// store then holds array<u16> of its vectors as halves, by id. An IVF store
// holds array<f32> centroids (nlist x dims), array<u64> list sizes (nlist),
// array<u32> ids, list after list, and array<u16> their vectors as halves.
void VectorStore::AppendTo(ByteWriter* out) const {
  out->U32(static_cast<uint32_t>(dims_));
  out->U8(static_cast<uint8_t>(KindOf(index_.get())));
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    const size_t values = index_->ntotal * dims_;
    out->U64(values);
    WriteHalves(static_cast<const faiss::IndexFlat*>(index_.get())->get_xb(),
                values, out);
    return;
  }
  const auto* centroids = static_cast<const faiss::IndexFlat*>(ivf->quantizer);
  out->U64(ivf->nlist * dims_);
  out->Raw(centroids->get_xb(), ivf->nlist * dims_ * sizeof(float));
  const faiss::InvertedLists* lists = ivf->invlists;
  out->U64(ivf->nlist);
  for (size_t list = 0; list < ivf->nlist; ++list) {
    out->U64(lists->list_size(list));
  }
  out->U64(ivf->ntotal);
  for (size_t list = 0; list < ivf->nlist; ++list) {
    const faiss::Index::idx_t* ids = lists->get_ids(list);
    for (size_t i = 0; i < lists->list_size(list); ++i) {
      out->U32(static_cast<uint32_t>(ids[i]));
    }
  }
  out->U64(ivf->ntotal * dims_);
  for (size_t list = 0; list < ivf->nlist; ++list) {
    WriteHalves(reinterpret_cast<const float*>(lists->get_codes(list)),
                lists->list_size(list) * dims_, out);
  }
}

namespace {

// A flat store of the halves in `vectors`.
absl::StatusOr<std::unique_ptr<faiss::Index>> ReadFlat(ByteReader* in,
                                                       int dims) {
  absl::string_view halves;
  SYNDEX_RETURN_IF_ERROR(in->ArrayBytes(sizeof(uint16_t), &halves));
  const size_t values = halves.size() / sizeof(uint16_t);
  if (values % dims != 0) {
    return in->Fail("vector store size is not a multiple of dims");
  }
  auto flat = std::make_unique<faiss::IndexFlatIP>(dims);
  ReserveHuge(&flat->codes, values * sizeof(float));
  flat->codes.resize(values * sizeof(float));
  ReadHalves(halves.data(), values, flat->get_xb());
  flat->ntotal = static_cast<faiss::Index::idx_t>(values / dims);
  return std::unique_ptr<faiss::Index>(std::move(flat));
}

// Fills one list with `size` u32 ids and their vectors (size x dims halves),
// both unaligned.
void FillList(const char* ids, const char* halves, size_t size, int dims,
              faiss::Index::idx_t* list_ids, uint8_t* codes) {
  for (size_t i = 0; i < size; ++i) {
    uint32_t id;
    std::memcpy(&id, ids + i * sizeof(uint32_t), sizeof(id));
    list_ids[i] = id;
  }
  ReadHalves(halves, size * dims, reinterpret_cast<float*>(codes));
}

// An IVF store; its lists are filled in parallel.
absl::StatusOr<std::unique_ptr<faiss::Index>> ReadIvf(
    ByteReader* in, int dims, const VectorStoreOptions& options) {
  std::vector<float> centroids;
  std::vector<uint64_t> sizes;
  absl::string_view ids, halves;
  SYNDEX_RETURN_IF_ERROR(in->Array(&centroids));
  SYNDEX_RETURN_IF_ERROR(in->Array(&sizes));
  SYNDEX_RETURN_IF_ERROR(in->ArrayBytes(sizeof(uint32_t), &ids));
  SYNDEX_RETURN_IF_ERROR(in->ArrayBytes(sizeof(uint16_t), &halves));
  const size_t nlist = centroids.size() / dims;
  const size_t n = ids.size() / sizeof(uint32_t);
  if (nlist == 0 || centroids.size() % dims != 0 || sizes.size() != nlist) {
    return in->Fail("vector store lists do not match their centroids");
  }
  // Where each list starts among the ids.
  std::vector<size_t> first(nlist, 0);
  size_t total = 0;
  bool sizes_fit = true;
  for (size_t list = 0; list < nlist && sizes_fit; ++list) {
    sizes_fit = sizes[list] <= n - total;
    first[list] = total;
    total += sizes_fit ? sizes[list] : 0;
  }
  if (!sizes_fit || total != n ||
      halves.size() != n * dims * sizeof(uint16_t)) {
    return in->Fail("vector store list sizes do not match its vectors");
  }
  std::unique_ptr<faiss::IndexIVFFlat> ivf =
      EmptyIvf(dims, nlist, centroids.data(), options.nprobe);
  auto lists = std::make_unique<PackedLists>(ivf->code_size, sizes);
  ParallelFor(nlist, ResolveThreads(options.threads), 16,
              [&](size_t begin, size_t end, int) {
                for (size_t list = begin; list < end; ++list) {
                  const size_t at = first[list];
                  FillList(ids.data() + at * sizeof(uint32_t),
                           halves.data() + at * dims * sizeof(uint16_t),
                           sizes[list], dims, lists->mutable_ids(list),
                           lists->mutable_codes(list));
                }
              });
  ivf->replace_invlists(lists.release(), true);
  ivf->ntotal = static_cast<faiss::Index::idx_t>(n);
  if (!ListsHoldEachIdOnce(*ivf)) {
    return in->Fail("vector store lists do not hold ids 0..n-1 once each");
  }
  return std::unique_ptr<faiss::Index>(std::move(ivf));
}

}  // namespace

absl::StatusOr<std::unique_ptr<VectorStore>> VectorStore::ReadFrom(
    ByteReader* in, const VectorStoreOptions& options) {
  uint32_t dims = 0;
  uint8_t kind = 0;
  SYNDEX_RETURN_IF_ERROR(in->U32(&dims));
  SYNDEX_RETURN_IF_ERROR(in->U8(&kind));
  if (dims == 0 || dims > (1u << 20)) {
    return in->Fail(absl::StrCat("vector store dims ", dims, " out of range"));
  }
  if (kind > static_cast<uint8_t>(Kind::kIvf)) {
    return in->Fail(absl::StrCat("unknown vector store kind ", kind));
  }
  absl::StatusOr<std::unique_ptr<faiss::Index>> index;
  const absl::Status st = Guard("read index", [&] {
    index = kind == static_cast<uint8_t>(Kind::kFlat)
                ? ReadFlat(in, static_cast<int>(dims))
                : ReadIvf(in, static_cast<int>(dims), options);
  });
  if (!st.ok()) return in->Fail(st.message());
  if (!index.ok()) return index.status();
  return std::unique_ptr<VectorStore>(new VectorStore(
      static_cast<int>(dims), std::move(index).value(), options));
}

}  // namespace syndex
