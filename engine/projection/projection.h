#ifndef SYNDEX_ENGINE_PROJECTION_PROJECTION_H_
#define SYNDEX_ENGINE_PROJECTION_PROJECTION_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/tfidf/tfidf.h"
#include "engine/util/bytes.h"
#include "engine/util/hash.h"

namespace syndex {

struct ProjectionOptions {
  // Output dimensions. Default: 256.
  int dims = 256;
  // Extra random directions of the randomized SVD. Default: 16.
  int oversample = 16;
  // Power iterations of the randomized SVD. Default: 2.
  int power_iterations = 2;
  // Only the `max_terms` terms of highest document frequency are projected;
  // other terms contribute nothing to the dense vector. Default: 65536.
  uint32_t max_terms = 65536;
  // Seed of the random test matrix. Default: kDefaultSeed.
  uint64_t seed = kDefaultSeed;
  // Threads for the matrix products. Default: 0 (all).
  int threads = 0;
};

// Latent semantic analysis: a linear map from TF-IDF vectors to dense
// `dims`-dimensional unit vectors, learned by randomized truncated SVD
// (Halko, Martinsson & Tropp 2011) of the documents x terms matrix of a
// training sample. Project(x) = normalize(x V_k) where V_k holds the top
// right singular vectors (restricted to the projected terms). If the sample's
// rank is below `dims`, the remaining dimensions are zero.
//
// Thread-safe after construction.
class Projection {
 public:
  Projection() = default;

  // Learns the map from `sample` (TF-IDF vectors with term ids below
  // `vocabulary_size`). `df` gives each term's document frequency, used to
  // pick the projected terms. InvalidArgumentError on an empty sample.
  static absl::StatusOr<Projection> Train(
      const std::vector<SparseVector>& sample, const std::vector<uint32_t>& df,
      const ProjectionOptions& options);

  int dims() const { return dims_; }
  // Writes dims() floats to `out`: the unit-length projection of `x`, or all
  // zeros if x has no projected term. The basis rows of x's terms are added
  // in row order.
  void Project(const SparseVector& x, float* out) const;
  // Project of each of `xs` into out (xs.size() x dims()), with identical
  // results. Each basis row is read once, in order, instead of once per
  // vector at random: far less memory traffic for large batches.
  void ProjectBatch(const std::vector<SparseVector>& xs, float* out) const;

  // The stored form (docs/format.md, PROJ) leaves out the trailing basis
  // columns that are +0.0 in every row; ReadFrom restores them, so a
  // projection read back is bit for bit the one written.
  void AppendTo(ByteWriter* out) const;
  static absl::Status ReadFrom(ByteReader* in, Projection* projection);

 private:
  // out += w * basis row `row`.
  void AddRow(int32_t row, float w, float* out) const;
  // Scales out (dims_ floats) to unit length, if it is not zero.
  void Normalize(float* out) const;

  int dims_ = 0;
  // term id -> row of basis_, or -1 when the term is not projected.
  std::vector<int32_t> row_of_term_;
  // rows x dims_, row-major.
  std::vector<float> basis_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_PROJECTION_PROJECTION_H_
