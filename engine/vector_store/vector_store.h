#ifndef SYNDEX_ENGINE_VECTOR_STORE_VECTOR_STORE_H_
#define SYNDEX_ENGINE_VECTOR_STORE_VECTOR_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/util/bytes.h"

namespace faiss {
struct Index;
}

namespace syndex {

struct VectorStoreOptions {
  // Up to this many vectors the store is exact (faiss::IndexFlatIP); above
  // it, an inverted-file index (faiss::IndexIVFFlat, inner product) with
  // about 2 sqrt(n) lists trained on a sample (TrainingSize). Default: 50000.
  int64_t exact_limit = 50000;
  // Lists probed per query by the IVF index. Default: 16.
  int nprobe = 16;
  // Seed of the training sample and k-means. Default: 1234.
  uint64_t seed = 1234;
  // Threads FAISS may use (OpenMP). Default: 0 (all).
  int threads = 0;
};

// Dense unit vectors under inner-product (cosine) search, numbered 0..n-1 in
// order of addition. The only component that includes FAISS; FAISS
// exceptions are turned into absl::Status here.
//
// Not thread-safe while adding; Search is thread-safe.
class VectorStore {
 public:
  ~VectorStore();

  // A store for vectors of `dims` dimensions. `training` holds
  // `num_training` x dims floats (row-major), a sample of the vectors that
  // will be added, of which at least `expected_size` are expected; the kind
  // of index is chosen from expected_size (see VectorStoreOptions).
  static absl::StatusOr<std::unique_ptr<VectorStore>> Create(
      int dims, int64_t expected_size, const float* training,
      int64_t num_training, const VectorStoreOptions& options);

  // How many training vectors Create wants for an index of `expected_size`:
  // at least `minimum` and 39 per list, at most expected_size.
  static int64_t TrainingSize(int64_t expected_size, int64_t minimum);

  // A store of the same kind and the same trained lists, without vectors.
  absl::StatusOr<std::unique_ptr<VectorStore>> EmptyCopy() const;

  // Appends n x dims floats (row-major), each rounded to half precision
  // (IEEE binary16, to nearest even): the store keeps, searches and writes
  // the rounded values.
  absl::Status Add(int64_t n, const float* vectors);
  // Remakes the half-precision copy of the vectors that Search reads (see
  // Search) if Adds dropped one and have added at least a sixteenth of the
  // store since it was made, so that a stream of small Adds costs O(1)
  // conversions per added value; until then searches read the floats,
  // which gives the same results. Add leaves this to its caller so that it
  // can run outside of any lock searches wait on. Thread-safe with Search,
  // not with Add.
  void RefreshHalves() const;

  // For each of `n` queries (n x dims floats), the `k` nearest vectors by
  // inner product: `scores` and `ids` are n x k, best first (ties: smaller
  // id first); missing results have id -1. The IVF index scores the stored
  // vectors of the `nprobe` lists nearest to each query. Scores are BLAS
  // matrix products (all of a list's queries at once), so a batch costs
  // far less per query than single queries. Fewer than 8 queries are
  // scored with the fixed sum order of HalfDots instead, on all threads:
  // the first kFloatSearches such searches read the floats (FloatDots);
  // later ones read a copy of the vectors as halves (half the bytes; about
  // 2 bytes per dimension and vector), made by the first of them after
  // each change of the store. Both give the same bits, so a query's answer
  // does not depend on whether the copy exists.
  absl::Status Search(int64_t n, const float* queries, int k, float* scores,
                      int64_t* ids) const;
  static constexpr int64_t kFloatSearches = 8;

  // For every vector stored in `queries`, its `k` nearest vectors here, as
  // Search of all of its vectors would give them, except that an IVF
  // store probes the nprobe lists nearest to the centroid of the query's
  // own list, not to the query: no coarse search, and each pair of lists
  // is one matrix product. `scores` and `ids` are queries.size() x k, in
  // the query store's id order. REQUIRES: `queries` has this store's lists
  // (it is this store or made by EmptyCopy of it or of a store it was
  // copied from); InvalidArgumentError otherwise.
  absl::Status SearchStored(const VectorStore& queries, int k, float* scores,
                            int64_t* ids) const {
    return SearchStored(queries, k, {}, scores, ids);
  }
  // As above, but an IVF store probes only the nearest probes[i] (at most
  // nprobe) of those lists for query i: 0 leaves it without results. A
  // flat store ignores `probes`. REQUIRES: probes.size() == queries.size().
  absl::Status SearchStored(const VectorStore& queries, int k,
                            const std::vector<uint8_t>& probes, float* scores,
                            int64_t* ids) const;

  // Where each stored vector lies (dims floats), by id; valid until the
  // store changes.
  std::vector<const float*> Vectors() const;

  // A store of the same kind and lists holding the vectors `ids` (distinct,
  // each below size()) as ids 0, 1, ...: the lists are copied, nothing is
  // searched or trained.
  absl::StatusOr<std::unique_ptr<VectorStore>> Subset(
      const std::vector<uint32_t>& ids) const;

  int dims() const { return dims_; }
  int64_t size() const;
  // "flat" or "ivf<nlist>".
  std::string Describe() const;

  void AppendTo(ByteWriter* out) const;
  static absl::StatusOr<std::unique_ptr<VectorStore>> ReadFrom(
      ByteReader* in, const VectorStoreOptions& options);

 private:
  VectorStore(int dims, std::unique_ptr<faiss::Index> index,
              const VectorStoreOptions& options);

  // The stored vectors as halves, in storage order (a flat store's by id,
  // an IVF store's list after list), and where each list starts.
  struct HalfCopy {
    std::unique_ptr<uint16_t[]> values;
    std::vector<size_t> first;
  };
  // The copy for the store as it is now, made if missing and `make`, else
  // null if missing. Thread-safe.
  std::shared_ptr<const HalfCopy> Halves(bool make) const;
  // A copy of the vectors as they are now.
  std::shared_ptr<const HalfCopy> MakeHalves() const;

  int dims_;
  std::unique_ptr<faiss::Index> index_;
  VectorStoreOptions options_;
  mutable std::mutex halves_mu_;
  // Searches of fewer than 8 queries so far.
  mutable std::atomic<int64_t> single_searches_{0};
  // Null until Halves() and after Add.
  mutable std::shared_ptr<const HalfCopy> halves_;
  // An Add dropped a copy: searches leave remaking it to RefreshHalves.
  mutable bool refresh_pending_ = false;
  // Vectors added since the copy was dropped (halves_mu_).
  mutable int64_t added_since_halves_ = 0;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_VECTOR_STORE_H_
