#include "engine/projection/projection.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "Eigen/Dense"
#include "Eigen/SparseCore"
#include "absl/strings/str_cat.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

using DenseMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using SparseMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor>;

// Singular values below this fraction of the largest are treated as zero:
// V = Z U S^-1 would amplify the float rounding of Z in their directions.
constexpr double kRankTolerance = 1e-3;
// Gram eigenvalues below this fraction of the largest are dropped when
// orthonormalizing (their directions are float rounding noise).
constexpr double kGramTolerance = 1e-8;
// Dense products run over fixed blocks of rows, so that sums happen in the
// same order whatever the number of threads.
constexpr Eigen::Index kBlockRows = 1024;
// Bytes of the dense factor a sparse product reads per pass; keeps its
// randomly accessed rows in cache.
constexpr int64_t kPassBytes = 4 << 20;

// out = a * x, where `a` is sparse (rows x cols, sorted columns per row) and
// `x` dense (cols x w). The columns of `a` are taken in passes of rows of
// `x` that fit in cache. Each output row is summed by one worker in column
// order, so the result does not depend on the number of threads.
DenseMatrix Multiply(const SparseMatrix& a, const DenseMatrix& x, int threads) {
  const int64_t w = x.cols();
  DenseMatrix out = DenseMatrix::Zero(a.rows(), w);
  if (w == 0) return out;
  const int* outer = a.outerIndexPtr();
  const int* inner = a.innerIndexPtr();
  const float* values = a.valuePtr();
  std::vector<int> cursor(outer, outer + a.rows());
  const int64_t span = std::max<int64_t>(1, kPassBytes / (w * 4));
  for (int64_t begin_col = 0; begin_col < a.cols(); begin_col += span) {
    const int64_t end_col = std::min<int64_t>(a.cols(), begin_col + span);
    ParallelFor(a.rows(), threads, 256, [&](size_t begin, size_t end, int) {
      for (size_t i = begin; i < end; ++i) {
        float* __restrict o = out.data() + i * w;
        int k = cursor[i];
        int stop = k;
        while (stop < outer[i + 1] && inner[stop] < end_col) ++stop;
        // Four terms at a time: one load and store of the output per four.
        for (; k + 4 <= stop; k += 4) {
          const float v0 = values[k], v1 = values[k + 1];
          const float v2 = values[k + 2], v3 = values[k + 3];
          const float* __restrict x0 = x.data() + int64_t{inner[k]} * w;
          const float* __restrict x1 = x.data() + int64_t{inner[k + 1]} * w;
          const float* __restrict x2 = x.data() + int64_t{inner[k + 2]} * w;
          const float* __restrict x3 = x.data() + int64_t{inner[k + 3]} * w;
          for (int64_t c = 0; c < w; ++c) {
            o[c] += (v0 * x0[c] + v1 * x1[c]) + (v2 * x2[c] + v3 * x3[c]);
          }
        }
        for (; k < stop; ++k) {
          const float v = values[k];
          const float* __restrict xr = x.data() + int64_t{inner[k]} * w;
          for (int64_t c = 0; c < w; ++c) o[c] += v * xr[c];
        }
        cursor[i] = k;
      }
    });
  }
  return out;
}

// Y^T Y in double: float products of fixed row blocks, summed in order.
Eigen::MatrixXd Gram(const DenseMatrix& y, int threads) {
  const Eigen::Index blocks = (y.rows() + kBlockRows - 1) / kBlockRows;
  std::vector<Eigen::MatrixXf> partial(blocks);
  ParallelFor(blocks, threads, 1, [&](size_t begin, size_t end, int) {
    for (size_t b = begin; b < end; ++b) {
      const Eigen::Index first = b * kBlockRows;
      const auto rows =
          y.middleRows(first, std::min(kBlockRows, y.rows() - first));
      partial[b].noalias() = rows.transpose() * rows;
    }
  });
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(y.cols(), y.cols());
  for (const Eigen::MatrixXf& p : partial) gram += p.cast<double>();
  return gram;
}

// y * m (m small), by row blocks in parallel.
DenseMatrix MultiplySmall(const DenseMatrix& y, const Eigen::MatrixXf& m,
                          int threads) {
  DenseMatrix out(y.rows(), m.cols());
  const Eigen::Index blocks = (y.rows() + kBlockRows - 1) / kBlockRows;
  ParallelFor(blocks, threads, 1, [&](size_t begin, size_t end, int) {
    for (size_t b = begin; b < end; ++b) {
      const Eigen::Index first = b * kBlockRows;
      const Eigen::Index rows = std::min(kBlockRows, y.rows() - first);
      out.middleRows(first, rows).noalias() = y.middleRows(first, rows) * m;
    }
  });
  return out;
}

