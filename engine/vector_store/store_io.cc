// VectorStore's serialized form (docs/format.md, section VECS).

#include <cstring>

#include "engine/util/memory.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"
#include "engine/vector_store/internal.h"
#include "engine/vector_store/packed_lists.h"
#include "engine/vector_store/vector_store.h"
#include "faiss/IndexFlat.h"
#include "faiss/invlists/InvertedLists.h"

namespace syndex {

using vector_store_internal::Kind;
using vector_store_internal::KindOf;
using vector_store_internal::WriteHalves;

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

using namespace vector_store_internal;

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

