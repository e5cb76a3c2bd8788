#include "engine/vector_store/half_dot.h"

#include <type_traits>

#include "Eigen/Core"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Compiled with -ffp-contract=off (CMakeLists.txt): a product and a sum
// fused into one rounding would change the bits between builds.

namespace syndex {

uint16_t FloatToHalf(float x) {
  return Eigen::numext::bit_cast<uint16_t>(Eigen::half(x));
}

float HalfToFloat(uint16_t bits) {
  return static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(bits));
}

namespace {

constexpr int kLanes = 8;

// The lane sums folded in the documented order.
float FoldLanes(const float* s) {
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

// Every half's float, for the portable loops (256 KiB, made once).
const float* HalfTable() {
  static const float* table = [] {
    float* t = new float[65536];
    for (uint32_t h = 0; h < 65536; ++h) t[h] = HalfToFloat(h);
    return t;
  }();
  return table;
}

// A stored value as a float: a half's value, or a float as it is.
inline float ValueOf(uint16_t h) { return HalfToFloat(h); }
inline float ValueOf(float x) { return x; }

// The products past the last full block of kLanes, added one by one.
template <typename T>
float AddTail(float sum, const float* query, const T* v, int d) {
  for (int i = d - d % kLanes; i < d; ++i) sum += query[i] * ValueOf(v[i]);
  return sum;
}

template <typename T>
void DotsScalar(const float* query, const T* vectors, size_t count, int d,
                float* out) {
  // Halves are looked up in a table; the conversion is slower.
  const float* const table =
      std::is_same_v<T, uint16_t> ? HalfTable() : nullptr;
  const int full = d - d % kLanes;
  for (size_t v = 0; v < count; ++v) {
    const T* x = vectors + v * d;
    float s[kLanes] = {};
    for (int i = 0; i < full; i += kLanes) {
      for (int j = 0; j < kLanes; ++j) {
        if constexpr (std::is_same_v<T, uint16_t>) {
          s[j] += query[i + j] * table[x[i + j]];
        } else {
          s[j] += query[i + j] * x[i + j];
        }
      }
    }
    out[v] = AddTail(FoldLanes(s), query, x, d);
  }
}

#if defined(__x86_64__)

__attribute__((target("avx2,f16c"))) inline __m256 LoadHalves(
    const uint16_t* h) {
  return _mm256_cvtph_ps(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(h)));
}

// Eight stored values as floats.
__attribute__((target("avx2,f16c"))) inline __m256 Load8(const uint16_t* h) {
  return LoadHalves(h);
}
__attribute__((target("avx2,f16c"))) inline __m256 Load8(const float* x) {
  return _mm256_loadu_ps(x);
}

__attribute__((target("avx2,f16c"))) inline float Fold(__m256 s) {
  // (s0+s4, s1+s5, s2+s6, s3+s7), then (v0+v2, v1+v3), then their sum.
  const __m128 v = _mm_add_ps(_mm256_castps256_ps128(s),
                              _mm256_extractf128_ps(s, 1));
  const __m128 w = _mm_add_ps(v, _mm_movehl_ps(v, v));
  return _mm_cvtss_f32(_mm_add_ss(w, _mm_shuffle_ps(w, w, 1)));
}

// Four vectors at a time share the query loads and keep four independent
// sums in flight; each vector's sum is the same as alone.
template <typename T>
__attribute__((target("avx2,f16c"))) void DotsAvx2(const float* query,
                                                   const T* vectors,
                                                   size_t count, int d,
                                                   float* out) {
  const int full = d - d % kLanes;
  size_t v = 0;
  for (; v + 4 <= count; v += 4) {
    const T* x = vectors + v * d;
    // The hardware prefetcher does not keep up with four rows at once:
    // fetch the group two ahead (measured best on 1M stored vectors).
    const char* ahead = reinterpret_cast<const char*>(x + 8 * d);
    for (size_t b = 0; b < 4 * d * sizeof(T); b += 64) {
      _mm_prefetch(ahead + b, _MM_HINT_T0);
    }
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int i = 0; i < full; i += kLanes) {
      const __m256 q = _mm256_loadu_ps(query + i);
      s0 = _mm256_add_ps(s0, _mm256_mul_ps(q, Load8(x + i)));
      s1 = _mm256_add_ps(s1, _mm256_mul_ps(q, Load8(x + d + i)));
      s2 = _mm256_add_ps(s2, _mm256_mul_ps(q, Load8(x + 2 * d + i)));
      s3 = _mm256_add_ps(s3, _mm256_mul_ps(q, Load8(x + 3 * d + i)));
    }
    out[v] = AddTail(Fold(s0), query, x, d);
    out[v + 1] = AddTail(Fold(s1), query, x + d, d);
    out[v + 2] = AddTail(Fold(s2), query, x + 2 * d, d);
    out[v + 3] = AddTail(Fold(s3), query, x + 3 * d, d);
  }
  for (; v < count; ++v) {
    const T* x = vectors + v * d;
    __m256 s = _mm256_setzero_ps();
    for (int i = 0; i < full; i += kLanes) {
      s = _mm256_add_ps(s, _mm256_mul_ps(_mm256_loadu_ps(query + i),
                                         Load8(x + i)));
    }
    out[v] = AddTail(Fold(s), query, x, d);
  }
}

__attribute__((target("avx2,f16c"))) void FloatsToHalvesAvx2(
    const float* x, size_t n, uint16_t* out) {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                     _mm256_cvtps_ph(_mm256_loadu_ps(x + i),
                                     _MM_FROUND_TO_NEAREST_INT));
  }
  for (; i < n; ++i) out[i] = FloatToHalf(x[i]);
}

__attribute__((target("avx2,f16c"))) void HalvesToFloatsAvx2(
    const uint16_t* h, size_t n, float* out) {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    _mm256_storeu_ps(out + i, LoadHalves(h + i));
  }
  for (; i < n; ++i) out[i] = HalfToFloat(h[i]);
}

#endif

}  // namespace

void FloatsToHalves(const float* x, size_t n, uint16_t* out,
                    SimdLevel level) {
#if defined(__x86_64__)
  if (level == SimdLevel::kAvx2) {
    FloatsToHalvesAvx2(x, n, out);
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) out[i] = FloatToHalf(x[i]);
}

void HalvesToFloats(const uint16_t* h, size_t n, float* out,
                    SimdLevel level) {
#if defined(__x86_64__)
  if (level == SimdLevel::kAvx2) {
    HalvesToFloatsAvx2(h, n, out);
    return;
  }
#endif
  const float* table = HalfTable();
  for (size_t i = 0; i < n; ++i) out[i] = table[h[i]];
}

namespace {

template <typename T>
void Dots(const float* query, const T* vectors, size_t count, int d,
          float* out, SimdLevel level) {
#if defined(__x86_64__)
  if (level == SimdLevel::kAvx2) {
    DotsAvx2(query, vectors, count, d, out);
    return;
  }
#endif
  DotsScalar(query, vectors, count, d, out);
}

}  // namespace

void HalfDots(const float* query, const uint16_t* halves, size_t count, int d,
              float* out, SimdLevel level) {
  Dots(query, halves, count, d, out, level);
}

void FloatDots(const float* query, const float* vectors, size_t count, int d,
               float* out, SimdLevel level) {
  Dots(query, vectors, count, d, out, level);
}

}  // namespace syndex
