#include "engine/util/cpu.h"

namespace syndex {

bool Supports(SimdLevel level) {
  switch (level) {
    case SimdLevel::kScalar:
      return true;
    case SimdLevel::kAvx2:
#if defined(__x86_64__)
      return __builtin_cpu_supports("avx2");
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
