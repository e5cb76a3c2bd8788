// Compares the accuracy of two MinHash schemes with 128 values: k independent
// permutations and one permutation hashing with optimal densification (both
// from reference_minhash.h). For each set size and target Jaccard it signs
// random pairs (|A| = |B| = size, J(A, B) close to the target) and prints the
// mean absolute error and the bias (mean signed error, with its standard
// error) of EstimateJaccard against the exact Jaccard.
//
// Usage: minhash_accuracy [pairs per cell, default 2000]

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "engine/minhash/minhash.h"
#include "engine/util/hash.h"
#include "tests/minhash/random_sets.h"
#include "tests/minhash/reference_minhash.h"
#include "tests/testing/exact_jaccard.h"

namespace syndex {
namespace {

constexpr int kPerm = 128;

struct Errors {
  double sum = 0.0, sum_abs = 0.0, sum_sq = 0.0;
  void Add(double e) {
    sum += e;
    sum_abs += std::abs(e);
    sum_sq += e * e;
  }
};

int Run(int pairs) {
  std::printf("%6s %5s | %9s %9s %8s | %9s %9s %8s | %7s\n", "size", "J",
              "kperm_mae", "kperm_bias", "(se)", "oph_mae", "oph_bias", "(se)",
              "mae_oph/kperm");
  SplitMix64 rng(20171201);
  for (size_t size : {20, 50, 100, 300, 1000, 5000}) {
    for (double target : {0.1, 0.3, 0.5, 0.8}) {
      Errors kperm, oph;
      for (int p = 0; p < pairs; ++p) {
        const std::vector<uint64_t> a = RandomSet(rng, size);
        const std::vector<uint64_t> b = Variant(rng, a, target);
        const double exact = ExactJaccard(a, b);
        const std::vector<uint32_t> ka =
            ReferenceKPermSign(kPerm, kDefaultSeed, a);
        const std::vector<uint32_t> kb =
            ReferenceKPermSign(kPerm, kDefaultSeed, b);
        const std::vector<uint32_t> oa =
            ReferenceOphSign(kPerm, kDefaultSeed, a);
        const std::vector<uint32_t> ob =
            ReferenceOphSign(kPerm, kDefaultSeed, b);
        kperm.Add(EstimateJaccard(ka.data(), kb.data(), kPerm) - exact);
        oph.Add(EstimateJaccard(oa.data(), ob.data(), kPerm) - exact);
      }
      auto se = [pairs](const Errors& e) {
        const double mean = e.sum / pairs;
        return std::sqrt((e.sum_sq / pairs - mean * mean) / pairs);
      };
      std::printf(
          "%6zu %5.1f | %9.4f %+9.4f %8.4f | %9.4f %+9.4f %8.4f | %7.3f\n",
          size, target, kperm.sum_abs / pairs, kperm.sum / pairs, se(kperm),
          oph.sum_abs / pairs, oph.sum / pairs, se(oph),
          oph.sum_abs / kperm.sum_abs);
    }
  }
  return 0;
}

}  // namespace
}  // namespace syndex

int main(int argc, char** argv) {
  const int pairs = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (pairs <= 0) {
    std::fprintf(stderr, "usage: minhash_accuracy [pairs per cell]\n");
    return 2;
  }
  return syndex::Run(pairs);
}
