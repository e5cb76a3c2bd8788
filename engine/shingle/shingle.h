#ifndef SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
#define SYNDEX_ENGINE_SHINGLE_SHINGLE_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/util/hash.h"

namespace syndex {

struct ShingleOptions {
  // Words per shingle. Default: 5.
  int size = 5;
  // Seed of the token and shingle hashes. Default: kDefaultSeed.
  uint64_t seed = kDefaultSeed;
};

// Returns the set of word-shingle hashes of `tokens`, sorted ascending and
// without duplicates. Hashing (part of the on-disk format, docs/format.md):
//   t_i = Hash64(token_i, seed)
//   shingle_j = Hash64(bytes of t_j .. t_{j+size-1} as little-endian u64s,
//                      seed)
// A text of fewer than `size` but at least one token yields one shingle over
// all its tokens; no tokens yield an empty set.
// Thread-safe.
std::vector<uint64_t> ShingleHashes(
    const std::vector<absl::string_view>& tokens,
    const ShingleOptions& options);

// The shingle hashes of `tokens` in text order, one per start position
// (duplicates kept): element j is the shingle starting at token j. The
// same hashes as ShingleHashes, which is this sequence sorted and
// deduplicated. Thread-safe.
std::vector<uint64_t> ShingleSequence(
    const std::vector<absl::string_view>& tokens,
    const ShingleOptions& options);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
