#include "engine/minhash/minhash.h"

#include <algorithm>
#include <cassert>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SYNDEX_MINHASH_X86 1
#endif

namespace syndex {
namespace {

constexpr uint32_t kEmptyValue = 0xFFFFFFFFu;

#if SYNDEX_MINHASH_X86
// Permutations in blocks of 8, one block at a time held in registers while
// the shingles stream past. `a`, `b`, `c` are in the even-then-odd order of
// MinHasher::a_avx_. vpmuludq multiplies the low 32 bits of each 64-bit
// lane, so a 64-bit product mod 2^64 is
//   a * x = a_lo * x + ((a_hi * x) << 32),
// and a broadcast shingle serves directly as its own low half.
__attribute__((target("avx2"))) void SignAvx2Kernel(
    const uint64_t* a, const uint64_t* b, const uint64_t* c, int num_perm,
    const uint64_t* shingles, size_t n, uint32_t* out) {
  for (int p = 0; p < num_perm; p += 8) {
    const __m256i* va = reinterpret_cast<const __m256i*>(a + p);
    const __m256i* vb = reinterpret_cast<const __m256i*>(b + p);
    const __m256i* vc = reinterpret_cast<const __m256i*>(c + p);
    const __m256i a_even = _mm256_loadu_si256(va);
    const __m256i a_odd = _mm256_loadu_si256(va + 1);
    const __m256i b_even = _mm256_loadu_si256(vb);
    const __m256i b_odd = _mm256_loadu_si256(vb + 1);
    const __m256i c_even = _mm256_loadu_si256(vc);
    const __m256i c_odd = _mm256_loadu_si256(vc + 1);
    const __m256i a_even_hi = _mm256_srli_epi64(a_even, 32);
    const __m256i a_odd_hi = _mm256_srli_epi64(a_odd, 32);
    const __m256i b_even_hi = _mm256_srli_epi64(b_even, 32);
    const __m256i b_odd_hi = _mm256_srli_epi64(b_odd, 32);
    __m256i mins = _mm256_set1_epi32(-1);
    for (size_t j = 0; j < n; ++j) {
      const __m256i lo = _mm256_set1_epi64x(static_cast<int64_t>(shingles[j]));
      const __m256i hi = _mm256_srli_epi64(lo, 32);
      // low = a_lo * lo + b_lo * hi + c and up = a_hi * lo + b_hi * hi, so
      // that h = low + (up << 32) mod 2^64.
      const __m256i low_even = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(a_even, lo),
                           _mm256_mul_epu32(b_even, hi)),
          c_even);
      const __m256i up_even = _mm256_add_epi64(
          _mm256_mul_epu32(a_even_hi, lo), _mm256_mul_epu32(b_even_hi, hi));
      const __m256i low_odd = _mm256_add_epi64(
          _mm256_add_epi64(_mm256_mul_epu32(a_odd, lo),
                           _mm256_mul_epu32(b_odd, hi)),
          c_odd);
      const __m256i up_odd = _mm256_add_epi64(_mm256_mul_epu32(a_odd_hi, lo),
                                              _mm256_mul_epu32(b_odd_hi, hi));
      // The high half of h is (low >> 32) + up mod 2^32. Even permutations
      // land in dwords 0, 2, ...; odd ones in dwords 1, 3, ... (32-bit adds,
      // so no carry crosses a dword).
      const __m256i h_even =
          _mm256_add_epi32(_mm256_srli_epi64(low_even, 32), up_even);
      const __m256i h_odd =
          _mm256_add_epi32(low_odd, _mm256_slli_epi64(up_odd, 32));
      mins = _mm256_min_epu32(mins, _mm256_blend_epi32(h_even, h_odd, 0xAA));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + p), mins);
  }
}
#endif

}  // namespace

MinHasher::MinHasher(int num_perm, uint64_t seed)
    : num_perm_(num_perm), seed_(seed), use_avx2_(false) {
  assert(num_perm > 0 && num_perm % 8 == 0);
  SplitMix64 rng(seed);
  a_.resize(num_perm);
  b_.resize(num_perm);
  c_.resize(num_perm);
  for (int i = 0; i < num_perm; ++i) {
    a_[i] = rng.Next();
    b_[i] = rng.Next();
    c_[i] = rng.Next();
  }
  a_avx_.resize(num_perm);
  b_avx_.resize(num_perm);
  c_avx_.resize(num_perm);
  for (int i = 0; i < num_perm; ++i) {
    const int block = i / 8 * 8, k = i % 8;
    const int slot = block + (k % 2) * 4 + k / 2;
    a_avx_[slot] = a_[i];
    b_avx_[slot] = b_[i];
    c_avx_[slot] = c_[i];
  }
#if SYNDEX_MINHASH_X86
  __builtin_cpu_init();
  use_avx2_ = __builtin_cpu_supports("avx2");
#endif
}

void MinHasher::Sign(const uint64_t* shingles, size_t n, uint32_t* out) const {
  if (use_avx2_) {
    SignAvx2(shingles, n, out);
  } else {
    SignScalar(shingles, n, out);
  }
}

std::vector<uint32_t> MinHasher::Sign(
    const std::vector<uint64_t>& shingles) const {
  std::vector<uint32_t> out(num_perm_);
  Sign(shingles.data(), shingles.size(), out.data());
  return out;
}

void MinHasher::SignScalar(const uint64_t* shingles, size_t n,
                           uint32_t* out) const {
  for (int i = 0; i < num_perm_; ++i) {
    uint32_t min = kEmptyValue;
    for (size_t j = 0; j < n; ++j) {
      const uint64_t lo = shingles[j] & 0xFFFFFFFFu;
      const uint64_t hi = shingles[j] >> 32;
      const uint64_t h = a_[i] * lo + b_[i] * hi + c_[i];
      min = std::min(min, static_cast<uint32_t>(h >> 32));
    }
    out[i] = min;
  }
}

void MinHasher::SignAvx2(const uint64_t* shingles, size_t n,
                         uint32_t* out) const {
#if SYNDEX_MINHASH_X86
  SignAvx2Kernel(a_avx_.data(), b_avx_.data(), c_avx_.data(), num_perm_,
                 shingles, n, out);
#else
  SignScalar(shingles, n, out);
#endif
}

double EstimateJaccard(const uint32_t* a, const uint32_t* b, int num_perm) {
  if (num_perm <= 0) return 0.0;
  int equal = 0;
  for (int i = 0; i < num_perm; ++i) equal += a[i] == b[i];
  if (equal == num_perm &&
      std::all_of(a, a + num_perm, [](uint32_t v) { return v == kEmptyValue; })) {
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
