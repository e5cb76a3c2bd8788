#include "engine/minhash/minhash.h"

#include <algorithm>
#include <cassert>

#include "absl/container/inlined_vector.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SYNDEX_MINHASH_AVX2 1
#else
#define SYNDEX_MINHASH_AVX2 0
#endif

namespace syndex {
namespace {

constexpr uint32_t kEmptyValue = 0xFFFFFFFFu;

// Hashed probes per empty bin before the linear fallback (step 3 of the
// scheme in minhash.h).
constexpr uint64_t kHashedProbes = 1024;

// Bin(r) of minhash.h for the 32-bit value `r`.
inline uint32_t Bin(uint64_t r, uint64_t num_perm) {
  return static_cast<uint32_t>((r * num_perm) >> 32);
}

// Bins 0..k-1 of the bitmask `filled`.
inline bool IsFilled(const uint64_t* filled, uint32_t bin) {
  return (filled[bin >> 6] >> (bin & 63)) & 1;
}

// Bins whose minima live on the stack; more go to the heap.
constexpr size_t kInlineBins = 1024;

// The minimum of a bin is kept in 64 bits so that kUnfilled (above every
// 32-bit value) marks the bins no shingle fell into. Keeping the filled bins
// in the minima rather than in a bitmask avoids a chain of read-modify-writes
// on the few words of the mask.
constexpr uint64_t kUnfilled = uint64_t{1} << 32;

// Shingles hashed per block before their bins are updated.
constexpr size_t kBlock = 256;

// A shingle's bin and value, packed as bin << 32 | value.
inline uint64_t PackOne(uint64_t shingle, uint64_t key, uint64_t num_perm) {
  const uint64_t h = Mix64(shingle ^ key);
  return uint64_t{Bin(h >> 32, num_perm)} << 32 | (h & 0xFFFFFFFFu);
}

inline void FoldOne(uint64_t packed, uint64_t* mins) {
  uint64_t& m = mins[packed >> 32];
  m = std::min(m, packed & 0xFFFFFFFFu);
}

// The portable path: hashes each of the n shingles and folds it into its
// bin.
void Fold(const uint64_t* shingles, size_t n, uint64_t key, uint64_t num_perm,
          uint64_t* mins) {
  for (size_t j = 0; j < n; ++j) {
    FoldOne(PackOne(shingles[j], key, num_perm), mins);
  }
}

// PackOne of each of the n shingles into `out`.
void Pack(const uint64_t* shingles, size_t n, uint64_t key, uint64_t num_perm,
          uint64_t* out) {
  for (size_t j = 0; j < n; ++j) out[j] = PackOne(shingles[j], key, num_perm);
}

#if SYNDEX_MINHASH_AVX2

// 64 - b when num_perm = 2^b, else -1. REQUIRES: 0 < num_perm <= 2^32.
inline int BinShift(uint64_t num_perm) {
  if ((num_perm & (num_perm - 1)) != 0) return -1;
  return 64 - __builtin_ctzll(num_perm);
}

// a * c mod 2^64 in each lane, from 32-bit products.
__attribute__((target("avx2"))) inline __m256i MulConst(__m256i a, uint64_t c) {
  const __m256i c_lo =
      _mm256_set1_epi64x(static_cast<int64_t>(c & 0xFFFFFFFFu));
  const __m256i c_hi = _mm256_set1_epi64x(static_cast<int64_t>(c >> 32));
  const __m256i low = _mm256_mul_epu32(a, c_lo);
  const __m256i cross =
      _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), c_lo),
                       _mm256_mul_epu32(a, c_hi));
  return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

// PackOne in each of four lanes; bin_shift is BinShift(num_perm).
__attribute__((target("avx2"))) inline __m256i PackFour(__m256i x, __m256i key,
                                                        __m256i num_perm,
                                                        int bin_shift) {
  x = _mm256_add_epi64(_mm256_xor_si256(x, key),
                       _mm256_set1_epi64x(static_cast<int64_t>(kMix64Gamma)));
  x = MulConst(_mm256_xor_si256(x, _mm256_srli_epi64(x, 30)), kMix64M1);
  x = MulConst(_mm256_xor_si256(x, _mm256_srli_epi64(x, 27)), kMix64M2);
  x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 31));
  // Bin(h >> 32) = (h >> 32) * k >> 32, which is h >> (64 - b) when k = 2^b.
  const __m256i bin =
      bin_shift >= 0
          ? _mm256_srl_epi64(x, _mm_cvtsi32_si128(bin_shift))
          : _mm256_srli_epi64(
                _mm256_mul_epu32(_mm256_srli_epi64(x, 32), num_perm), 32);
  return _mm256_blend_epi32(x, _mm256_slli_epi64(bin, 32), 0xAA);
}

__attribute__((target("avx2"))) void PackAvx2(const uint64_t* shingles,
                                              size_t n, uint64_t key,
                                              uint64_t num_perm,
                                              uint64_t* out) {
  const __m256i key4 = _mm256_set1_epi64x(static_cast<int64_t>(key));
  const __m256i perm4 = _mm256_set1_epi64x(static_cast<int64_t>(num_perm));
  const int bin_shift = BinShift(num_perm);
  size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const __m256i x =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(shingles + j));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j),
                        PackFour(x, key4, perm4, bin_shift));
  }
  Pack(shingles + j, n - j, key, num_perm, out + j);
}

