#ifndef SYNDEX_ENGINE_EVAL_METRICS_H_
#define SYNDEX_ENGINE_EVAL_METRICS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace syndex {

// Scores of a predicted clustering against a true one. Every function takes
// label vectors of equal length, one entry per item, where equal labels mean
// the same cluster, and costs time linear in the number of items.

// Agreement of a predicted clustering with a true one over the same items.
struct PairwiseScores {
  int64_t items = 0;
  int64_t true_pairs = 0;       // Pairs together in the truth.
  int64_t predicted_pairs = 0;  // Pairs together in the prediction.
  int64_t agreed_pairs = 0;     // Pairs together in both.
  double precision = 0;         // agreed / predicted (1 if none predicted).
  double recall = 0;            // agreed / true (1 if none true).
  double f1 = 0;
  double adjusted_rand = 0;  // Hubert & Arabie's adjusted Rand index.
};

// Scores `predicted` against `truth` through the contingency table.
PairwiseScores ScoreClustering(const std::vector<std::string>& truth,
                               const std::vector<std::string>& predicted);

// Pairs of items in one block (for example the same topic, or the same
// outlet) but in different true clusters, and how many of them the
// prediction put in one cluster.
struct MergeCount {
  int64_t pairs = 0;
  int64_t merged = 0;
  // merged / pairs, 0 without pairs.
  double Rate() const {
    return pairs ? static_cast<double>(merged) / pairs : 0;
  }
};

// Counts the false merges within each block of `block`.
MergeCount CountMerges(const std::vector<std::string>& block,
                       const std::vector<std::string>& truth,
                       const std::vector<std::string>& predicted);

// The predicted clusters that hold items of two or more true clusters.
struct MixedClusters {
  int64_t clusters = 0;  // How many predicted clusters are mixed.
  int64_t largest = 0;   // Items of the largest mixed cluster, 0 if none.
  int64_t largest_true = 0;  // True clusters the largest one spans.
};

// The mixed clusters of `predicted` against `truth`; among mixed clusters
// of one size, the largest is the one spanning the most true clusters.
MixedClusters FindMixedClusters(const std::vector<std::string>& truth,
                                const std::vector<std::string>& predicted);

struct Recall {
  int64_t copies = 0;
  int64_t recalled = 0;
  // recalled / copies, 1 without copies.
  double Value() const {
    return copies ? static_cast<double>(recalled) / copies : 1;
  }
};

// Recall of copies, overall and broken down by kind and by transform.
struct CopyRecall {
  Recall all;
  // Key: a kind of copy. Set only when kinds were given.
  std::optional<std::map<std::string, Recall>> by_kind;
  // Key: a transform ("none" for "-"). Set only when transforms were given.
  std::optional<std::map<std::string, Recall>> by_transform;
};

// Copy-group recall per copy. A copy is a member of a true copy group of
// more than one item other than the group's source: the first member of
// kind "original" if `kind` is given and has one, else the first member.
// It is recalled when the prediction puts it in its source's group.
// `kind` (nullable) holds each item's kind; `transforms` (nullable) each
// item's comma-separated transforms, "-" for none; a copy counts once under
// each of its transforms.
CopyRecall ScoreCopies(const std::vector<std::string>& truth_group,
                       const std::vector<std::string>* kind,
                       const std::vector<std::string>* transforms,
                       const std::vector<std::string>& predicted_group);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_EVAL_METRICS_H_
