#include "datasets/generator/random.h"

#include <cstdint>

namespace syndex {
namespace gen {

double Rng::Normal() {
  double sum = 0;
  for (int i = 0; i < 12; ++i) sum += Double();
  return sum - 6.0;
}

double Rng::LogNormal(double mu, double sigma) {
  return Exp(mu + sigma * Normal());
}

double Exp(double x) {
  // exp(x) = 2^k * exp(r), r = x - k ln2, |r| <= ln2 / 2.
  constexpr double kLn2 = 0.6931471805599453;
  if (x > 700) x = 700;
  if (x < -700) return 0;
  const int64_t k = static_cast<int64_t>(x / kLn2 + (x >= 0 ? 0.5 : -0.5));
  const double r = x - static_cast<double>(k) * kLn2;
  double term = 1, sum = 1;
  for (int i = 1; i < 20; ++i) {
    term = term * r / i;
    sum += term;
  }
  double scale = 1;
  const double base = k >= 0 ? 2.0 : 0.5;
  for (int64_t i = 0, m = k >= 0 ? k : -k; i < m; ++i) scale *= base;
  return sum * scale;
}

double Log(double x) {
  // x = m * 2^e with m in [1, 2); log(m) by atanh series in z = (m-1)/(m+1).
  constexpr double kLn2 = 0.6931471805599453;
  if (x <= 0) return -745;
  int e = 0;
  while (x >= 2) {
    x /= 2;
    ++e;
  }
  while (x < 1) {
    x *= 2;
    --e;
  }
  const double z = (x - 1) / (x + 1);
  const double z2 = z * z;
  double term = z, sum = 0;
  for (int i = 1; i < 60; i += 2) {
    sum += term / i;
    term *= z2;
  }
  return 2 * sum + e * kLn2;
}

ZipfTable::ZipfTable(size_t n, double offset) : entries_(n) {
  // Vose's construction of the alias table, in a fixed order.
  std::vector<double> scaled(n);
  double total = 0;
  for (size_t i = 0; i < n; ++i) total += 1.0 / (static_cast<double>(i) + offset);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = (1.0 / (static_cast<double>(i) + offset)) * n / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back(), l = large.back();
    small.pop_back();
    entries_[s].threshold = static_cast<uint32_t>(scaled[s] * 0x1.0p32);
    entries_[s].alias = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : small) entries_[i] = {UINT32_MAX, i};
  for (uint32_t i : large) entries_[i] = {UINT32_MAX, i};
}

}  // namespace gen
}  // namespace syndex
