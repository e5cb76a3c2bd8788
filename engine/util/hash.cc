#include "engine/util/hash.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include "absl/container/inlined_vector.h"

// The inline definitions let the compiler inline XXH3 into Hash64; the
// results are those of the library's functions.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace syndex {

uint64_t Hash64(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

namespace {

// The bytes a token of n <= 16 bytes keeps of a 16-byte block read from its
// start: kLowMask[n] and kHighMask[n] for bytes 0-7 and 8-15.
constexpr uint64_t LowMask(size_t n) {
  return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
}
constexpr uint64_t HighMask(size_t n) { return n <= 8 ? 0 : LowMask(n - 8); }

constexpr size_t kShortToken = 16;

constexpr std::array<uint64_t, kShortToken + 1> Masks(
    uint64_t (*mask)(size_t)) {
  std::array<uint64_t, kShortToken + 1> masks{};
  for (size_t n = 0; n <= kShortToken; ++n) masks[n] = mask(n);
  return masks;
}
constexpr auto kLowMask = Masks(LowMask);
constexpr auto kHighMask = Masks(HighMask);

struct TokenKeys {
  explicit TokenKeys(uint64_t seed) {
    SplitMix64 rng(seed ^ kTokenSalt);
    k0 = rng.Next();
    k1 = rng.Next();
  }
  uint64_t k0, k1;
};

// TokenHash of a token of n <= 16 bytes from its zero-padded halves.
inline uint64_t ShortTokenHash(uint64_t lo, uint64_t hi, size_t n,
                               const TokenKeys& keys) {
  return Fold(lo ^ keys.k0 ^ n * kMix64Gamma, hi ^ keys.k1);
}

// The little-endian u32 or u64 at p (the byte order is asserted in
// bytes.cc).
inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// TokenHash reading only the token's bytes: the zero-padded halves are
// assembled from two overlapping loads of the first and the last bytes.
uint64_t TokenHashExact(absl::string_view token, uint64_t seed,
                        const TokenKeys& keys) {
  const size_t n = token.size();
  const char* p = token.data();
  uint64_t lo = 0, hi = 0;
  if (n > kShortToken) {
    return Hash64(token, seed);
  } else if (n > 8) {
    lo = Load64(p);
    hi = Load64(p + n - 8) >> (8 * (16 - n));
  } else if (n >= 4) {
    lo = Load32(p) | Load32(p + n - 4) << (8 * (n - 4));
  } else if (n > 0) {
    lo = uint64_t{static_cast<unsigned char>(p[0])} |
         uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2)) |
         uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1));
  }
  return ShortTokenHash(lo, hi, n, keys);
}

}  // namespace

uint64_t TokenHash(absl::string_view token, uint64_t seed) {
  return TokenHashExact(token, seed, TokenKeys(seed));
}

void HashTokens(absl::string_view text, const absl::string_view* tokens,
                size_t n, uint64_t seed, uint64_t* out) {
  const TokenKeys keys(seed);
  const char* const end = text.data() + text.size();
  for (size_t i = 0; i < n; ++i) {
    const absl::string_view t = tokens[i];
    // The common case: a short token with a whole block before the end of
    // the text, read as two u64s and masked without a branch on its length.
    if (t.size() <= kShortToken && !text.empty() &&
        end - t.data() >= static_cast<std::ptrdiff_t>(kShortToken)) {
      assert(t.data() >= text.data() && t.data() + t.size() <= end);
      uint64_t half[2];
      std::memcpy(half, t.data(), sizeof(half));
      out[i] = ShortTokenHash(half[0] & kLowMask[t.size()],
                              half[1] & kHighMask[t.size()], t.size(), keys);
    } else {
      out[i] = TokenHashExact(t, seed, keys);
    }
  }
}

namespace {

// Keys k_0 .. k_width of HashWindows.
absl::InlinedVector<uint64_t, 8> WindowKeys(size_t width, uint64_t seed) {
  SplitMix64 rng(seed ^ kWindowSalt);
  absl::InlinedVector<uint64_t, 8> keys(width + 1);
  for (uint64_t& k : keys) k = rng.Next();
  return keys;
}

// The hash of the window of `width` values at v; the compiler unrolls it for
// a constant width.
inline uint64_t Window(const uint64_t* v, const uint64_t* k, size_t width) {
  uint64_t h = 0;
  for (size_t i = 0; i < width; i += 2) {
    const uint64_t next = i + 1 < width ? v[i + 1] : width;
    h ^= Fold(v[i] ^ k[i], next ^ k[i + 1]);
  }
  return h;
}

template <size_t kWidth>
void HashFixedWindows(const uint64_t* values, size_t count, const uint64_t* k,
                      uint64_t* out) {
  // The keys in a local array, which the compiler keeps in registers: it
  // cannot tell that the stores to `out` leave `k` unchanged.
  std::array<uint64_t, kWidth + 1> keys;
  std::copy(k, k + kWidth + 1, keys.begin());
  for (size_t j = 0; j < count; ++j) {
    out[j] = Window(values + j, keys.data(), kWidth);
  }
}

}  // namespace

void HashWindows(const uint64_t* values, size_t count, size_t width,
                 uint64_t seed, uint64_t* out) {
  const absl::InlinedVector<uint64_t, 8> keys = WindowKeys(width, seed);
  const uint64_t* k = keys.data();
  switch (width) {
    case 3:
      return HashFixedWindows<3>(values, count, k, out);
    case 4:
      return HashFixedWindows<4>(values, count, k, out);
    case 5:
      return HashFixedWindows<5>(values, count, k, out);
    case 6:
      return HashFixedWindows<6>(values, count, k, out);
    default:
      for (size_t j = 0; j < count; ++j) out[j] = Window(values + j, k, width);
  }
}

StreamingHash64::StreamingHash64(uint64_t seed) : state_(XXH3_createState()) {
  XXH3_64bits_reset_withSeed(static_cast<XXH3_state_t*>(state_), seed);
}

StreamingHash64::~StreamingHash64() {
  XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}

void StreamingHash64::Update(const void* data, size_t size) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, size);
}

uint64_t StreamingHash64::Digest() const {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state_));
}

}  // namespace syndex
