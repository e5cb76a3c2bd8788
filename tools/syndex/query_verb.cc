#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/util/file.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

void PrintJson(const Index& index, const std::string& query_id, int rank,
               const Match& m) {
  const ArticleInfo& a = index.article(m.doc);
  const PairScores& s = m.scores;
  std::cout << "{\"query\":" << JsonString(query_id) << ",\"rank\":" << rank
            << ",\"id\":" << JsonString(a.id)
            << ",\"relation\":" << JsonString(RelationName(m.relation))
            << ",\"jaccard\":" << Fixed(s.jaccard) << ",\"containment\":"
            << Fixed(std::max(s.containment_ab, s.containment_ba))
            << ",\"query_in_match\":" << Fixed(s.containment_ab)
            << ",\"match_in_query\":" << Fixed(s.containment_ba)
            << ",\"cosine\":" << Fixed(s.cosine)
            << ",\"char_jaccard\":" << Fixed(s.char_jaccard)
            << ",\"title\":" << JsonString(a.title) << "}\n";
}

void PrintTable(const Index& index, const std::string& query_id,
                const std::vector<Match>& matches) {
  std::cout << "query " << query_id << ": " << matches.size() << " match"
            << (matches.size() == 1 ? "" : "es") << "\n";
  if (matches.empty()) return;
  std::cout << absl::StrFormat("  %3s  %-10s  %7s  %7s  %7s  %-20s  %s\n",
                               "#", "relation", "jaccard", "contain", "cosine",
                               "id", "title");
  int rank = 0;
  for (const Match& m : matches) {
    const ArticleInfo& a = index.article(m.doc);
    std::cout << absl::StrFormat(
        "  %3d  %-10s  %7.3f  %7.3f  %7.3f  %-20s  %s\n", ++rank,
        RelationName(m.relation), m.scores.jaccard,
        std::max(m.scores.containment_ab, m.scores.containment_ba),
        m.scores.cosine, a.id, a.title);
  }
}

// Prints the first `k` matches. An outside query whose id is stored matches
// itself: that match is left out.
void Print(const Index& index, const std::string& query_id,
           std::vector<Match> matches, int k, bool json) {
  std::erase_if(matches, [&](const Match& m) {
    return index.article(m.doc).id == query_id;
  });
  if (matches.size() > static_cast<size_t>(k)) matches.resize(k);
  if (!json) {
    PrintTable(index, query_id, matches);
    return;
  }
  int rank = 0;
  for (const Match& m : matches) PrintJson(index, query_id, ++rank, m);
}

}  // namespace

int RunQuery(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir, id, text_file, queries;
  int k = 10;
  bool json = false, exhaustive = false;
  RunOptions run;
  ReaderOptions reader;
  flags.String("index", &dir, "index directory (required)");
  flags.String("id", &id, "query the stored article with this id");
  flags.String("text-file", &text_file, "query the text of this file");
  flags.String("queries", &queries,
               "query every article of this JSON Lines file");
  flags.Int("k", &k, "matches per query");
  flags.Int("candidates", &run.dense_candidates,
            "vector-search neighbours each query scores besides its LSH "
            "candidates, 0 = max(5 k, 50); more find more related and "
            "partial matches, at a cost per query");
  flags.Int("key-term-candidates", &run.key_term_candidates,
            "articles sharing the most key terms (highest-weighted terms) "
            "with the query that it scores as well, 0 = none; they find "
            "related articles in other words");
  flags.Bool("json", &json, "print JSON Lines instead of a table");
  flags.Bool("exhaustive", &exhaustive,
             "with --id: compare with every stored article (exact, slow) "
             "instead of the LSH and vector-search candidates");
  AddReaderFlags(&flags, &reader);
  AddRunFlags(&flags, &run);
  AddRelationFlags(&flags, &run.relations);
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
  if (k <= 0) return UsageError("query", "--k must be positive");
  if (run.dense_candidates < 0 || run.key_term_candidates < 0) {
    return UsageError(
        "query", "--candidates and --key-term-candidates must not be negative");
  }
  if (exhaustive && id.empty()) {
    return UsageError("query", "--exhaustive works with --id");
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, run);
  if (!index.ok()) return Fail(index.status());
  const Index& idx = **index;

  if (!id.empty()) {
    absl::StatusOr<std::vector<Match>> matches =
        exhaustive ? idx.QueryIdExhaustive(id, k) : idx.QueryId(id, k);
    if (!matches.ok()) return Fail(matches.status());
    Print(idx, id, *std::move(matches), k, json);
    return kExitOk;
  }
  std::vector<Article> articles;
  std::map<std::string, int64_t> skipped;
  if (!text_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(text_file);
    if (!text.ok()) return Fail(text.status());
    Article a;
    a.id = text_file;
    a.text = *std::move(text);
    articles.push_back(std::move(a));
  } else {
    absl::StatusOr<std::vector<Article>> read =
        ReadArticles({queries}, reader, &skipped);
    if (!read.ok()) return Fail(read.status());
    articles = *std::move(read);
  }
  for (const Article& a : articles) {
    // Ask for one more, in case the article itself is stored.
    absl::StatusOr<std::vector<Match>> matches = idx.QueryArticle(a, k + 1);
    if (!matches.ok()) return Fail(matches.status());
    Print(idx, a.id, *std::move(matches), k, json);
  }
  ReportSkipped(skipped);
  return kExitOk;
}

}  // namespace syndex
