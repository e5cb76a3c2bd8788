#ifndef SYNDEX_ENGINE_VECTOR_STORE_INTERNAL_H_
#define SYNDEX_ENGINE_VECTOR_STORE_INTERNAL_H_

// What the files of VectorStore share: its stored kinds, the exact top-k
// search over runs of stored vectors (search.cc), the half-precision
// conversions and the IVF helpers (internal.cc). Not part of the API.

#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/util/bytes.h"
#include "faiss/IndexIVFFlat.h"
#include "faiss/impl/FaissException.h"

namespace syndex {
namespace vector_store_internal {

// Index kinds as stored; written to disk, never renumber.
enum class Kind : uint8_t { kFlat = 0, kIvf = 1 };

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
                TopK* top);
// Queries per block against `size` vectors within kMaxScores.
int64_t BlockRows(int64_t size);
// Scores the queries `rows` (indices into `queries`) against `run` with
// BLAS matrix products, in blocks of at most kMaxScores scores, and offers
// every score to `top`.
// The scores of query rows[i] go to row top_rows[rows[i]] of `top`, or to
// row rows[i] without top_rows.
void ScoreRun(const VectorRun& run, const float* queries, int d,
              const std::vector<int64_t>& rows, Scratch* scratch, TopK* top,
              const int64_t* top_rows = nullptr);
// Scores each of `runs` against its `rows` of `queries` (n x d) and keeps
// the k best of each query in `scores` and `ids` (n x k).
void ScoreRuns(const std::vector<VectorRun>& runs,
               const std::vector<std::vector<int64_t>>& rows,
               const float* queries, int d, int64_t n, int k, int threads,
               float* scores, int64_t* ids);
// ScoreRuns of every query against one run, the run split into pieces
// that threads share (each piece is read once).
void ScoreAll(const VectorRun& run, const float* queries, int d, int64_t n,
              int k, int threads, float* scores, int64_t* ids);
// Scores the `m` queries at `block` (m x d, row r going to row rows[r] of
// `top`) against the nprobe lists of `ivf` nearest to each, chosen among
// the `ncand` lists `candidates`.
void SearchAmongLists(const faiss::IndexIVFFlat& ivf, const float* block,
                      const int64_t* rows, int64_t m,
                      const int64_t* candidates, int64_t ncand,
                      int64_t nprobe, const std::vector<uint8_t>& probes,
                      Scratch* scratch, TopK* top);

// Vectors are kept at half precision: IEEE binary16 with rounding to
// nearest even (FloatToHalf, the same bits at every SimdLevel). Conversions
// go a block at a time.
constexpr size_t kHalfBlock = size_t{1} << 15;
// Writes n floats as halves.
void WriteHalves(const float* x, size_t n, ByteWriter* out);
// Converts n halves at `bytes` (unaligned) to floats.
void ReadHalves(const char* bytes, size_t n, float* out);
// Rounds n floats to half precision in place.
void RoundToHalves(float* x, size_t n);

// True if the lists of `ivf` hold every id of 0..ntotal-1 exactly once, as
// Add leaves them; searches, Vectors and Subset rely on it.
bool ListsHoldEachIdOnce(const faiss::IndexIVFFlat& ivf);
// An empty IVF index over the `nlist` centroids at `centroids` (nlist x
// dims floats), probing `nprobe` lists (at least one) per query.
std::unique_ptr<faiss::IndexIVFFlat> EmptyIvf(int dims, size_t nlist,
                                              const float* centroids,
                                              int nprobe);
// True if both are IVF indexes with the same centroids.
bool SameLists(const faiss::IndexIVFFlat* a, const faiss::IndexIVFFlat* b);
Kind KindOf(const faiss::Index* index);

}  // namespace vector_store_internal
}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_INTERNAL_H_
