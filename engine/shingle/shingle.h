#ifndef SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
#define SYNDEX_ENGINE_SHINGLE_SHINGLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/util/cpu.h"
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
//   t_i = TokenHash(token_i, seed)
//   shingle_j = HashWindows' hash of t_j .. t_{j+size-1} with seed
// A text of fewer than `size` but at least one token yields one shingle over
// all its tokens; no tokens yield an empty set. When `text` is not empty,
// every token must be a view into it (Tokenize's output), which makes the
// hashing faster; the hashes are the same.
// Thread-safe.
std::vector<uint64_t> ShingleHashes(
    const std::vector<absl::string_view>& tokens, const ShingleOptions& options,
    absl::string_view text = {});

// The shingle hashes of `tokens` in text order, one per start position
// (duplicates kept): element j is the shingle starting at token j. The
// same hashes as ShingleHashes, which is this sequence sorted and
// deduplicated. `text` as for ShingleHashes. Thread-safe.
std::vector<uint64_t> ShingleSequence(
    const std::vector<absl::string_view>& tokens, const ShingleOptions& options,
    absl::string_view text = {});

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

// The number of character grams of a joined string of `bytes` bytes: its
// windows of kCharGramBytes bytes.
inline size_t CharGramCount(size_t bytes) {
  return bytes < kCharGramBytes ? 0 : bytes - kCharGramBytes + 1;
}

// One character gram in kCharGramSampling (a power of two) is signed. With
// lo and hi the low and high u32 of a gram (the little-endian u64 of its
// bytes), and m = Mix64(seed ^ kGramSalt), a gram is kept when the top
// log2(kCharGramSampling) bits of the u32
//   lo * ((m & 0xFFFFFFFF) | 1) + hi * ((m >> 32) | 1)   (mod 2^32)
// are zero. The choice depends on the gram's bytes alone: two texts keep the
// same grams of what they share, and their Jaccard estimate stays that of
// all their grams.
inline constexpr size_t kCharGramSampling = 4;
// "grams" in ASCII.
inline constexpr uint64_t kGramSalt = 0x736d617267ULL;

// The kept character grams of `joined` (JoinTokens' output), the evidence
// that survives character noise (OCR errors, typos) which breaks whole-word
// shingles: of the windows of kCharGramBytes bytes, those the sampling above
// keeps, in text order with repeats kept (part of the on-disk format,
// docs/format.md). A misread letter changes only the windows over it, and
// words run together or split apart change none. Fewer bytes than a gram
// yield no grams. Replaces the contents of `grams`. Every SIMD level gives
// the same grams. REQUIRES: Supports(simd). Thread-safe.
void SampleCharGrams(absl::string_view joined, uint64_t seed,
                     std::vector<uint64_t>* grams,
                     SimdLevel simd = BestSimdLevel());

// SampleCharGrams of the joined `tokens`.
std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens,
                                uint64_t seed = kDefaultSeed);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_SHINGLE_SHINGLE_H_
