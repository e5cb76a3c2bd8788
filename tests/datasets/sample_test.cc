// Checks the bundled demo corpus datasets/sample/ against its truth table.

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"
#include "tests/datasets/corpus_testing.h"

namespace syndex {
namespace {

using testing_datasets::ParseCorpus;
using testing_datasets::ParseTruth;
using testing_datasets::Record;
using testing_datasets::TruthRow;

std::string SamplePath(const std::string& name) {
  const char* root = std::getenv("SYNDEX_SOURCE_DIR");
  return absl::StrCat(root == nullptr ? "." : root, "/datasets/sample/", name);
}

class SampleCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> corpus = ReadFile(SamplePath("news.jsonl"));
    ASSERT_TRUE(corpus.ok()) << corpus.status();
    absl::StatusOr<std::string> truth = ReadFile(SamplePath("truth.tsv"));
    ASSERT_TRUE(truth.ok()) << truth.status();
    std::string error;
    ASSERT_TRUE(ParseCorpus(*corpus, &records_, &error)) << error;
    ASSERT_TRUE(ParseTruth(*truth, 4, &truth_, &error)) << error;
  }

  std::vector<Record> records_;
  std::vector<TruthRow> truth_;
};

TEST_F(SampleCorpusTest, EveryLineIsAnArticleWithUniqueId) {
  EXPECT_GE(records_.size(), 40u);
  std::set<std::string> ids;
  for (const Record& r : records_) {
    EXPECT_FALSE(r.id.empty());
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.source.empty()) << r.id;
    EXPECT_EQ(r.url.rfind("https://", 0), 0u) << r.id;
    EXPECT_TRUE(testing_datasets::IsIsoDateTime(r.published)) << r.id;
    EXPECT_GT(r.text.size(), 200u) << r.id;
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
  }
}

TEST_F(SampleCorpusTest, TruthMatchesTheCorpus) {
  std::map<std::string, const Record*> by_id;
  for (const Record& r : records_) by_id[r.id] = &r;
  std::set<std::string> truth_ids;
  const std::set<std::string> kinds = {"original", "exact",   "syndicated",
                                       "partial",  "related", "unrelated"};
  std::map<std::string, std::vector<const TruthRow*>> groups;
  for (const TruthRow& row : truth_) {
    EXPECT_TRUE(truth_ids.insert(row.id).second) << "duplicate " << row.id;
    EXPECT_TRUE(by_id.count(row.id)) << row.id << " not in news.jsonl";
    EXPECT_TRUE(kinds.count(row.kind)) << row.kind;
    groups[row.copy_group].push_back(&row);
  }
  EXPECT_EQ(truth_ids.size(), by_id.size());
  // Each copy group has one first publication, earlier than every copy.
  for (const auto& [group, rows] : groups) {
    const TruthRow* original = nullptr;
    int copies = 0;
    for (const TruthRow* row : rows) {
      if (row->kind == "exact" || row->kind == "syndicated" ||
          row->kind == "partial") {
        ++copies;
      } else {
        EXPECT_EQ(original, nullptr) << "two write-ups in " << group;
        original = row;
      }
    }
    ASSERT_NE(original, nullptr) << group;
    EXPECT_EQ(original->kind == "original", copies > 0) << group;
    for (const TruthRow* row : rows) {
      if (row == original) continue;
      EXPECT_EQ(row->story, original->story);
      EXPECT_LT(by_id.at(original->id)->published, by_id.at(row->id)->published)
          << row->id;
      if (row->kind == "exact") {
        EXPECT_EQ(by_id.at(row->id)->text, by_id.at(original->id)->text);
      }
    }
  }
}

}  // namespace
}  // namespace syndex
