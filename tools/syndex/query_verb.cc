// syndex query: the copies and related stories of articles.

#include <iostream>
#include <iterator>

#include "absl/strings/str_format.h"
#include "engine/output/json.h"
#include "engine/util/file.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

absl::StatusOr<std::string> ReadStandardInput() {
  std::string text((std::istreambuf_iterator<char>(std::cin)),
                   std::istreambuf_iterator<char>());
  if (std::cin.bad()) {
    return absl::DataLossError("cannot read the text from standard input");
  }
  return text;
}

void PrintTable(const std::string& query_id,
                const std::vector<Match>& matches) {
  std::cout << "query " << query_id << ": " << matches.size() << " match"
            << (matches.size() == 1 ? "" : "es") << "\n";
  if (matches.empty()) return;
  std::cout << absl::StrFormat(
      "  %3s  %-10s  %-11s  %5s  %5s  %7s  %7s  %7s  %-20s  %-20s  %-20s  %s\n",
      "#", "relation", "rule", "story", "in", "jaccard", "contain", "cosine",
      "id", "source", "published", "title");
  int rank = 0;
  for (const Match& m : matches) {
    const ArticleInfo& a = m.article;
    std::cout << absl::StrFormat(
        "  %3d  %-10s  %-11s  %5.3f  %5s  %7.3f  %7.3f  %7.3f  %-20s  %-20s  "
        "%-20s  %s\n",
        ++rank, RelationName(m.relation), RuleName(m.rule), m.scores.story,
        m.same_story ? "story" : "-", m.scores.jaccard,
        std::max(m.scores.containment_ab, m.scores.containment_ba),
        m.scores.cosine, a.id, a.source.empty() ? "-" : a.source,
        a.published ? FormatIsoTime(*a.published) : "-", a.title);
  }
}

void Print(const std::string& query_id, const std::vector<Match>& matches,
           bool json) {
  if (json) {
    std::cout << MatchLines(query_id, matches);
  } else {
    PrintTable(query_id, matches);
  }
}

// The articles to query: the text of `text_file` or every article of
// `queries`.
absl::StatusOr<std::vector<Article>> QueryArticles(
    const std::string& text_file, const std::string& queries,
    const ReaderOptions& reader, std::map<std::string, int64_t>* skipped) {
  if (queries.empty()) {
    absl::StatusOr<std::string> text =
        text_file == "-" ? ReadStandardInput() : ReadFile(text_file);
    if (!text.ok()) return text.status();
    Article a;
    a.id = text_file;
    a.text = *std::move(text);
    return std::vector<Article>{std::move(a)};
  }
  return ReadArticles({queries}, reader, skipped);
}

}  // namespace

int RunQuery(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, id, text_file, queries;
  bool json = false;
  OpenOptions open;
  QueryOptions query;
  ReaderOptions reader;
  flags.String("index", &dir, "index directory (required)");
  flags.String("id", &id, "query the stored article with this id");
  flags.String("text-file", &text_file,
               "query the text of this file (- for standard input)");
  flags.String("queries", &queries,
               "query every article of this JSON Lines file");
  flags.Int("k", &query.k, "matches per query");
  flags.Int("candidates", &query.dense_candidates,
            "vector-search neighbours each query scores besides its LSH "
            "candidates, 0 = max(5 k, 50); more find more related and "
            "partial matches, at a cost per query");
  flags.Int("key-term-candidates", &query.key_term_candidates,
            "articles sharing the most key terms (highest-weighted terms) "
            "with the query that it scores as well, 0 = none; they find "
            "related articles in other words");
  flags.Double("min-story-score", &query.min_story_score,
               "story score an article that is not a copy needs to be "
               "returned (0 to 1); raise it for confident matches only");
  flags.Double("same-story-strength", &query.same_story_strength,
               "story strength at which a match counts as in the query's "
               "story (same_story), as cluster's --story-threshold");
  flags.Bool("json", &json, "print JSON Lines instead of a table");
  flags.Bool("exhaustive", &query.exhaustive,
             "with --id: compare with every stored article (exact, slow) "
             "instead of the LSH and vector-search candidates");
  AddReaderFlags(&flags, &reader);
  AddOpenFlags(&flags, &open);
  AddRelationFlags(&flags, &query.relations);
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("query", &flags, args, &positional, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("query", "--index DIR is required");
  if (!positional.empty()) {
    return UsageError("query", "unexpected argument '" + positional[0] + "'");
  }
  if ((!id.empty()) + (!text_file.empty()) + (!queries.empty()) != 1) {
    return UsageError("query",
                      "give exactly one of --id, --text-file, --queries");
  }
  if (query.exhaustive && id.empty()) {
    return UsageError("query", "--exhaustive works with --id");
  }
  if (absl::Status st = query.Validate(); !st.ok()) {
    return UsageError("query", std::string(st.message()));
  }
  if (int code = CheckFlags("query", open.Validate()); code != kExitOk) {
    return code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, open);
  if (!index.ok()) return FailIndex(index.status(), dir);
  if (!id.empty()) {
    absl::StatusOr<std::vector<Match>> matches = (*index)->QueryId(id, query);
    if (!matches.ok()) return Fail(matches.status());
    Print(id, *matches, json);
    return kExitOk;
  }
  std::map<std::string, int64_t> skipped;
  reader = WithStoredFieldNames(**index, flags, reader);
  absl::StatusOr<std::vector<Article>> articles =
      QueryArticles(text_file, queries, reader, &skipped);
  if (!articles.ok()) return Fail(articles.status());
  for (const Article& a : *articles) {
    absl::StatusOr<std::vector<Match>> matches =
        (*index)->QueryArticle(a, query);
    if (!matches.ok()) return Fail(matches.status());
    Print(a.id, *matches, json);
  }
  ReportSkipped(skipped);
  return kExitOk;
}

}  // namespace syndex
