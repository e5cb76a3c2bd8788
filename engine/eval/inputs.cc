#include "engine/eval/inputs.h"

#include <string_view>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "engine/corpus/input_stream.h"
#include "engine/util/status_macros.h"
#include "simdjson.h"

namespace syndex {
namespace {

// Reads the string fields `names` of every non-empty line of a JSON Lines
// file, one vector per line; a line without them is an error
// "path:line: not `what`".
absl::StatusOr<std::vector<std::vector<std::string>>> ReadStringFields(
    const std::string& path, const std::vector<const char*>& names,
    absl::string_view what) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadWholeInput(path));
  std::vector<std::vector<std::string>> rows;
  simdjson::dom::parser parser;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    bool ok = !parser.parse(line.data(), line.size()).get(doc);
    std::vector<std::string>& row = rows.emplace_back();
    for (const char* name : names) {
      std::string_view value;
      ok = ok && !doc[name].get(value);
      row.emplace_back(ok ? value : std::string_view());
    }
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: not %s", path, line_number, what));
    }
  }
  return rows;
}

}  // namespace

absl::StatusOr<absl::flat_hash_map<std::string, ClusterAssignment>>
ReadClusters(const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(
      auto rows,
      ReadStringFields(path, {"id", "copy_group", "story"},
                       "a cluster line (needs id, copy_group, story)"));
  absl::flat_hash_map<std::string, ClusterAssignment> out;
  for (auto& row : rows) out[row[0]] = {std::move(row[1]), std::move(row[2])};
  return out;
}

absl::StatusOr<Truth> ReadTruth(const std::string& path,
                                const std::string& id_column) {
  SYNDEX_ASSIGN_OR_RETURN(std::string data, ReadWholeInput(path));
  std::vector<std::string> header;
  Truth truth;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (header.empty()) {
      header = std::move(fields);
      absl::flat_hash_set<absl::string_view> seen;
      for (const std::string& name : header) {
        if (!seen.insert(name).second) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s:%d: column '%s' named twice", path, line_number, name));
        }
      }
      continue;
    }
    if (fields.size() != header.size()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: %d fields, header has %d", path, line_number,
                          fields.size(), header.size()));
    }
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == id_column) {
        truth.ids.push_back(std::move(fields[c]));
      } else {
        truth.columns[header[c]].push_back(std::move(fields[c]));
      }
    }
  }
  if (header.empty()) return absl::InvalidArgumentError(path + ": empty");
  if (truth.ids.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: no column '%s' or no rows", path, id_column));
  }
  return truth;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadSources(
    const std::string& path) {
  SYNDEX_ASSIGN_OR_RETURN(
      auto rows,
      ReadStringFields(path, {"id", "source"},
                       "an article line (needs string id and source)"));
  absl::flat_hash_map<std::string, std::string> out;
  for (auto& row : rows) out[row[0]] = std::move(row[1]);
  return out;
}

}  // namespace syndex