// The eigen-decomposition of Y^T Y = W diag(lambda) W^T, eigenvalues
// descending, without those below kGramTolerance of the largest.
struct Spectrum {
  Eigen::VectorXd lambda;
  Eigen::MatrixXd w;
};

Spectrum GramSpectrum(const DenseMatrix& y, int threads) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(Gram(y, threads));
  const Eigen::VectorXd& ascending = eigen.eigenvalues();
  const Eigen::Index size = ascending.size();
  Spectrum s;
  if (size == 0 || !(ascending(size - 1) > 0)) return s;
  Eigen::Index kept = 0;
  while (kept < size &&
         ascending(size - 1 - kept) > kGramTolerance * ascending(size - 1)) {
    ++kept;
  }
  s.lambda = ascending.tail(kept).reverse();
  s.w = eigen.eigenvectors().rightCols(kept).rowwise().reverse();
  return s;
}

// A basis of the column space of `y`, Y W diag(lambda)^-1/2, orthonormal up
// to rounding that grows with the condition number of `y` (a second call
// restores orthogonality to float precision). Directions of numerically zero
// weight are dropped.
DenseMatrix Orthonormalize(const DenseMatrix& y, int threads) {
  const Spectrum s = GramSpectrum(y, threads);
  const Eigen::MatrixXf m =
      (s.w * s.lambda.cwiseSqrt().cwiseInverse().asDiagonal()).cast<float>();
  return MultiplySmall(y, m, threads);
}

// A standard normal matrix (rows x cols). Row r comes from its own
// SplitMix64 stream derived from `seed`, so rows can be filled in parallel
// and the values depend only on (seed, r, c).
DenseMatrix Gaussian(Eigen::Index rows, Eigen::Index cols, uint64_t seed,
                     int threads) {
  DenseMatrix out(rows, cols);
  ParallelFor(rows, threads, 1024, [&](size_t begin, size_t end, int) {
    for (size_t r = begin; r < end; ++r) {
      SplitMix64 rng(Mix64(seed) ^ Mix64(r + 1));
      for (Eigen::Index c = 0; c < cols; c += 2) {
        // Box-Muller; 1 - u is in (0, 1], so the log is finite.
        const double u1 = 1.0 - rng.NextDouble();
        const double u2 = rng.NextDouble();
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 2.0 * M_PI * u2;
        out(r, c) = static_cast<float>(radius * std::cos(angle));
        if (c + 1 < cols)
          out(r, c + 1) = static_cast<float>(radius * std::sin(angle));
      }
    }
  });
  return out;
}

// The terms to project: the `max_terms` terms of highest df present in the
// sample (ties broken by lower id), numbered by that rank, so that the rows
// used most are adjacent in memory. Returns the number of rows.
int32_t SelectTerms(const std::vector<SparseVector>& sample,
                    const std::vector<uint32_t>& df, uint32_t max_terms,
                    std::vector<int32_t>* row_of_term) {
  std::vector<char> present(df.size(), 0);
  for (const SparseVector& x : sample) {
    for (uint32_t id : x.ids) present[id] = 1;
  }
  std::vector<uint32_t> terms;
  for (uint32_t id = 0; id < df.size(); ++id) {
    if (present[id]) terms.push_back(id);
  }
  std::sort(terms.begin(), terms.end(), [&](uint32_t a, uint32_t b) {
    return df[a] != df[b] ? df[a] > df[b] : a < b;
  });
  if (terms.size() > max_terms) terms.resize(max_terms);
  row_of_term->assign(df.size(), -1);
  for (size_t row = 0; row < terms.size(); ++row) {
    (*row_of_term)[terms[row]] = static_cast<int32_t>(row);
  }
  return static_cast<int32_t>(terms.size());
}

// The documents x projected-terms matrix of the sample.
SparseMatrix SampleMatrix(const std::vector<SparseVector>& sample,
                          const std::vector<int32_t>& row_of_term,
                          int32_t num_rows) {
  std::vector<Eigen::Triplet<float>> entries;
  size_t nnz = 0;
  for (const SparseVector& x : sample) nnz += x.size();
  entries.reserve(nnz);
  for (size_t doc = 0; doc < sample.size(); ++doc) {
    const SparseVector& x = sample[doc];
    for (size_t i = 0; i < x.size(); ++i) {
      const int32_t col = row_of_term[x.ids[i]];
      if (col >= 0 && x.values[i] != 0) {
        entries.emplace_back(static_cast<int>(doc), col, x.values[i]);
      }
    }
  }
  SparseMatrix a(static_cast<Eigen::Index>(sample.size()), num_rows);
  a.setFromTriplets(entries.begin(), entries.end());
  return a;
}

