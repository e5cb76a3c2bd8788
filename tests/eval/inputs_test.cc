#include "engine/eval/inputs.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/eval/eval_files.h"

namespace syndex {
namespace {

using ::testing::HasSubstr;

class InputsTest : public EvalFilesTest {};

TEST_F(InputsTest, ClustersByIdSkippingBlankLinesLaterLineWins) {
  const std::string path = Write("c.jsonl",
                                 R"({"id":"a","copy_group":"g1","story":"s1"}

{"id":"b","copy_group":"g2","story":"s1","extra":1}
{"id":"a","copy_group":"g3","story":"s2"})");
  auto clusters = ReadClusters(path);
  ASSERT_TRUE(clusters.ok()) << clusters.status();
  ASSERT_EQ(clusters->size(), 2u);
  EXPECT_EQ(clusters->at("a").copy_group, "g3");
  EXPECT_EQ(clusters->at("a").story, "s2");
  EXPECT_EQ(clusters->at("b").copy_group, "g2");
  EXPECT_EQ(clusters->at("b").story, "s1");
}

TEST_F(InputsTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = Path("absent.jsonl");
  auto clusters = ReadClusters(path);
  EXPECT_EQ(clusters.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(clusters.status().message()), HasSubstr(path));
  auto truth = ReadTruth(path);
  EXPECT_EQ(truth.status().code(), absl::StatusCode::kNotFound);
  auto sources = ReadSources(path);
  EXPECT_EQ(sources.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(InputsTest, BadClusterLineNamesFileAndLine) {
  const std::string good = R"({"id":"a","copy_group":"g","story":"s"})";
  const char* bad_lines[] = {
      "not json",
      R"({"id":"b","copy_group":"g"})",            // No story.
      R"({"id":7,"copy_group":"g","story":"s"})",  // Id not a string.
      R"(["b","g","s"])",                          // Not an object.
  };
  for (const char* bad : bad_lines) {
    // The blank second line counts: the bad line is line 3.
    const std::string path =
        Write("c.jsonl", good + "\n\n" + bad + "\n" + good + "\n");
    auto clusters = ReadClusters(path);
    EXPECT_EQ(clusters.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(clusters.status().message(),
              path + ":3: not a cluster line (needs id, copy_group, story)")
        << bad;
  }
}

TEST_F(InputsTest, TruthColumnsParallelToIds) {
  const std::string path =
      Write("t.tsv", "story\tid\tkind\ns1\ta\toriginal\n\ns1\tb\texact\n");
  auto truth = ReadTruth(path);
  ASSERT_TRUE(truth.ok()) << truth.status();
  EXPECT_EQ(truth->ids, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(truth->columns.size(), 2u);
  EXPECT_EQ(truth->columns.at("story"), (std::vector<std::string>{"s1", "s1"}));
  EXPECT_EQ(truth->columns.at("kind"),
            (std::vector<std::string>{"original", "exact"}));
}

TEST_F(InputsTest, BadTruthNamesFileAndWhy) {
  struct Case {
    const char* contents;
    std::string message;  // After "path".
  };
  const Case cases[] = {
      {"", ": empty"},
      {"\n\n", ": empty"},
      {"id\tstory\n", ": no column 'id' or no rows"},
      {"story\tcopy_group\ns\tg\n", ": no column 'id' or no rows"},
      // Line numbers count blank lines.
      {"id\tstory\na\ts\n\nb\n", ":4: 1 fields, header has 2"},
      {"id\tstory\na\ts\tx\n", ":2: 3 fields, header has 2"},
      {"\nid\tstory\tid\na\ts\ta\n", ":2: column 'id' named twice"},
      {"id\tstory\tstory\na\ts\tt\n", ":1: column 'story' named twice"},
  };
  for (const Case& c : cases) {
    const std::string path = Write("t.tsv", c.contents);
    auto truth = ReadTruth(path);
    EXPECT_EQ(truth.status().code(), absl::StatusCode::kInvalidArgument)
        << c.contents;
    EXPECT_EQ(truth.status().message(), path + c.message) << c.contents;
  }
}

TEST_F(InputsTest, SourcesById) {
  const std::string path = Write("corpus.jsonl",
                                 R"({"id":"a","source":"x.com","text":"t"}
{"id":"b","source":"y.com","title":"t","text":"u"}
)");
  auto sources = ReadSources(path);
  ASSERT_TRUE(sources.ok()) << sources.status();
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ(sources->at("a"), "x.com");
  EXPECT_EQ(sources->at("b"), "y.com");
}

TEST_F(InputsTest, ArticleWithoutSourceNamesFileAndLine) {
  const std::string path = Write("corpus.jsonl",
                                 R"({"id":"a","source":"x.com","text":"t"}
{"id":"b","text":"u"}
)");
  auto sources = ReadSources(path);
  EXPECT_EQ(sources.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sources.status().message(),
            path + ":2: not an article line (needs string id and source)");
}

}  // namespace
}  // namespace syndex
