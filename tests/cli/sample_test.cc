// The bundled sample corpus (datasets/sample/) end to end through the
// syndex command: index, cluster --output, and eval against truth.tsv. The
// sample plants 24 copy groups (three wire texts with 18 copies in all, and
// 21 articles of their own) in 15 stories, look-alike events among them;
// syndex finds every one.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/util/file.h"
#include "gtest/gtest.h"
#include "simdjson.h"
#include "tests/cli/cli_fixture.h"

namespace syndex {
namespace {

class SampleTest : public CliFixture {
 protected:
  std::string Sample(const std::string& name) {
    const char* root = std::getenv("SYNDEX_SOURCE_DIR");
    return absl::StrCat(root == nullptr ? "." : root, "/datasets/sample/",
                        name);
  }
};

// The number at `pointer` (a JSON pointer) in `doc`; NaN if there is none.
double Number(simdjson::dom::element doc, const char* pointer) {
  double value = 0;
  if (doc.at_pointer(pointer).get_double().get(value) != simdjson::SUCCESS) {
    ADD_FAILURE() << "no number at " << pointer;
    return std::nan("");
  }
  return value;
}

TEST_F(SampleTest, IndexClusterEvalFindsEveryCopyGroupAndStory) {
  const std::string index = (dir_ / "idx").string();
  const std::string clusters = (dir_ / "clusters.jsonl").string();
  CliResult r = Run(
      absl::StrCat("index --quiet --index ", index, " ", Sample("news.jsonl")));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Run(absl::StrCat("cluster --index ", index, " --output ", clusters));
  ASSERT_EQ(r.code, 0) << r.err;

  // The cluster file: one line per article, 24 copy groups, 15 stories.
  absl::StatusOr<std::string> lines = ReadFile(clusters);
  ASSERT_TRUE(lines.ok()) << lines.status();
  simdjson::dom::parser parser;
  std::set<std::string> ids, groups, stories;
  for (absl::string_view line : absl::StrSplit(*lines, '\n')) {
    if (line.empty()) continue;
    simdjson::dom::element entry;
    ASSERT_EQ(parser.parse(line.data(), line.size()).get(entry),
              simdjson::SUCCESS)
        << line;
    std::string_view id, group, story;
    ASSERT_EQ(entry["id"].get(id), simdjson::SUCCESS) << line;
    ASSERT_EQ(entry["copy_group"].get(group), simdjson::SUCCESS) << line;
    ASSERT_EQ(entry["story"].get(story), simdjson::SUCCESS) << line;
    ids.emplace(id);
    groups.emplace(group);
    stories.emplace(story);
  }
  EXPECT_EQ(ids.size(), 42u);
  EXPECT_EQ(groups.size(), 24u);
  EXPECT_EQ(stories.size(), 15u);

  r = Run(absl::StrCat("eval --json --clusters ", clusters, " --truth ",
                       Sample("truth.tsv"), " --corpus ",
                       Sample("news.jsonl")));
  ASSERT_EQ(r.code, 0) << r.err;
  simdjson::dom::element eval;
  ASSERT_EQ(parser.parse(r.out).get(eval), simdjson::SUCCESS) << r.out;
  EXPECT_EQ(Number(eval, "/articles"), 42) << r.out;
  // Pairs of truth.tsv: copy groups of 9, 6 and 6 articles give 36 + 15 +
  // 15 = 66; stories of 11, 7, 7, 3, 2, 2 and 2 give 55 + 21 + 21 + 3 + 1 +
  // 1 + 1 = 103.
  for (const char* part : {"/copy_groups", "/stories"}) {
    SCOPED_TRACE(part);
    EXPECT_EQ(Number(eval, absl::StrCat(part, "/precision").c_str()), 1.0);
    EXPECT_EQ(Number(eval, absl::StrCat(part, "/recall").c_str()), 1.0);
    EXPECT_EQ(Number(eval, absl::StrCat(part, "/f1").c_str()), 1.0);
    EXPECT_EQ(Number(eval, absl::StrCat(part, "/ari").c_str()), 1.0);
  }
  EXPECT_EQ(Number(eval, "/copy_groups/true_pairs"), 66);
  EXPECT_EQ(Number(eval, "/copy_groups/agreed_pairs"), 66);
  EXPECT_EQ(Number(eval, "/stories/true_pairs"), 103);
  EXPECT_EQ(Number(eval, "/stories/agreed_pairs"), 103);
  EXPECT_EQ(Number(eval, "/copy_recall/copies"), 18);
  EXPECT_EQ(Number(eval, "/copy_recall/recalled"), 18);
  EXPECT_EQ(Number(eval, "/same_outlet/merged"), 0);
}

}  // namespace
}  // namespace syndex
