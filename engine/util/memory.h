#ifndef SYNDEX_ENGINE_UTIL_MEMORY_H_
#define SYNDEX_ENGINE_UTIL_MEMORY_H_

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace syndex {

// Arrays at least this large are worth backing with huge pages.
inline constexpr size_t kHugePageWorthy = size_t{4} << 20;

// Asks the kernel to back the memory at [p, p + bytes) with transparent huge
// pages where the system allows them (madvise MADV_HUGEPAGE on the 2 MiB
// pages it covers). Touching fresh memory costs a page fault per page; with
// huge pages one fault maps 512 times as much, which matters on virtual
// machines where a fault can cost ten microseconds or more. Call it on
// memory not yet written: pages already mapped keep their size. Only an
// optimization: it does nothing where huge pages are off or unsupported,
// and never fails.
void AdviseHugePages(void* p, size_t bytes);

// Makes room for `n` elements in `v` (keeping its elements) and, for
// kHugePageWorthy bytes or more, advises huge pages for the new storage
// before anything is written to it.
template <typename T, typename Allocator>
void ReserveHuge(std::vector<T, Allocator>* v, size_t n) {
  if (n <= v->capacity()) return;
  std::vector<T, Allocator> grown;
  grown.reserve(n);
  if (n * sizeof(T) >= kHugePageWorthy) {
    AdviseHugePages(grown.data(), n * sizeof(T));
  }
  grown.insert(grown.end(), std::make_move_iterator(v->begin()),
               std::make_move_iterator(v->end()));
  v->swap(grown);
}

// Makes room for `n` elements in `v` as growing one at a time would (at
// least doubling the capacity), through ReserveHuge.
template <typename T, typename Allocator>
void GrowHuge(std::vector<T, Allocator>* v, size_t n) {
  if (n > v->capacity()) ReserveHuge(v, std::max(n, 2 * v->capacity()));
}

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_MEMORY_H_
