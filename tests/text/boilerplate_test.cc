#include "engine/text/boilerplate.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "engine/util/bytes.h"

namespace syndex {
namespace {

// An article of `source` with a unique body line and the given extra lines.
std::string Article(int id, const std::vector<std::string>& extra) {
  std::string text = absl::StrCat("unique story number ", id,
                                  " about something that happened");
  for (const std::string& line : extra) absl::StrAppend(&text, "\n", line);
  return text;
}

BoilerplateOptions SmallCorpusOptions() {
  BoilerplateOptions options;
  options.min_source_docs = 3;
  options.min_corpus_docs = 5;
  options.corpus_fraction = 0.01;
  return options;
}

std::string LongLine() {
  std::string line = "the";
  for (int i = 0; i < 30; ++i) absl::StrAppend(&line, " word", i);
  return line;
}

TEST(BoilerplateTest, EmptyModelKeepsText) {
  BoilerplateModel model;
  EXPECT_EQ(model.size(), 0u);
  EXPECT_EQ(model.Strip("x", "a\nb"), "a\nb");
  EXPECT_FALSE(model.IsBoilerplate("x", "a"));
}

TEST(BoilerplateTest, LearnsPerSource) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 3; ++i) {
    builder.Observe("a.com", Article(i, {"share this article"}));
  }
  for (int i = 3; i < 20; ++i) builder.Observe("b.com", Article(i, {}));
  BoilerplateModel model = std::move(builder).Build();

  EXPECT_TRUE(model.IsBoilerplate("a.com", "share this article"));
  EXPECT_FALSE(model.IsBoilerplate("b.com", "share this article"));
  EXPECT_FALSE(model.IsBoilerplate("", "share this article"));
  EXPECT_EQ(model.Strip("a.com", "share this article\nbody line\nshare this "
                                 "article"),
            "body line");
  EXPECT_EQ(model.Strip("b.com", "share this article\nbody line"),
            "share this article\nbody line");
}

TEST(BoilerplateTest, BelowSourceThresholdIsKept) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 2; ++i) builder.Observe("a.com", Article(i, {"follow"}));
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_FALSE(model.IsBoilerplate("a.com", "follow"));
}

TEST(BoilerplateTest, CountsEachLineOncePerArticle) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  builder.Observe("a.com", Article(0, {"menu", "menu", "menu", "menu"}));
  builder.Observe("a.com", Article(1, {"menu"}));
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_FALSE(model.IsBoilerplate("a.com", "menu"));
}

TEST(BoilerplateTest, LearnsCorpusWide) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 5; ++i) {
    builder.Observe(absl::StrCat("site", i, ".com"),
                    Article(i, {"read more"}));
  }
  for (int i = 5; i < 9; ++i) {
    builder.Observe(absl::StrCat("site", i, ".com"),
                    Article(i, {"subscribe now"}));
  }
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_TRUE(model.IsBoilerplate("other.org", "read more"));
  EXPECT_TRUE(model.IsBoilerplate("", "read more"));
  // Four different sources are below both thresholds.
  EXPECT_FALSE(model.IsBoilerplate("site5.com", "subscribe now"));
}

TEST(BoilerplateTest, CorpusFractionRaisesThreshold) {
  BoilerplateOptions options = SmallCorpusOptions();
  options.corpus_fraction = 0.1;  // 10 of 100 articles.
  BoilerplateModel::Builder builder(options);
  for (int i = 0; i < 100; ++i) {
    std::vector<std::string> extra;
    if (i < 9) extra.push_back("nine times");
    if (i < 10) extra.push_back("ten times");
    builder.Observe(absl::StrCat("s", i), Article(i, extra));
  }
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_FALSE(model.IsBoilerplate("x", "nine times"));
  EXPECT_TRUE(model.IsBoilerplate("x", "ten times"));
}

TEST(BoilerplateTest, UnknownSourceLearnsOnlyCorpusWide) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 4; ++i) builder.Observe("", Article(i, {"quoted line"}));
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_FALSE(model.IsBoilerplate("", "quoted line"));
}

TEST(BoilerplateTest, NeverRemovesLongLines) {
  const std::string wire_paragraph = LongLine();
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 50; ++i) {
    builder.Observe(i % 2 ? "a.com" : "b.com", Article(i, {wire_paragraph}));
  }
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_FALSE(model.IsBoilerplate("a.com", wire_paragraph));
  EXPECT_EQ(model.Strip("a.com", wire_paragraph + "\nx"),
            wire_paragraph + "\nx");
}

