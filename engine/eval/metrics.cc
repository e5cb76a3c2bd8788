#include "engine/eval/metrics.h"

#include <cassert>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace syndex {
namespace {

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

template <typename Map>
int64_t SumPairs(const Map& counts) {
  int64_t sum = 0;
  for (const auto& [key, n] : counts) sum += Pairs(n);
  return sum;
}

}  // namespace

PairwiseScores ScoreClustering(const std::vector<std::string>& truth,
                               const std::vector<std::string>& predicted) {
  assert(truth.size() == predicted.size());
  absl::flat_hash_map<std::string, int64_t> t, p;
  absl::flat_hash_map<std::pair<std::string, std::string>, int64_t> cells;
  for (size_t i = 0; i < truth.size(); ++i) {
    ++t[truth[i]];
    ++p[predicted[i]];
    ++cells[{truth[i], predicted[i]}];
  }
  PairwiseScores s;
  s.items = static_cast<int64_t>(truth.size());
  s.true_pairs = SumPairs(t);
  s.predicted_pairs = SumPairs(p);
  s.agreed_pairs = SumPairs(cells);
  s.precision = s.predicted_pairs == 0
                    ? 1.0
                    : static_cast<double>(s.agreed_pairs) / s.predicted_pairs;
  s.recall = s.true_pairs == 0
                 ? 1.0
                 : static_cast<double>(s.agreed_pairs) / s.true_pairs;
  s.f1 = s.precision + s.recall == 0
             ? 0.0
             : 2 * s.precision * s.recall / (s.precision + s.recall);
  const double all = static_cast<double>(Pairs(s.items));
  const double expected =
      all == 0 ? 0 : static_cast<double>(s.true_pairs) * s.predicted_pairs / all;
  const double maximum = 0.5 * (s.true_pairs + s.predicted_pairs);
  s.adjusted_rand = maximum == expected
                        ? 1.0
                        : (s.agreed_pairs - expected) / (maximum - expected);
  return s;
}

}  // namespace syndex