absl::Status CheckOptions(const ProjectionOptions& options) {
  if (options.dims <= 0 || options.oversample < 0 ||
      options.power_iterations < 0 || options.max_terms == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "projection: invalid options (dims ", options.dims, ", oversample ",
        options.oversample, ", power_iterations ", options.power_iterations,
        ", max_terms ", options.max_terms, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Projection> Projection::Train(
    const std::vector<SparseVector>& sample, const std::vector<uint32_t>& df,
    const ProjectionOptions& options) {
  SYNDEX_RETURN_IF_ERROR(CheckOptions(options));
  if (sample.empty()) {
    return absl::InvalidArgumentError("projection: empty training sample");
  }
  for (const SparseVector& x : sample) {
    if (x.values.size() != x.ids.size()) {
      return absl::InvalidArgumentError("projection: malformed sparse vector");
    }
    for (uint32_t id : x.ids) {
      if (id >= df.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("projection: term id ", id,
                         " outside the vocabulary of ", df.size()));
      }
    }
  }
  const int threads = ResolveThreads(options.threads);

  Projection p;
  p.dims_ = options.dims;
  const int32_t m = SelectTerms(sample, df, options.max_terms, &p.row_of_term_);
  p.basis_.assign(static_cast<size_t>(m) * p.dims_, 0.0f);
  const SparseMatrix a = SampleMatrix(sample, p.row_of_term_, m);
  const SparseMatrix at = a.transpose();
  const Eigen::Index n = a.rows();
  const Eigen::Index width = std::min<Eigen::Index>(
      {static_cast<Eigen::Index>(options.dims) + options.oversample, n, m});
  if (width == 0 || a.nonZeros() == 0) return p;

  // Range finder with power iterations: Q spans the dominant left singular
  // subspace of A.
  DenseMatrix q = Orthonormalize(
      Multiply(a, Gaussian(m, width, options.seed, threads), threads), threads);
  for (int i = 0; i < options.power_iterations; ++i) {
    q = Orthonormalize(Multiply(at, q, threads), threads);
    q = Orthonormalize(Multiply(a, q, threads), threads);
  }
  q = Orthonormalize(q, threads);  // second pass: orthogonality
  // B = Q^T A. With Z = B^T = A^T Q and Z^T Z = U S^2 U^T, the right singular
  // vectors of B (approximately those of A) are V = Z U S^-1.
  const DenseMatrix z = Multiply(at, q, threads);
  const Spectrum s = GramSpectrum(z, threads);
  Eigen::Index rank = 0;
  while (rank < std::min<Eigen::Index>(s.lambda.size(), p.dims_) &&
         std::sqrt(s.lambda(rank)) > kRankTolerance * std::sqrt(s.lambda(0))) {
    ++rank;
  }
  if (rank == 0) return p;
  const Eigen::MatrixXf to_v =
      (s.w.leftCols(rank) *
       s.lambda.head(rank).cwiseSqrt().cwiseInverse().asDiagonal())
          .cast<float>();
  const DenseMatrix v = MultiplySmall(z, to_v, threads);
  for (Eigen::Index row = 0; row < m; ++row) {
    for (Eigen::Index c = 0; c < rank; ++c) {
      p.basis_[static_cast<size_t>(row) * p.dims_ + c] = v(row, c);
    }
  }
  return p;
}

void Projection::Project(const SparseVector& x, float* out) const {
  // (row, weight) in row order, the order ProjectBatch adds rows in.
  std::vector<std::pair<int32_t, float>> rows;
  rows.reserve(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    if (x.ids[i] >= row_of_term_.size()) continue;
    const int32_t row = row_of_term_[x.ids[i]];
    if (row >= 0) rows.emplace_back(row, x.values[i]);
  }
  std::sort(rows.begin(), rows.end());
  std::fill(out, out + dims_, 0.0f);
  for (const auto& [row, w] : rows) AddRow(row, w, out);
  Normalize(out);
}

void Projection::ProjectBatch(const std::vector<SparseVector>& xs,
                              float* out) const {
  // Every (row, vector, weight), sorted by row by counting; within a row in
  // vector order.
  const size_t num_rows = basis_.size() / std::max(dims_, 1);
  std::vector<uint32_t> start(num_rows + 1, 0);
  for (const SparseVector& x : xs) {
    for (uint32_t id : x.ids) {
      if (id < row_of_term_.size() && row_of_term_[id] >= 0) {
        ++start[row_of_term_[id] + 1];
      }
    }
  }
  for (size_t r = 0; r < num_rows; ++r) start[r + 1] += start[r];
  std::vector<std::pair<uint32_t, float>> entries(start[num_rows]);
  for (uint32_t v = 0; v < xs.size(); ++v) {
    for (size_t i = 0; i < xs[v].size(); ++i) {
      const uint32_t id = xs[v].ids[i];
      if (id >= row_of_term_.size() || row_of_term_[id] < 0) continue;
      entries[start[row_of_term_[id]]++] = {v, xs[v].values[i]};
    }
  }
  // start[r] now ends row r's entries.
  std::fill(out, out + xs.size() * dims_, 0.0f);
  uint32_t begin = 0;
  for (size_t r = 0; r < num_rows; ++r) {
    for (uint32_t e = begin; e < start[r]; ++e) {
      AddRow(static_cast<int32_t>(r), entries[e].second,
             out + static_cast<size_t>(entries[e].first) * dims_);
    }
    begin = start[r];
  }
  for (size_t v = 0; v < xs.size(); ++v) Normalize(out + v * dims_);
}

void Projection::AddRow(int32_t row, float w, float* out) const {
  const float* basis_row = &basis_[static_cast<size_t>(row) * dims_];
  for (int c = 0; c < dims_; ++c) out[c] += w * basis_row[c];
}

void Projection::Normalize(float* out) const {
  double norm2 = 0;
  for (int c = 0; c < dims_; ++c) norm2 += double{out[c]} * out[c];
  if (norm2 > 0) {
    const float scale = static_cast<float>(1.0 / std::sqrt(norm2));
    for (int c = 0; c < dims_; ++c) out[c] *= scale;
  }
}

// Layout: u32 dims, u32 cols, the row of each term as an i32 array (-1: not
// projected), then the basis's first `cols` columns (rows x cols floats,
// row-major) as a float array. The columns after them are +0.0 in every
// row (those beyond the sample's rank) and are not stored.
void Projection::AppendTo(ByteWriter* out) const {
  const size_t rows = basis_.size() / std::max(dims_, 1);
  size_t cols = 0;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = cols; c < static_cast<size_t>(dims_); ++c) {
      // Bits, not value: -0.0 is kept.
      if (std::bit_cast<uint32_t>(basis_[r * dims_ + c]) != 0) cols = c + 1;
    }
  }
  std::vector<float> stored;
  stored.reserve(rows * cols);
  for (size_t r = 0; r < rows; ++r) {
    stored.insert(stored.end(), basis_.begin() + r * dims_,
                  basis_.begin() + r * dims_ + cols);
  }
  out->U32(static_cast<uint32_t>(dims_));
  out->U32(static_cast<uint32_t>(cols));
  out->Array(row_of_term_);
  out->Array(stored);
}

