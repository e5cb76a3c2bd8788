#ifndef SYNDEX_ENGINE_UTIL_CPU_H_
#define SYNDEX_ENGINE_UTIL_CPU_H_

namespace syndex {

// Instruction sets that hot loops may use beyond the x86-64 baseline (which
// includes SSE2). Every level computes the same results; only the speed
// differs.
enum class SimdLevel {
  kScalar,  // Portable code only.
  kAvx2,    // AVX2 and F16C (every AVX2 CPU has both), picked at run time.
};

// The best level this CPU supports (kScalar off x86-64). Thread-safe.
SimdLevel BestSimdLevel();

// Whether this CPU can run code of `level`.
bool Supports(SimdLevel level);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_CPU_H_
