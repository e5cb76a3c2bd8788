#ifndef SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
#define SYNDEX_ENGINE_SHINGLE_SHINGLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
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

// The number of distinct values among the `n` values at `values`: the size
// of the set ShingleHashes would return for a ShingleSequence, without
// sorting it. Thread-safe.
size_t CountDistinct(const uint64_t* values, size_t n);

// Bytes per character gram: eight, so that a gram packs into one u64.
inline constexpr size_t kCharGramBytes = 8;

// The string the character grams are taken from: `tokens` written one after
// another without separators, so words run together or split apart change
// only the grams across the join. Replaces the contents of `out`.
// REQUIRES: every token is a view into `text` (Tokenize's output); the copy
// may read up to 16 bytes from a token's start, never past `text`.
void JoinTokens(absl::string_view text,
                const std::vector<absl::string_view>& tokens, std::string* out);

// The number of character grams of a joined string of `bytes` bytes.
inline size_t CharGramCount(size_t bytes) {
  return bytes < kCharGramBytes ? 0 : bytes - kCharGramBytes + 1;
}

// The character grams of `tokens`, the evidence that survives character
// noise (OCR errors, typos) which breaks whole-word shingles: every window of
// kCharGramBytes bytes of the joined tokens (JoinTokens) is one gram, in text
// order with repeats kept, as the little-endian u64 of its bytes (part of the
// on-disk format, docs/format.md). Fewer bytes than a gram yield no grams.
// MinHasher::SignWindows signs them straight from the joined string.
// Thread-safe.
std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