#else

// Supports(kAvx2) is false off x86-64, so these are never called there.
constexpr auto PackAvx2 = Pack;

#endif  // SYNDEX_MINHASH_AVX2

}  // namespace

MinHasher::MinHasher(int num_perm, uint64_t seed, SimdLevel simd)
    : num_perm_(num_perm), seed_(seed), simd_(simd) {
  assert(num_perm > 0);
  assert(Supports(simd));
  SplitMix64 rng(seed);
  key_ = rng.Next();
  probe_key_ = rng.Next();
}

void MinHasher::Sign(const uint64_t* shingles, size_t n, uint32_t* out) const {
  std::fill(out, out + num_perm_, kEmptyValue);
  if (n == 0) return;
  // Step 1 of the scheme.
  absl::InlinedVector<uint64_t, kInlineBins> storage(num_perm_, kUnfilled);
  uint64_t* const mins = storage.data();
  if (simd_ == SimdLevel::kAvx2) {
    // Hashed a block at a time, four shingles per instruction, then folded.
    uint64_t packed[kBlock];
    for (size_t start = 0; start < n; start += kBlock) {
      const size_t m = std::min(kBlock, n - start);
      PackAvx2(shingles + start, m, key_, num_perm_, packed);
      for (size_t j = 0; j < m; ++j) FoldOne(packed[j], mins);
    }
  } else {
    Fold(shingles, n, key_, num_perm_, mins);
  }
  Densify(mins, out);
}

void MinHasher::Densify(const uint64_t* mins, uint32_t* out) const {
  const uint64_t k = static_cast<uint64_t>(num_perm_);
  // One bit per bin: set when a shingle fell into it.
  constexpr size_t kInlineWords = kInlineBins / 64;
  const size_t words = (k + 63) / 64;
  absl::InlinedVector<uint64_t, kInlineWords> filled(words, 0);
  for (size_t w = 0; w < words; ++w) {
    // Each word of the mask is built in a register. The values of unfilled
    // bins written here are placeholders that the densification below
    // overwrites.
    uint64_t bits = 0;
    const size_t end = std::min<size_t>(k, (w + 1) * 64);
    for (size_t i = w * 64; i < end; ++i) {
      out[i] = static_cast<uint32_t>(mins[i]);
      bits |= uint64_t{mins[i] != kUnfilled} << (i & 63);
    }
    filled[w] = bits;
  }

  // A set whose shingles all fell into one bin: every probe sequence ends
  // there, so skip the probing (about k probes per empty bin).
  size_t filled_bins = 0;
  uint32_t last_filled = 0;
  for (size_t w = 0; w < words; ++w) {
    if (filled[w] == 0) continue;
    filled_bins += __builtin_popcountll(filled[w]);
    last_filled =
        static_cast<uint32_t>(w * 64 + 63 - __builtin_clzll(filled[w]));
  }
  if (filled_bins == 1) {
    std::fill(out, out + k, out[last_filled]);
    return;
  }

  // Optimal densification. Sources are bins filled above, whose values are
  // never overwritten, so this works in place.
  for (uint32_t i = 0; i < k; ++i) {
    if (IsFilled(filled.data(), i)) continue;
    bool found = false;
    for (uint64_t t = 1; t <= kHashedProbes; ++t) {
      const uint64_t r = Mix64(probe_key_ ^ (uint64_t{i} << 32 | t));
      const uint32_t source = Bin(r >> 32, k);
      if (IsFilled(filled.data(), source)) {
        out[i] = out[source];
        found = true;
        break;
      }
    }
    // Some bin is filled (the set is not empty), so this ends.
    for (uint32_t source = i + 1; !found; ++source) {
      if (source == k) source = 0;
      if (IsFilled(filled.data(), source)) {
        out[i] = out[source];
        found = true;
      }
    }
  }
}

std::vector<uint32_t> MinHasher::Sign(
    const std::vector<uint64_t>& shingles) const {
  std::vector<uint32_t> out(num_perm_);
  Sign(shingles.data(), shingles.size(), out.data());
  return out;
}

double EstimateJaccard(const uint32_t* a, const uint32_t* b, int num_perm) {
  if (num_perm <= 0) return 0.0;
  int equal = 0;
  for (int i = 0; i < num_perm; ++i) equal += a[i] == b[i];
  if (equal == num_perm && std::all_of(a, a + num_perm, [](uint32_t v) {
        return v == kEmptyValue;
      })) {
    return 0.0;  // Two empty sets.
  }
  return static_cast<double>(equal) / num_perm;
}

double EstimateContainment(double jaccard, uint32_t size_a, uint32_t size_b) {
  if (size_a == 0) return 0.0;
  const double c = jaccard * (static_cast<double>(size_a) + size_b) /
                   ((1.0 + jaccard) * size_a);
  return std::clamp(c, 0.0, 1.0);
}

}  // namespace syndex