TEST(BoilerplateTest, MaxLineTokensIsInclusive) {
  BoilerplateOptions options = SmallCorpusOptions();
  options.max_line_tokens = 3;
  BoilerplateModel::Builder builder(options);
  for (int i = 0; i < 5; ++i) {
    builder.Observe("a.com", Article(i, {"one two three", "one two three four"}));
  }
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_TRUE(model.IsBoilerplate("a.com", "one two three"));
  EXPECT_FALSE(model.IsBoilerplate("a.com", "one two three four"));
}

TEST(BoilerplateTest, NeverEmptiesText) {
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (int i = 0; i < 5; ++i) {
    builder.Observe("a.com", Article(i, {"home", "news"}));
  }
  BoilerplateModel model = std::move(builder).Build();
  EXPECT_EQ(model.Strip("a.com", "home\nnews"), "home\nnews");
  EXPECT_EQ(model.Strip("a.com", "home\nstory\nnews"), "story");
}

BoilerplateModel BuildSample(bool reversed) {
  std::vector<std::pair<std::string, std::string>> docs;
  for (int i = 0; i < 12; ++i) {
    docs.emplace_back(i % 3 == 0 ? "a.com" : "b.com",
                      Article(i, {"share", absl::StrCat("tag ", i % 2),
                                  "newsletter signup"}));
  }
  if (reversed) std::reverse(docs.begin(), docs.end());
  BoilerplateModel::Builder builder(SmallCorpusOptions());
  for (const auto& [source, text] : docs) builder.Observe(source, text);
  return std::move(builder).Build();
}

std::string Serialize(const BoilerplateModel& model) {
  std::string bytes;
  ByteWriter writer(&bytes);
  model.AppendTo(&writer);
  return bytes;
}

TEST(BoilerplateTest, SerializationRoundTrip) {
  const BoilerplateModel model = BuildSample(false);
  ASSERT_GT(model.size(), 0u);
  const std::string bytes = Serialize(model);

  BoilerplateModel read;
  ByteReader reader(bytes, "test: boilerplate");
  ASSERT_TRUE(BoilerplateModel::ReadFrom(&reader, &read).ok());
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_EQ(read.size(), model.size());
  EXPECT_EQ(Serialize(read), bytes);
  const std::string text = "share\nbody\nnewsletter signup\ntag 1";
  EXPECT_EQ(read.Strip("a.com", text), model.Strip("a.com", text));
  EXPECT_EQ(read.Strip("b.com", text), model.Strip("b.com", text));
}

TEST(BoilerplateTest, SerializationIsDeterministic) {
  EXPECT_EQ(Serialize(BuildSample(false)), Serialize(BuildSample(true)));
}

TEST(BoilerplateTest, TruncatedDataFails) {
  const BoilerplateModel model = BuildSample(false);
  const std::string bytes = Serialize(model);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    BoilerplateModel read;
    ByteReader reader(absl::string_view(bytes).substr(0, cut), "test");
    const absl::Status status = BoilerplateModel::ReadFrom(&reader, &read);
    ASSERT_FALSE(status.ok()) << cut;
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << cut;
    EXPECT_EQ(read.size(), 0u);
  }
}

TEST(BoilerplateTest, UnsortedDataFails) {
  std::string bytes;
  ByteWriter writer(&bytes);
  writer.Array(std::vector<uint64_t>{5, 3});
  writer.Array(std::vector<uint64_t>{});
  BoilerplateModel read;
  ByteReader reader(bytes, "test");
  EXPECT_EQ(BoilerplateModel::ReadFrom(&reader, &read).code(),
            absl::StatusCode::kDataLoss);
}

TEST(BoilerplateTest, SourceKey) {
  EXPECT_EQ(SourceKey("Reuters", "https://www.example.com/a"), "Reuters");
  EXPECT_EQ(SourceKey("", "https://www.Example.COM/news/1?x=2"),
            "example.com");
  EXPECT_EQ(SourceKey("", "http://user:pw@news.site.org:8080/path"),
            "news.site.org");
  EXPECT_EQ(SourceKey("", "//cdn.example.net/x"), "cdn.example.net");
  EXPECT_EQ(SourceKey("", "example.com/path#frag"), "example.com");
  EXPECT_EQ(SourceKey("", "https://[::1]:80/"), "[::1]");
  EXPECT_EQ(SourceKey("", ""), "");
}

}  // namespace
}  // namespace syndex
