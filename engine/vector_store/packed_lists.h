#ifndef SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_
#define SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "faiss/invlists/InvertedLists.h"

namespace syndex {

// Inverted lists as an IVF store reads them from a file: the ids of all
// lists in one array and their codes in another, list after list. FAISS's
// ArrayInvertedLists allocates two buffers per list; one large buffer per
// array can be backed by huge pages, so that filling it takes a fraction of
// the page faults (about 250,000 fewer for a million 256-dimension vectors).
//
// A list that is changed (entries added, updated or resized) is first
// copied out of the packed arrays into buffers of its own, as
// ArrayInvertedLists keeps them; its packed bytes stay allocated, unused.
// So adding a few vectors copies only the lists they fall into.
//
// Thread-compatible, and, as FAISS requires of inverted lists, different
// lists may be changed by different threads at once.
class PackedLists : public faiss::InvertedLists {
 public:
  using idx_t = faiss::Index::idx_t;

  // Lists of sizes[i] entries of `code_size` bytes each, zero-filled.
  PackedLists(size_t code_size, const std::vector<uint64_t>& sizes);

  size_t list_size(size_t list) const override;
  const uint8_t* get_codes(size_t list) const override;
  const idx_t* get_ids(size_t list) const override;

  size_t add_entries(size_t list, size_t n, const idx_t* ids,
                     const uint8_t* codes) override;
  void update_entries(size_t list, size_t offset, size_t n, const idx_t* ids,
                      const uint8_t* codes) override;
  void resize(size_t list, size_t new_size) override;

  // For filling a list that was not changed.
  uint8_t* mutable_codes(size_t list) {
    return codes_.data() + first_[list] * code_size;
  }
  idx_t* mutable_ids(size_t list) { return ids_.data() + first_[list]; }

 private:
  // Copies list `list` out of the packed arrays (at most its first `keep`
  // entries) unless it was copied before.
  void Unpack(size_t list, size_t keep);

  std::vector<size_t> first_;  // Where each list starts; nlist + 1 values.
  std::vector<idx_t> ids_;
  std::vector<uint8_t> codes_;
  // Lists copied out of the packed arrays (char, not bool: threads write
  // neighbouring flags), and their entries.
  std::vector<char> unpacked_;
  std::vector<std::vector<idx_t>> own_ids_;
  std::vector<std::vector<uint8_t>> own_codes_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_PACKED_LISTS_H_
