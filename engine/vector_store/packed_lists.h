#ifndef SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_
#define SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "faiss/invlists/InvertedLists.h"

namespace syndex {

// Inverted lists as an IVF store reads them from a file: the ids of all
// lists in one array and their codes in another, list after list. FAISS's
// ArrayInvertedLists allocates two buffers per list; one large buffer per
// array can be backed by huge pages, so that filling it takes a fraction of
// the page faults (about 250,000 fewer for a million 256-dimension vectors).
// Read-only: adding or resizing throws (as FAISS's ReadOnlyInvertedLists
// does); ToArrayLists gives a copy that can grow.
class PackedLists : public faiss::ReadOnlyInvertedLists {
 public:
  using idx_t = faiss::Index::idx_t;

  // Lists of sizes[i] entries of `code_size` bytes each, zero-filled.
  PackedLists(size_t code_size, const std::vector<uint64_t>& sizes);

  size_t list_size(size_t list) const override {
    return first_[list + 1] - first_[list];
  }
  const uint8_t* get_codes(size_t list) const override {
    return codes_.data() + first_[list] * code_size;
  }
  const idx_t* get_ids(size_t list) const override {
    return ids_.data() + first_[list];
  }

  // For filling the lists.
  uint8_t* mutable_codes(size_t list) {
    return codes_.data() + first_[list] * code_size;
  }
  idx_t* mutable_ids(size_t list) { return ids_.data() + first_[list]; }

  // The same lists as FAISS's growable kind.
  std::unique_ptr<faiss::ArrayInvertedLists> ToArrayLists() const;

 private:
  std::vector<size_t> first_;  // Where each list starts; nlist + 1 values.
  std::vector<idx_t> ids_;
  std::vector<uint8_t> codes_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_
