#ifndef SYNDEX_ENGINE_TFIDF_TERM_TABLE_H_
#define SYNDEX_ENGINE_TFIDF_TERM_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "engine/util/bytes.h"

namespace syndex {

// The raw term counts of documents 0..n-1: document i has the terms
// ids[offsets[i] .. offsets[i+1]), ascending, with their counts (1..65535;
// larger counts are saturated when added).
struct TermTable {
  std::vector<uint64_t> offsets = {0};
  std::vector<uint32_t> ids;
  std::vector<uint16_t> counts;

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
