#ifndef SYNDEX_DATASETS_GENERATOR_RANDOM_H_
#define SYNDEX_DATASETS_GENERATOR_RANDOM_H_

#include <cstdint>
#include <vector>

#include "engine/util/hash.h"

namespace syndex {
namespace gen {

// Deterministic random numbers on top of SplitMix64. Every distribution here
// uses only integer arithmetic and IEEE +, -, *, / on doubles, so the stream
// for a seed is identical on every machine and standard library (unlike the
// std:: and absl distributions, whose algorithms are unspecified).
class Rng {
 public:
  explicit Rng(uint64_t seed) : bits_(seed) {}

  uint64_t Next() { return bits_.Next(); }

  // Uniform in [0, n). REQUIRES: n > 0. (Multiply-shift; the bias is below
  // n / 2^64.)
  uint64_t Uniform(uint64_t n) {
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Double() { return bits_.NextDouble(); }
  // Uniform in [lo, hi).
  double Double(double lo, double hi) { return lo + (hi - lo) * Double(); }
  bool Bernoulli(double p) { return Double() < p; }
  // Approximately standard normal (Irwin-Hall sum of 12 uniforms, minus 6).
  double Normal();
  // exp(mu + sigma * Normal()).
  double LogNormal(double mu, double sigma);

  // A child stream, independent of this one for practical purposes.
  Rng Fork(uint64_t salt) { return Rng(Mix64(Next() ^ Mix64(salt))); }

 private:
  SplitMix64 bits_;
};

// exp(x) and log(x) from IEEE arithmetic only (no libm), so results do not
// depend on the platform's math library. Relative error below 1e-12 for
// |x| < 700 (Exp) and x > 0 (Log).
double Exp(double x);
double Log(double x);

// Samples ranks 0..n-1 with probability proportional to 1 / (rank + offset)
// (Zipf-Mandelbrot with exponent 1: the weights need no pow(), so the table
// is the same everywhere). Walker's alias method: one 64-bit draw and one
// 8-byte table entry per sample.
class ZipfTable {
 public:
  ZipfTable(size_t n, double offset);
  size_t Sample(Rng& rng) const {
    const unsigned __int128 x =
        static_cast<unsigned __int128>(rng.Next()) * entries_.size();
    const Entry& e = entries_[static_cast<size_t>(x >> 64)];
    // The low half of the product is a fresh uniform 32-bit fraction.
    const uint32_t fraction = static_cast<uint32_t>(static_cast<uint64_t>(x) >> 32);
    return fraction < e.threshold ? static_cast<size_t>(x >> 64) : e.alias;
  }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t threshold;  // Keep the slot's own rank if fraction < threshold.
    uint32_t alias;
  };
  std::vector<Entry> entries_;
};

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_RANDOM_H_
