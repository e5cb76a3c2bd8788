#include "engine/vector_store/vector_store.h"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/hash.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"
#include "faiss/IndexFlat.h"
#include "faiss/IndexIVFFlat.h"
#include "faiss/clone_index.h"
#include "faiss/impl/FaissException.h"
#include "faiss/impl/io.h"
#include "faiss/index_io.h"

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
    for (int64_t j = 0; j < count; ++j) {
      const float score = scores[j];
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
// first_id, first_id + 1, ...).
struct VectorRun {
  const float* vectors = nullptr;
  const faiss::Index::idx_t* ids = nullptr;
  int64_t first_id = 0;
  int64_t size = 0;
};

// Buffers reused across the runs of one search.
struct Scratch {
  std::vector<float> gathered;
  std::vector<float> scores;
};

// Scores the queries `rows` (indices into `queries`) against `run` with
// BLAS matrix products, in chunks of at most kMaxScores scores, and offers
// every score to `top`.
void ScoreRun(const VectorRun& run, const float* queries, int d,
              const std::vector<int64_t>& rows, int threads, Scratch* scratch,
              TopK* top) {
  if (run.size == 0 || rows.empty()) return;
  const int64_t chunk =
      std::max<int64_t>(1, std::min<int64_t>(rows.size(), kMaxScores / run.size));
  if (scratch->gathered.size() < static_cast<size_t>(chunk) * d) {
    scratch->gathered.resize(static_cast<size_t>(chunk) * d);
  }
  if (scratch->scores.size() < static_cast<size_t>(chunk) * run.size) {
    scratch->scores.resize(static_cast<size_t>(chunk) * run.size);
  }
  std::vector<float>& gathered = scratch->gathered;
  std::vector<float>& scores = scratch->scores;
  for (size_t begin = 0; begin < rows.size(); begin += chunk) {
    const int64_t m = std::min<int64_t>(chunk, rows.size() - begin);
    for (int64_t r = 0; r < m; ++r) {
      std::copy_n(queries + rows[begin + r] * d, d, &gathered[r * d]);
    }
    if (m < kMinGemmRows) {
      // A matrix product would first copy the whole run; a matrix-vector
      // product per query reads it in place.
      for (int64_t r = 0; r < m; ++r) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, run.size, d, 1.0f,
                    run.vectors, d, &gathered[r * d], 1, 0.0f,
                    &scores[r * run.size], 1);
      }
    } else {
      // scores (m x size) = gathered (m x d) * vectors^T (d x size).
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, run.size, d,
                  1.0f, gathered.data(), d, run.vectors, d, 0.0f,
                  scores.data(), run.size);
    }
    ParallelFor(m, threads, 16, [&](size_t b, size_t e, int) {
      for (size_t r = b; r < e; ++r) {
        top->Offer(rows[begin + r], &scores[r * run.size], run.ids,
                   run.first_id, run.size);
      }
    });
  }
}

// Reads a FAISS blob in place (faiss::VectorIOReader would copy it first).
class ViewReader : public faiss::IOReader {
 public:
  explicit ViewReader(absl::string_view data) : data_(data) {}

  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    if (size == 0) return 0;
    nitems = std::min(nitems, (data_.size() - pos_) / size);
    // FAISS reads empty arrays with a null `ptr`.
    if (nitems > 0) std::memcpy(ptr, data_.data() + pos_, nitems * size);
    pos_ += nitems * size;
    return nitems;
  }

 private:
  absl::string_view data_;
  size_t pos_ = 0;
};

// True if the lists of `ivf` hold every id of 0..ntotal-1 exactly once, as
// Add leaves them; searches and AllVectors rely on it.
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

Kind KindOf(const faiss::Index* index) {
  return dynamic_cast<const faiss::IndexIVFFlat*>(index) != nullptr
             ? Kind::kIvf
             : Kind::kFlat;
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
  return Guard("add", [&] { index_->add(n, vectors); });
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
  TopK top(n, k, scores, ids);
  Scratch scratch;
  const int threads = ResolveThreads(options_.threads);
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    const auto* flat = static_cast<const faiss::IndexFlat*>(index_.get());
    std::vector<int64_t> all(n);
    for (int64_t q = 0; q < n; ++q) all[q] = q;
    ScoreRun({flat->get_xb(), nullptr, 0, flat->ntotal}, queries, dims_, all,
             threads, &scratch, &top);
    return absl::OkStatus();
  }
  // The nprobe lists nearest to each query, then each list's queries at
  // once.
  const int64_t nprobe = std::min<int64_t>(ivf->nprobe, ivf->nlist);
  std::vector<float> coarse_scores(n * nprobe);
  std::vector<faiss::Index::idx_t> coarse(n * nprobe);
  SYNDEX_RETURN_IF_ERROR(Guard("search", [&] {
    ivf->quantizer->search(n, queries, nprobe, coarse_scores.data(),
                           coarse.data());
  }));
  std::vector<std::vector<int64_t>> rows(ivf->nlist);
  for (int64_t q = 0; q < n; ++q) {
    for (int64_t j = 0; j < nprobe; ++j) {
      const faiss::Index::idx_t list = coarse[q * nprobe + j];
      if (list >= 0) rows[list].push_back(q);
    }
  }
  for (size_t list = 0; list < rows.size(); ++list) {
    if (rows[list].empty()) continue;
    const faiss::InvertedLists* lists = ivf->invlists;
    faiss::InvertedLists::ScopedCodes codes(lists, list);
    faiss::InvertedLists::ScopedIds list_ids(lists, list);
    const VectorRun run{reinterpret_cast<const float*>(codes.get()),
                        list_ids.get(), 0,
                        static_cast<int64_t>(lists->list_size(list))};
    ScoreRun(run, queries, dims_, rows[list], threads, &scratch, &top);
  }
  return absl::OkStatus();
}

