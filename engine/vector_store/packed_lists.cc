#include "engine/vector_store/packed_lists.h"

#include <algorithm>

#include "engine/util/memory.h"
#include "faiss/impl/FaissAssert.h"

namespace syndex {

PackedLists::PackedLists(size_t code_size, const std::vector<uint64_t>& sizes)
    : faiss::InvertedLists(sizes.size(), code_size),
      unpacked_(sizes.size(), 0),
      own_ids_(sizes.size()),
      own_codes_(sizes.size()) {
  first_.reserve(sizes.size() + 1);
  size_t total = 0;
  first_.push_back(0);
  for (uint64_t size : sizes) {
    total += size;
    first_.push_back(total);
  }
  ReserveHuge(&ids_, total);
  ReserveHuge(&codes_, total * code_size);
  ids_.resize(total);
  codes_.resize(total * code_size);
}

size_t PackedLists::list_size(size_t list) const {
  return unpacked_[list] ? own_ids_[list].size()
                         : first_[list + 1] - first_[list];
}

const uint8_t* PackedLists::get_codes(size_t list) const {
  return unpacked_[list] ? own_codes_[list].data()
                         : codes_.data() + first_[list] * code_size;
}

const PackedLists::idx_t* PackedLists::get_ids(size_t list) const {
  return unpacked_[list] ? own_ids_[list].data() : ids_.data() + first_[list];
}

void PackedLists::Unpack(size_t list, size_t keep) {
  if (unpacked_[list]) return;
  keep = std::min(keep, first_[list + 1] - first_[list]);
  const idx_t* ids = ids_.data() + first_[list];
  const uint8_t* codes = codes_.data() + first_[list] * code_size;
  own_ids_[list].assign(ids, ids + keep);
  own_codes_[list].assign(codes, codes + keep * code_size);
  unpacked_[list] = 1;
}

size_t PackedLists::add_entries(size_t list, size_t n, const idx_t* ids,
                                const uint8_t* codes) {
  FAISS_THROW_IF_NOT(list < nlist);
  Unpack(list, SIZE_MAX);
  const size_t old_size = own_ids_[list].size();
  own_ids_[list].insert(own_ids_[list].end(), ids, ids + n);
  own_codes_[list].insert(own_codes_[list].end(), codes, codes + n * code_size);
  return old_size;
}

void PackedLists::update_entries(size_t list, size_t offset, size_t n,
                                 const idx_t* ids, const uint8_t* codes) {
  FAISS_THROW_IF_NOT(list < nlist);
  Unpack(list, SIZE_MAX);
  FAISS_THROW_IF_NOT(offset + n <= own_ids_[list].size());
  std::copy(ids, ids + n, own_ids_[list].begin() + offset);
  std::copy(codes, codes + n * code_size,
            own_codes_[list].begin() + offset * code_size);
}

void PackedLists::resize(size_t list, size_t new_size) {
  FAISS_THROW_IF_NOT(list < nlist);
  Unpack(list, new_size);
  own_ids_[list].resize(new_size);
  own_codes_[list].resize(new_size * code_size);
}

}  // namespace syndex
