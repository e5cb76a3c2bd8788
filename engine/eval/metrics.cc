#include "engine/eval/metrics.h"

#include <cassert>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace syndex {
namespace {

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

template <typename Map>
int64_t SumPairs(const Map& counts) {
  int64_t sum = 0;
  for (const auto& [key, n] : counts) sum += Pairs(n);
  return sum;
}

// Labels as dense integers: equal strings get equal numbers.
std::vector<int> Intern(const std::vector<std::string>& labels) {
  absl::flat_hash_map<std::string, int> number;
  std::vector<int> out;
  out.reserve(labels.size());
  for (const std::string& label : labels) {
    out.push_back(number.emplace(label, number.size()).first->second);
  }
  return out;
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
      all == 0 ? 0
               : static_cast<double>(s.true_pairs) * s.predicted_pairs / all;
  const double maximum = 0.5 * (s.true_pairs + s.predicted_pairs);
  s.adjusted_rand = maximum == expected
                        ? 1.0
                        : (s.agreed_pairs - expected) / (maximum - expected);
  return s;
}

// Counts through tallies per (block), (block, truth), (block, predicted) and
// (block, predicted, truth):
// pairs = sum C(block) - sum C(block, truth) and
// merged = sum C(block, predicted) - sum C(block, predicted, truth).
MergeCount CountMerges(const std::vector<std::string>& block,
                       const std::vector<std::string>& truth,
                       const std::vector<std::string>& predicted) {
  assert(block.size() == truth.size() && truth.size() == predicted.size());
  const std::vector<int> b = Intern(block), t = Intern(truth),
                         p = Intern(predicted);
  absl::flat_hash_map<int, int64_t> by_block;
  absl::flat_hash_map<std::pair<int, int>, int64_t> by_truth, by_predicted;
  absl::flat_hash_map<std::tuple<int, int, int>, int64_t> by_both;
  for (size_t i = 0; i < b.size(); ++i) {
    ++by_block[b[i]];
    ++by_truth[{b[i], t[i]}];
    ++by_predicted[{b[i], p[i]}];
    ++by_both[{b[i], p[i], t[i]}];
  }
  MergeCount count;
  count.pairs = SumPairs(by_block) - SumPairs(by_truth);
  count.merged = SumPairs(by_predicted) - SumPairs(by_both);
  return count;
}

MixedClusters FindMixedClusters(const std::vector<std::string>& truth,
                                const std::vector<std::string>& predicted) {
  assert(truth.size() == predicted.size());
  const std::vector<int> t = Intern(truth), p = Intern(predicted);
  absl::flat_hash_map<int, int64_t> size;
  absl::flat_hash_map<std::pair<int, int>, int64_t> by_both;
  for (size_t i = 0; i < p.size(); ++i) {
    ++size[p[i]];
    ++by_both[{p[i], t[i]}];
  }
  absl::flat_hash_map<int, int64_t> spanned;  // True clusters per cluster.
  for (const auto& [key, n] : by_both) ++spanned[key.first];
  MixedClusters mixed;
  for (const auto& [cluster, n] : spanned) {
    if (n < 2) continue;
    ++mixed.clusters;
    const int64_t items = size[cluster];
    if (items > mixed.largest ||
        (items == mixed.largest && n > mixed.largest_true)) {
      mixed.largest = items;
      mixed.largest_true = n;
    }
  }
  return mixed;
}

CopyRecall ScoreCopies(const std::vector<std::string>& truth_group,
                       const std::vector<std::string>* kind,
                       const std::vector<std::string>* transforms,
                       const std::vector<std::string>& predicted_group) {
  assert(truth_group.size() == predicted_group.size());
  absl::flat_hash_map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < truth_group.size(); ++i) {
    members[truth_group[i]].push_back(i);
  }
  CopyRecall out;
  if (kind != nullptr) out.by_kind.emplace();
  if (transforms != nullptr) out.by_transform.emplace();
  for (const auto& [group, items] : members) {
    if (items.size() < 2) continue;
    size_t source = items[0];
    if (kind != nullptr) {
      for (size_t i : items) {
        if ((*kind)[i] == "original") {
          source = i;
          break;
        }
      }
    }
    for (size_t i : items) {
      if (i == source) continue;
      const bool recalled = predicted_group[i] == predicted_group[source];
      auto tally = [recalled](Recall& r) {
        ++r.copies;
        r.recalled += recalled;
      };
      tally(out.all);
      if (kind != nullptr) tally((*out.by_kind)[(*kind)[i]]);
      if (transforms != nullptr) {
        for (absl::string_view t :
             absl::StrSplit((*transforms)[i], ',', absl::SkipEmpty())) {
          tally((*out.by_transform)[t == "-" ? "none" : std::string(t)]);
        }
      }
    }
  }
  return out;
}

}  // namespace syndex