absl::Status Projection::ReadFrom(ByteReader* in, Projection* projection) {
  Projection p;
  uint32_t dims = 0, cols = 0;
  SYNDEX_RETURN_IF_ERROR(in->U32(&dims));
  if (dims == 0 || dims > (1u << 20)) {
    return in->Fail(absl::StrCat("projection dims ", dims, " out of range"));
  }
  SYNDEX_RETURN_IF_ERROR(in->U32(&cols));
  if (cols > dims) {
    return in->Fail(
        absl::StrCat("projection stores ", cols, " columns of ", dims));
  }
  p.dims_ = static_cast<int>(dims);
  SYNDEX_RETURN_IF_ERROR(in->Array(&p.row_of_term_));
  std::vector<float> stored;
  SYNDEX_RETURN_IF_ERROR(in->Array(&stored));
  // The rows in use must be exactly 0..rows-1, each once.
  size_t rows = 0;
  for (int32_t row : p.row_of_term_) rows += row >= 0;
  std::vector<char> seen(rows, 0);
  for (int32_t row : p.row_of_term_) {
    if (row < -1 ||
        (row >= 0 && (static_cast<size_t>(row) >= rows || seen[row]))) {
      return in->Fail("projection term rows are not a permutation");
    }
    if (row >= 0) seen[row] = 1;
  }
  if (stored.size() != rows * cols) {
    return in->Fail("projection basis size does not match its rows");
  }
  for (float x : stored) {
    if (!std::isfinite(x)) return in->Fail("projection basis not finite");
  }
  p.basis_.assign(rows * dims, 0.0f);
  for (size_t r = 0; r < rows; ++r) {
    std::copy_n(&stored[r * cols], cols, &p.basis_[r * dims]);
  }
  *projection = std::move(p);
  return absl::OkStatus();
}

}  // namespace syndex