std::vector<float> VectorStore::AllVectors() const {
  std::vector<float> out(static_cast<size_t>(index_->ntotal) * dims_);
  const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(index_.get());
  if (ivf == nullptr) {
    const auto* flat = static_cast<const faiss::IndexFlat*>(index_.get());
    std::copy_n(flat->get_xb(), out.size(), out.data());
    return out;
  }
  for (size_t list = 0; list < ivf->nlist; ++list) {
    const faiss::InvertedLists* lists = ivf->invlists;
    faiss::InvertedLists::ScopedCodes codes(lists, list);
    faiss::InvertedLists::ScopedIds ids(lists, list);
    const float* vectors = reinterpret_cast<const float*>(codes.get());
    for (size_t i = 0; i < lists->list_size(list); ++i) {
      std::copy_n(vectors + i * dims_, dims_,
                  &out[static_cast<size_t>(ids[i]) * dims_]);
    }
  }
  return out;
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
    copy.reset(faiss::clone_index(index_.get()));
    copy->reset();
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

// Layout: u32 dims, u8 kind (0 flat, 1 IVF), u64 Hash64 of the FAISS blob
// (seed kDefaultSeed), then the blob (faiss::write_index) as a
// length-prefixed string. The checksum keeps corrupt bytes away from the
// FAISS reader, which trusts the sizes it reads.
void VectorStore::AppendTo(ByteWriter* out) const {
  faiss::VectorIOWriter writer;
  // Writing to memory fails only on allocation failure, which the rest of
  // the program does not survive either.
  faiss::write_index(index_.get(), &writer);
  const absl::string_view blob(
      reinterpret_cast<const char*>(writer.data.data()), writer.data.size());
  out->U32(static_cast<uint32_t>(dims_));
  out->U8(static_cast<uint8_t>(KindOf(index_.get())));
  out->U64(Hash64(blob, kDefaultSeed));
  out->String(blob);
}

absl::StatusOr<std::unique_ptr<VectorStore>> VectorStore::ReadFrom(
    ByteReader* in, const VectorStoreOptions& options) {
  uint32_t dims = 0;
  uint8_t kind = 0;
  uint64_t checksum = 0;
  absl::string_view blob;
  SYNDEX_RETURN_IF_ERROR(in->U32(&dims));
  SYNDEX_RETURN_IF_ERROR(in->U8(&kind));
  SYNDEX_RETURN_IF_ERROR(in->U64(&checksum));
  SYNDEX_RETURN_IF_ERROR(in->StringView(&blob));
  if (dims == 0 || dims > (1u << 20)) {
    return in->Fail(absl::StrCat("vector store dims ", dims, " out of range"));
  }
  if (kind > static_cast<uint8_t>(Kind::kIvf)) {
    return in->Fail(absl::StrCat("unknown vector store kind ", kind));
  }
  if (Hash64(blob, kDefaultSeed) != checksum) {
    return in->Fail("vector store checksum mismatch");
  }
  UseThreads(options);
  std::unique_ptr<faiss::Index> index;
  absl::Status st = Guard("read index", [&] {
    ViewReader reader(blob);
    index.reset(faiss::read_index(&reader));
  });
  if (!st.ok()) return in->Fail(st.message());
  const bool is_flat =
      dynamic_cast<faiss::IndexFlatIP*>(index.get()) != nullptr;
  auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(index.get());
  const bool kind_ok =
      kind == static_cast<uint8_t>(Kind::kFlat)
          ? is_flat
          : ivf != nullptr && ivf->metric_type == faiss::METRIC_INNER_PRODUCT;
  if (!kind_ok) return in->Fail("vector store index has an unexpected type");
  if (index->d != static_cast<int>(dims)) {
    return in->Fail("vector store index dims do not match");
  }
  if (ivf != nullptr) {
    if (!ListsHoldEachIdOnce(*ivf)) {
      return in->Fail("vector store lists do not hold ids 0..n-1 once each");
    }
    ivf->nprobe = std::max(1, options.nprobe);
  }
  return std::unique_ptr<VectorStore>(
      new VectorStore(static_cast<int>(dims), std::move(index), options));
}

}  // namespace syndex
