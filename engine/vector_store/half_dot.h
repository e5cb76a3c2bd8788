#ifndef SYNDEX_ENGINE_VECTOR_STORE_HALF_DOT_H_
#define SYNDEX_ENGINE_VECTOR_STORE_HALF_DOT_H_

#include <cstddef>
#include <cstdint>

#include "engine/util/cpu.h"

namespace syndex {

// IEEE binary16 <-> float, rounding to nearest even (exact from half).
uint16_t FloatToHalf(float x);
float HalfToFloat(uint16_t bits);

// The same conversions of n values; every level gives the same bits for
// every value but NaN (whose payload may differ). Thread-safe.
void FloatsToHalves(const float* x, size_t n, uint16_t* out,
                    SimdLevel level = BestSimdLevel());
void HalvesToFloats(const uint16_t* h, size_t n, float* out,
                    SimdLevel level = BestSimdLevel());

// out[v] = the inner product of `query` (d floats) with vector v of the
// `count` vectors at `halves` (count x d halves, row-major), for v in
// [0, count). Every level gives the same bits: products are rounded to
// float and summed in a fixed order, into eight lane sums s_j over the
// elements i < d - d % 8 with i % 8 == j, in increasing i; then
// ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)); then the last d % 8
// products one by one. Thread-safe.
void HalfDots(const float* query, const uint16_t* halves, size_t count, int d,
              float* out, SimdLevel level = BestSimdLevel());

// HalfDots of `count` vectors of floats (count x d, row-major), in the same
// order: for vectors whose values are all values of halves, the same bits as
// HalfDots of those halves, at every level. Thread-safe.
void FloatDots(const float* query, const float* vectors, size_t count, int d,
               float* out, SimdLevel level = BestSimdLevel());

}  // namespace syndex

#endif  // SYNDEX_ENGINE_VECTOR_STORE_HALF_DOT_H_
