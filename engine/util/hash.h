#ifndef SYNDEX_ENGINE_UTIL_HASH_H_
#define SYNDEX_ENGINE_UTIL_HASH_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace syndex {

// The hash functions below reach disk and output, so they are fixed forever:
// changing any of them changes every stored signature and needs a new format
// version (docs/format.md). They do not depend on the machine, the compiler,
// the process or the instruction set. Never use std::hash or absl::Hash for
// anything persisted: both may differ between builds and processes.

// The default seed of all syndex hashing ("syndex01" as little-endian ASCII).
inline constexpr uint64_t kDefaultSeed = 0x313078656e646e79ULL;

// XXH3-64 (xxhash >= 0.8.0, whose output is frozen) of `size` bytes at
// `data`, with `seed`.
uint64_t Hash64(const void* data, size_t size, uint64_t seed);
inline uint64_t Hash64(absl::string_view s, uint64_t seed) {
  return Hash64(s.data(), s.size(), seed);
}

// The word-shingle hashes of hash family 3 (docs/format.md, "Hashing").
// Both are built on the folded multiply Fold(a, b): the 128-bit product of
// two u64s, its high and low halves XORed. Keys come from SplitMix64
// streams of the seed XORed with an ASCII salt, so that they differ from
// every other key derived from the same seed.

// The hash of one token: with lo and hi the little-endian u64s of the
// token's bytes 0-7 and 8-15, zero-padded, and n its length,
//   TokenHash = Fold(lo ^ k0 ^ n * kMix64Gamma, hi ^ k1)   if n <= 16,
//   TokenHash = Hash64(token, seed)                          if n > 16,
// where k0, k1 are the first two values of SplitMix64(seed ^ kTokenSalt).
uint64_t TokenHash(absl::string_view token, uint64_t seed);

// TokenHash of each of the n tokens: out[i] = TokenHash(tokens[i], seed).
// When `text` is not empty, every token must be a view into it; the hashing
// may then read whole 16-byte blocks from a token's start that stay inside
// `text`, which is faster.
void HashTokens(absl::string_view text, const absl::string_view* tokens,
                size_t n, uint64_t seed, uint64_t* out);

// The hash of every window of `width` consecutive values (token hashes):
// with k_0 .. k_width the values of SplitMix64(seed ^ kWindowSalt),
//   out[j] = XOR over even i < width of
//            Fold(v[j+i] ^ k_i, (i + 1 < width ? v[j+i+1] : width) ^ k_{i+1})
// for j < count. The caller provides count + width - 1 values; `out` may be
// `values` (each window is read before its hash is written).
void HashWindows(const uint64_t* values, size_t count, size_t width,
                 uint64_t seed, uint64_t* out);

// The salts of the key streams above: "tokens" and "windows" in ASCII.
inline constexpr uint64_t kTokenSalt = 0x736e656b6f74ULL;
inline constexpr uint64_t kWindowSalt = 0x73776f646e6977ULL;

// The folded multiply: the high and low halves of the 128-bit product a * b,
// XORed.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// Hash64 of bytes given in pieces: the digest of pieces p1, p2, ... equals
// Hash64 of their concatenation. Not copyable.
class StreamingHash64 {
 public:
  explicit StreamingHash64(uint64_t seed);
  ~StreamingHash64();
  StreamingHash64(const StreamingHash64&) = delete;
  StreamingHash64& operator=(const StreamingHash64&) = delete;

  void Update(const void* data, size_t size);
  uint64_t Digest() const;

 private:
  void* state_;  // XXH3_state_t
};

// The constants of Mix64, for vectorized copies of it.
inline constexpr uint64_t kMix64Gamma = 0x9e3779b97f4a7c15ULL;
inline constexpr uint64_t kMix64M1 = 0xbf58476d1ce4e5b9ULL;
inline constexpr uint64_t kMix64M2 = 0x94d049bb133111ebULL;

// The SplitMix64 finalizer: a fixed bijection on 64-bit values, used to derive
// parameters from seeds.
inline uint64_t Mix64(uint64_t x) {
  x += kMix64Gamma;
  x = (x ^ (x >> 30)) * kMix64M1;
  x = (x ^ (x >> 27)) * kMix64M2;
  return x ^ (x >> 31);
}

// A deterministic stream of 64-bit values from a seed (SplitMix64). The
// sequence for a given seed is part of the format wherever it derives stored
// parameters.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = state_;
    state_ += kMix64Gamma;
    return Mix64(z);
  }
  // A double uniform in [0, 1).
  double NextDouble() { return (Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_HASH_H_
