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
#include "engine/vector_store/internal.h"
#include "engine/vector_store/packed_lists.h"
#include "faiss/IndexFlat.h"
#include "faiss/IndexIVFFlat.h"
#include "faiss/clone_index.h"
#include "faiss/impl/FaissException.h"
#include "faiss/invlists/InvertedLists.h"

namespace syndex {
namespace {

using namespace vector_store_internal;  // NOLINT: one component

// k-means needs about this many training vectors per list to be meaningful
// (FAISS warns below it).
constexpr int64_t kMinPointsPerList = 39;
constexpr int64_t kMinLists = 16;
constexpr int64_t kMaxLists = 65536;

void UseThreads(const VectorStoreOptions& options) {
  if (options.threads > 0) omp_set_num_threads(options.threads);
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
  if (halves_ != nullptr || !make) return halves_;
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
  halves_ = std::move(copy);
  return halves_;
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

}  // namespace syndex
