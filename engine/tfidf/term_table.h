#ifndef SYNDEX_ENGINE_TFIDF_TERM_TABLE_H_
#define SYNDEX_ENGINE_TFIDF_TERM_TABLE_H_

#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/util/bytes.h"

namespace syndex {

// An allocator whose vectors leave new elements uninitialized on resize,
// so that a large table about to be overwritten is not zero-filled first
// (its pages are then first touched by the threads that fill it).
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// The raw term counts of documents 0..n-1: document i has the terms
// ids[offsets[i] .. offsets[i+1]), ascending, with their counts (1..65535;
// larger counts are saturated when added).
struct TermTable {
  std::vector<uint64_t> offsets = {0};
  std::vector<uint32_t, UninitializedAllocator<uint32_t>> ids;
  std::vector<uint16_t, UninitializedAllocator<uint16_t>> counts;

  size_t num_docs() const { return offsets.size() - 1; }
};

// Writes `table` compactly: per document, each term as two LEB128 varints,
// the gap to the previous id and the count (docs/format.md, TERM). Uses up
// to `threads` threads (0 = all cores).
void AppendTermTable(const TermTable& table, int threads, ByteWriter* out);

// Reads what AppendTermTable wrote, decoding documents in parallel, and
// checks it: ids ascending and within u32, counts in 1..65535, every byte
// used exactly once. A table that is not well-formed is DataLossError.
absl::Status ReadTermTable(ByteReader* in, int threads, TermTable* table);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_TFIDF_TERM_TABLE_H_
