#ifndef SYNDEX_ENGINE_EVAL_METRICS_H_
#define SYNDEX_ENGINE_EVAL_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace syndex {

// Agreement of a predicted clustering with a true one over the same items.
struct PairwiseScores {
  int64_t items = 0;
  int64_t true_pairs = 0;       // Pairs together in the truth.
  int64_t predicted_pairs = 0;  // Pairs together in the prediction.
  int64_t agreed_pairs = 0;     // Pairs together in both.
  double precision = 0;         // agreed / predicted (1 if none predicted).
  double recall = 0;            // agreed / true (1 if none true).
  double f1 = 0;
  double adjusted_rand = 0;     // Hubert & Arabie's adjusted Rand index.
};

// Scores `predicted` against `truth`: two label vectors of equal length
// where equal labels mean the same cluster. Counts pairs through the
// contingency table, so the cost is linear in the number of items.
PairwiseScores ScoreClustering(const std::vector<std::string>& truth,
                               const std::vector<std::string>& predicted);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_EVAL_METRICS_H_
