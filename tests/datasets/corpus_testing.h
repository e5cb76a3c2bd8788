#ifndef SYNDEX_TESTS_DATASETS_CORPUS_TESTING_H_
#define SYNDEX_TESTS_DATASETS_CORPUS_TESTING_H_

#include <string>
#include <vector>

namespace syndex {
namespace testing_datasets {

struct Record {
  std::string id, title, source, url, published, text;
};

struct TruthRow {
  std::string id, copy_group, story, kind, transforms;
};

// Parses a JSON Lines corpus with simdjson. Every line must be an object with
// string fields id, title, source, url, published and text; on the first
// violation returns false and sets `error` to "line N: reason".
bool ParseCorpus(const std::string& bytes, std::vector<Record>* records,
                 std::string* error);

// Parses a truth TSV whose header starts with "id\tcopy_group\tstory\tkind".
// `columns` is the exact column count every row must have. False and
// `error` on a malformed file.
bool ParseTruth(const std::string& bytes, int columns,
                std::vector<TruthRow>* rows, std::string* error);

// True if `s` is "YYYY-MM-DDTHH:MM:SSZ" or with a +hh:mm offset.
bool IsIsoDateTime(const std::string& s);

}  // namespace testing_datasets
}  // namespace syndex

#endif  // SYNDEX_TESTS_DATASETS_CORPUS_TESTING_H_
