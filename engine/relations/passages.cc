#include "engine/relations/passages.h"

#include "absl/container/flat_hash_map.h"

namespace syndex {

std::vector<Passage> SharedPassages(const std::vector<uint64_t>& a,
                                    const std::vector<uint64_t>& b,
                                    int shingle_size) {
  absl::flat_hash_map<uint64_t, size_t> first_in_b;
  for (size_t p = 0; p < b.size(); ++p) first_in_b.try_emplace(b[p], p);
  std::vector<Passage> out;
  const size_t extra = shingle_size > 1 ? shingle_size - 1 : 0;
  for (size_t j = 0; j < a.size();) {
    auto it = first_in_b.find(a[j]);
    if (it == first_in_b.end()) {
      ++j;
      continue;
    }
    size_t p = it->second, length = 1;
    while (j + length < a.size() && p + length < b.size() &&
           a[j + length] == b[p + length]) {
      ++length;
    }
    out.push_back({j, j + length + extra, p, p + length + extra});
    j += length;
  }
  return out;
}

}  // namespace syndex
