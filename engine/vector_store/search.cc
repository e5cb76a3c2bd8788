// Exact top-k scoring of queries against runs of stored vectors, by BLAS
// or the half-precision kernels (half_dot.h).

#include <cblas.h>

#include <algorithm>
#include <numeric>
#include <thread>

#include "engine/util/parallel.h"
#include "engine/vector_store/blas_threads.h"
#include "engine/vector_store/half_dot.h"
#include "engine/vector_store/internal.h"
#include "faiss/IndexFlat.h"
#include "faiss/invlists/InvertedLists.h"

namespace syndex {
namespace vector_store_internal {

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
              const int64_t* top_rows) {
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


}  // namespace vector_store_internal
}  // namespace syndex
