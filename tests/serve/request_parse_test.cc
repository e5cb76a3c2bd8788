#include "tools/serve/request_parse.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(RequestParseTest, ReadsAJsonArray) {
  auto articles = ParseArticles(
      R"([{"id":"a","text":"one two"},{"id":7,"text":"three","title":"T",)"
      R"("published":"2024-03-01"}])",
      BodyLimits());
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 2u);
  EXPECT_EQ((*articles)[0].id, "a");
  EXPECT_EQ((*articles)[1].id, "7");
  EXPECT_EQ((*articles)[1].title, "T");
  EXPECT_EQ((*articles)[1].published, 1709251200);
  EXPECT_EQ((*articles)[1].origin, "article 2");
}

TEST(RequestParseTest, ReadsJsonLinesWithBlankLinesAndCrlf) {
  auto articles = ParseArticles(
      "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"x\"}\r\n\n  \n{\"id\":\"b\",\"text\":\"y\"}",
      BodyLimits());
  ASSERT_TRUE(articles.ok()) << articles.status();
  ASSERT_EQ(articles->size(), 2u);
  EXPECT_EQ((*articles)[1].id, "b");
  EXPECT_EQ((*articles)[1].origin, "article 2");
}

TEST(RequestParseTest, NamesTheBadArticleAndWhy) {
  const std::map<std::string, std::string> cases = {
      {R"([{"id":"a","text":"x"},{"id":"b"}])",
       "article 2: missing field 'text'"},
      {"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"\"}",
       "article 2: empty field 'text'"},
      {"{\"id\":\"a\",\"text\":\"x\"}\n{oops", "article 2: not valid JSON"},
      {R"([1])", "article 1: not a JSON object"},
      {R"([{"id":"a","text":"x","published":"yesterday"}])",
       "article 1: field 'published' is not a valid ISO 8601 date"},
      {"[{\"id\":\"a\",\"text\":\"\xff\"}]", "body: invalid UTF-8"},
      {"   ", "body: no articles"},
      {"[]", "body: no articles"},
      {R"("text")", "article 1: not a JSON object"},
      {R"({"a":1} [)", "article 1: not valid JSON"},
  };
  for (const auto& [body, message] : cases) {
    auto articles = ParseArticles(body, BodyLimits());
    ASSERT_FALSE(articles.ok()) << body;
    EXPECT_EQ(articles.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(articles.status().message(), message) << body;
  }
}

TEST(RequestParseTest, EnforcesTheLimits) {
  BodyLimits limits;
  limits.max_articles = 2;
  limits.max_depth = 4;
  auto too_many = ParseArticles(
      "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"x\"}\n"
      "{\"id\":\"c\",\"text\":\"x\"}",
      limits);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(too_many.status().message(),
            "body: more than 2 articles in one request");
  auto too_many_array = ParseArticles(
      R"([{"id":"a","text":"x"},{"id":"b","text":"x"},{"id":"c","text":"x"}])",
      limits);
  EXPECT_EQ(too_many_array.status().code(),
            absl::StatusCode::kResourceExhausted);
  auto deep = ParseArticles(R"([{"id":"a","text":"x","n":[[[[1]]]]}])", limits);
  EXPECT_EQ(deep.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(deep.status().message(), "body: JSON nested deeper than 4 levels");
  auto shallow = ParseArticles(R"([{"id":"a","text":"x","n":[1]}])", limits);
  EXPECT_TRUE(shallow.ok()) << shallow.status();
}

TEST(RequestParseTest, ReadsAQueryBodyWithOptions) {
  Article article;
  QueryOptions options;
  ASSERT_TRUE(ParseQueryBody(R"({"text":"some words","k":3,"exhaustive":false,)"
                             R"("related_story":0.4,"source":"x.com"})",
                             BodyLimits(), &article, &options)
                  .ok());
  EXPECT_EQ(article.id, "query");
  EXPECT_EQ(article.text, "some words");
  EXPECT_EQ(article.source, "x.com");
  EXPECT_EQ(options.k, 3);
  EXPECT_DOUBLE_EQ(options.relations.related_story, 0.4);
  Article named;
  ASSERT_TRUE(ParseQueryBody(R"({"id":"q1","text":"w"})", BodyLimits(), &named,
                             &options)
                  .ok());
  EXPECT_EQ(named.id, "q1");
}

TEST(RequestParseTest, RefusesBadQueryBodies) {
  const std::map<std::string, std::string> cases = {
      {R"({"title":"t"})", "body: missing field 'text'"},
      {R"({"text":"t","k":0})", "k must lie in [1, 1000000], not 0"},
      {R"({"text":"t","k":5000})", "k must be at most 1000"},
      {R"({"text":"t","k":2.5})", "body: parameter 'k': not an integer"},
      {R"([])", "body: not a JSON object"},
  };
  for (const auto& [body, message] : cases) {
    Article article;
    QueryOptions options;
    const absl::Status st =
        ParseQueryBody(body, BodyLimits(), &article, &options);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(st.message(), message) << body;
  }
}

TEST(RequestParseTest, ReadsQueryParameters) {
  const std::map<std::string, std::string> params = {
      {"k", "4"}, {"candidates", "80"}, {"exhaustive", "true"}, {"kk", "1"}};
  auto get = [&](absl::string_view name) -> std::optional<std::string> {
    auto it = params.find(std::string(name));
    if (it == params.end()) return std::nullopt;
    return it->second;
  };
  QueryOptions options;
  ASSERT_TRUE(ParseQueryOptions({"k", "candidates", "exhaustive"}, get,
                                BodyLimits(), &options)
                  .ok());
  EXPECT_EQ(options.k, 4);
  EXPECT_EQ(options.dense_candidates, 80);
  EXPECT_TRUE(options.exhaustive);
  const absl::Status unknown =
      ParseQueryOptions({"kk"}, get, BodyLimits(), &options);
  EXPECT_EQ(unknown.message(), "unknown parameter 'kk'");
  const std::map<std::string, std::string> bad = {{"k", "x"}};
  auto get_bad = [&](absl::string_view name) -> std::optional<std::string> {
    return bad.at(std::string(name));
  };
  const absl::Status malformed =
      ParseQueryOptions({"k"}, get_bad, BodyLimits(), &options);
  EXPECT_EQ(malformed.message(), "parameter 'k': not an integer");
}

}  // namespace
}  // namespace syndex
