#include "engine/vector_store/packed_lists.h"

#include "engine/util/memory.h"

namespace syndex {

PackedLists::PackedLists(size_t code_size, const std::vector<uint64_t>& sizes)
    : faiss::ReadOnlyInvertedLists(sizes.size(), code_size) {
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

std::unique_ptr<faiss::ArrayInvertedLists> PackedLists::ToArrayLists() const {
  auto lists = std::make_unique<faiss::ArrayInvertedLists>(nlist, code_size);
  for (size_t list = 0; list < nlist; ++list) {
    lists->add_entries(list, list_size(list), get_ids(list), get_codes(list));
  }
  return lists;
}

}  // namespace syndex
