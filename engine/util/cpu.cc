#include "engine/util/cpu.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace syndex {

bool Supports(SimdLevel level) {
  switch (level) {
    case SimdLevel::kScalar:
      return true;
    case SimdLevel::kAvx2:
#if defined(__x86_64__)
    {
      // GCC 12's __builtin_cpu_supports does not report F16C; CPUID does.
      unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
      const bool f16c =
          __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
      return f16c && __builtin_cpu_supports("avx2");
    }
#else
      return false;
#endif
  }
  return false;
}

SimdLevel BestSimdLevel() {
  static const SimdLevel best =
      Supports(SimdLevel::kAvx2) ? SimdLevel::kAvx2 : SimdLevel::kScalar;
  return best;
}

}  // namespace syndex
