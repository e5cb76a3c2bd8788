#include "tests/datasets/corpus_testing.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "simdjson.h"

namespace syndex {
namespace testing_datasets {

bool ParseCorpus(const std::string& bytes, std::vector<Record>* records,
                 std::string* error) {
  simdjson::dom::parser parser;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(bytes, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS ||
        !doc.is_object()) {
      *error = absl::StrCat("line ", line_number, ": not a JSON object");
      return false;
    }
    Record r;
    std::string* fields[] = {&r.id,  &r.title,     &r.source,
                             &r.url, &r.published, &r.text};
    const char* names[] = {"id", "title", "source", "url", "published", "text"};
    for (int i = 0; i < 6; ++i) {
      std::string_view value;
      if (doc[names[i]].get_string().get(value) != simdjson::SUCCESS) {
        *error = absl::StrCat("line ", line_number, ": field ", names[i],
                              " missing or not a string");
        return false;
      }
      fields[i]->assign(value.data(), value.size());
    }
    records->push_back(std::move(r));
  }
  return true;
}

bool ParseTruth(const std::string& bytes, int columns,
                std::vector<TruthRow>* rows, std::string* error) {
  std::vector<absl::string_view> lines =
      absl::StrSplit(bytes, '\n', absl::SkipEmpty());
  if (lines.empty() ||
      !absl::StartsWith(lines[0], "id\tcopy_group\tstory\tkind")) {
    *error = "missing header";
    return false;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
    if (static_cast<int>(f.size()) != columns) {
      *error = absl::StrCat("row ", i, ": ", f.size(), " columns");
      return false;
    }
    TruthRow row{f[0], f[1], f[2], f[3], columns > 4 ? f[4] : ""};
    rows->push_back(std::move(row));
  }
  return true;
}

bool IsIsoDateTime(const std::string& s) {
  auto digits = [&](size_t at, size_t n) {
    for (size_t i = at; i < at + n; ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  };
  if (s.size() < 20 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) ||
      s[7] != '-' || !digits(8, 2) || s[10] != 'T' || !digits(11, 2) ||
      s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2)) {
    return false;
  }
  const std::string zone = s.substr(19);
  return zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
                         digits(20, 2) && zone[3] == ':' && digits(23, 2));
}

}  // namespace testing_datasets
}  // namespace syndex
