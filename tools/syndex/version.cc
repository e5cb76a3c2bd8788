// syndex --version: what this build is and what it reads.

#include <iostream>

#include "absl/strings/str_format.h"
#include "engine/syndex.h"
#include "engine/text/normalize.h"
#include "engine/util/cpu.h"
#include "tools/syndex/common.h"

namespace syndex {

int RunVersion() {
  const bool avx2 = BestSimdLevel() == SimdLevel::kAvx2;
  const std::string flags = SYNDEX_CXX_FLAGS;
  std::cout << absl::StrFormat(
      "syndex %s\n"
      "index format    version %d (hash family %d, text normalizer %d)\n"
      "build           %s, %s, %s%s%s\n"
      "instruction set %s (chosen at run time)\n",
      SYNDEX_VERSION, IndexFormatVersion(), IndexHashFamily(),
      kNormalizerVersion, SYNDEX_BUILD_TYPE, SYNDEX_COMPILER,
      SYNDEX_NATIVE_BUILD ? "-march=native" : "portable x86-64",
      flags.empty() ? "" : ", flags ", flags,
      avx2 ? "AVX2 and F16C" : "portable (no AVX2)");
  return kExitOk;
}

}  // namespace syndex
