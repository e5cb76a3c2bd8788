#include "engine/vector_store/internal.h"

#include <algorithm>
#include <cstring>

#include "engine/vector_store/half_dot.h"
#include "faiss/IndexFlat.h"
#include "faiss/invlists/InvertedLists.h"

namespace syndex {
namespace vector_store_internal {


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


}  // namespace vector_store_internal
}  // namespace syndex
