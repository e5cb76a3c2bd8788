#ifndef SYNDEX_ENGINE_EVAL_INPUTS_H_
#define SYNDEX_ENGINE_EVAL_INPUTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace syndex {

// Readers of the files an evaluation scores. Each reads the whole file;
// errors name the file and, for a bad line, its line number
// ("path:line: reason"). Files may be gzipped (ReadWholeInput,
// engine/corpus/input_stream.h); NotFoundError for a missing file.

// Where `syndex cluster` put one article.
struct ClusterAssignment {
  std::string copy_group;
  std::string story;
};

// Reads the JSON Lines written by `syndex cluster --output`: article id ->
// its assignment. Empty lines are skipped; of two lines with one id the
// later wins. InvalidArgumentError "path:line: not a cluster line (needs id,
// copy_group, story)" for a line that is not a JSON object with those string
// fields.
absl::StatusOr<absl::flat_hash_map<std::string, ClusterAssignment>>
ReadClusters(const std::string& path);

// A truth table: a label per article in each named column.
struct Truth {
  std::vector<std::string> ids;  // In file order.
  // Every column but the id column, by header name; each parallel to `ids`.
  std::map<std::string, std::vector<std::string>> columns;
};

// Reads a tab-separated truth table whose first non-empty line names the
// columns; `id_column` is required, the others are what the evaluation scores
// (story, copy_group, topic, kind, transforms; others are kept and not
// scored). Empty lines are skipped. InvalidArgumentError "path: empty",
// "path:line: column 'c' named twice", "path:line: N fields, header has M",
// or "path: no column 'ID' or no rows".
absl::StatusOr<Truth> ReadTruth(const std::string& path,
                                const std::string& id_column = "id");

// Reads the `source` (outlet) of each article of a JSON Lines corpus:
// article id -> source. Empty lines are skipped. InvalidArgumentError
// "path:line: not an article line (needs string id and source)".
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadSources(
    const std::string& path);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_EVAL_INPUTS_H_
