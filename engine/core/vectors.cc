// The projection and the vector store of an index.

#include <algorithm>
#include <numeric>

#include "engine/core/index_core.h"
#include "engine/util/hash.h"
#include "engine/util/parallel.h"
#include "engine/util/progress.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Articles projected together (ProjectRange): their dense rows (8 MiB at
// 256 dimensions) stay in cache while the basis streams past.
constexpr size_t kProjectBatch = 8192;

// Up to `limit` distinct numbers from [0, n), chosen by a seeded partial
// Fisher-Yates shuffle, in ascending order.
std::vector<uint32_t> Sample(uint32_t n, uint32_t limit, uint64_t seed) {
  std::vector<uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  if (n <= limit) return all;
  SplitMix64 rng(seed);
  for (uint32_t i = 0; i < limit; ++i) {
    const uint32_t j = i + static_cast<uint32_t>(rng.Next() % (n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(limit);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace

absl::Status IndexCore::UpdateVectors(AddReport* report) {
  const uint32_t first =
      vectors_ == nullptr ? 0 : static_cast<uint32_t>(vectors_->size());
  if (first == articles_.size()) return absl::OkStatus();
  if (vectors_ == nullptr || articles_.size() >= 2 * projection_trained_on_) {
    SYNDEX_RETURN_IF_ERROR(TrainProjection());
    report->refreshed_projection = true;
    return RebuildVectorStore();
  }
  const std::vector<float> dense = ProjectRange(first, articles_.size());
  return vectors_->Add(articles_.size() - first, dense.data());
}


absl::Status IndexCore::TrainProjection() {
  StageProgress progress(options_.progress, "projection", 1);
  const std::vector<uint32_t> sample =
      Sample(static_cast<uint32_t>(articles_.size()), params_.training_sample,
             params_.seed);
  std::vector<SparseVector> rows(sample.size());
  ParallelFor(sample.size(), threads(), kGrain,
              [&](size_t b, size_t e, int) {
                for (size_t i = b; i < e; ++i) rows[i] = Weighted(sample[i]);
              });
  std::vector<uint32_t> df(vocabulary_.size());
  for (uint32_t t = 0; t < df.size(); ++t) df[t] = vocabulary_.df(t);
  SYNDEX_ASSIGN_OR_RETURN(projection_,
                          Projection::Train(rows, df, params_.projection));
  projection_trained_on_ = articles_.size();
  return absl::OkStatus();
}

std::vector<float> IndexCore::ProjectRange(uint32_t begin, uint32_t end) const {
  const int d = projection_.dims();
  std::vector<float> out(static_cast<size_t>(end - begin) * d);
  StageProgress progress(options_.progress, "project", end - begin);
  // In batches, which read the basis in order (Projection::ProjectBatch).
  ParallelFor(end - begin, threads(), kProjectBatch,
              [&](size_t b, size_t e, int) {
                std::vector<SparseVector> batch(e - b);
                for (size_t i = b; i < e; ++i) {
                  batch[i - b] = Weighted(begin + i);
                }
                projection_.ProjectBatch(batch, &out[b * d]);
                progress.Add(e - b);
              });
  return out;
}

absl::StatusOr<std::unique_ptr<VectorStore>> IndexCore::NewVectorStore(
    const std::vector<float>& dense, uint64_t sample_seed) const {
  const int d = projection_.dims();
  const uint32_t n = static_cast<uint32_t>(dense.size() / d);
  const std::vector<uint32_t> sample =
      Sample(n,
             static_cast<uint32_t>(
                 VectorStore::TrainingSize(n, params_.training_sample)),
             sample_seed);
  std::vector<float> training(sample.size() * d);
  for (size_t i = 0; i < sample.size(); ++i) {
    std::copy_n(&dense[static_cast<size_t>(sample[i]) * d], d,
                &training[i * d]);
  }
  // Training (IVF only), then adding the vectors.
  StageProgress progress(options_.progress, "vector index", 2);
  VectorStoreOptions options;
  options.exact_limit = params_.exact_limit;
  options.nprobe = options_.nprobe;
  options.seed = params_.seed;
  options.threads = options_.threads;
  SYNDEX_ASSIGN_OR_RETURN(
      std::unique_ptr<VectorStore> store,
      VectorStore::Create(d, n, training.data(), sample.size(), options));
  progress.Add(1);
  SYNDEX_RETURN_IF_ERROR(store->Add(n, dense.data()));
  return store;
}

absl::Status IndexCore::RebuildVectorStore() {
  SYNDEX_ASSIGN_OR_RETURN(
      vectors_, NewVectorStore(ProjectRange(0, articles_.size()),
                               Mix64(params_.seed)));
  return absl::OkStatus();
}
}  // namespace syndex
