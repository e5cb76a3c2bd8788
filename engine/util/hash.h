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

// Hash64 of each of the n strings at `strings`: out[i] = Hash64(strings[i],
// seed). Faster than calling Hash64 in a loop.
void HashStrings(const absl::string_view* strings, size_t n, uint64_t seed,
                 uint64_t* out);

// Hash64 of every window of `width` consecutive values of `values`, as
// little-endian u64 bytes: out[j] = Hash64(&values[j], width * 8, seed) for
// j < count. The caller provides count + width - 1 values; `out` may be
// `values` (each window is read before its hash is written). Faster than
// calling Hash64 in a loop for the common widths.
void HashWindows(const uint64_t* values, size_t count, size_t width,
                 uint64_t seed, uint64_t* out);

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
