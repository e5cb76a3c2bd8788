// syndex explain: why two articles are related.

#include <iostream>

#include "absl/strings/str_format.h"
#include "engine/output/json.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

constexpr size_t kMaxShown = 12;  // Passages printed.

std::string Describe(const ArticleInfo& a) {
  std::string out = a.id;
  if (!a.source.empty()) absl::StrAppend(&out, "  ", a.source);
  if (a.published) absl::StrAppend(&out, "  ", FormatIsoTime(*a.published));
  if (!a.title.empty()) absl::StrAppend(&out, "  \"", a.title, "\"");
  return out;
}

void PrintPassages(const Explanation& e) {
  std::cout << absl::StrFormat(
      "\n%d shared passages: %d of %d words of a, %d words of b\n",
      e.passages.size(), e.shared_words, e.words_a, e.words_b);
  for (size_t i = 0; i < e.passages.size() && i < kMaxShown; ++i) {
    const SharedPassage& p = e.passages[i];
    std::cout << absl::StrFormat("\n  [%d] a words %d-%d | b words %d-%d\n",
                                 i + 1, p.a_begin, p.a_end, p.b_begin,
                                 p.b_end)
              << "      " << p.text << "\n";
  }
  if (e.passages.size() > kMaxShown) {
    std::cout << "\n  ... " << e.passages.size() - kMaxShown << " more\n";
  }
}

void Print(const Explanation& e) {
  const PairScores& s = e.scores;
  std::cout << "a: " << Describe(e.a) << "\n"
            << "b: " << Describe(e.b) << "\n\n"
            << absl::StrFormat(
                   "relation     %s (rule: %s)\n"
                   "jaccard      %.4f  (%d and %d shingles)\n"
                   "containment  %.4f of a in b, %.4f of b in a\n"
                   "cosine       %.4f\n"
                   "characters   Jaccard %.4f  (%d and %d character grams)\n"
                   "story        %.4f  (LSA cosine %.4f, %d shared key terms%s)\n",
                   RelationName(e.relation), RuleName(e.rule), s.jaccard,
                   s.shingles_a, s.shingles_b, s.containment_ab,
                   s.containment_ba, s.cosine, s.char_jaccard, s.char_grams_a,
                   s.char_grams_b, s.story, s.dense_cosine, s.shared_key_terms,
                   s.days_apart < 0
                       ? ""
                       : absl::StrFormat(", %.1f days apart", s.days_apart));
  if (e.has_passages) {
    PrintPassages(e);
  } else {
    std::cout << "\n(give --corpus FILE to see the shared passages; the index "
                 "does not store texts)\n";
  }
}

// Finds the articles `ids` in the files `corpus`.
absl::Status FindTexts(const std::vector<std::string>& corpus,
                       const ReaderOptions& reader,
                       const std::vector<std::string>& ids,
                       Article found[2]) {
  std::map<std::string, int64_t> skipped;
  absl::StatusOr<std::vector<Article>> articles =
      ReadArticles(corpus, reader, &skipped);
  if (!articles.ok()) return articles.status();
  bool seen[2] = {false, false};
  for (Article& a : *articles) {
    for (int i = 0; i < 2; ++i) {
      if (!seen[i] && a.id == ids[i]) {
        found[i] = a;
        seen[i] = true;
      }
    }
  }
  for (int i = 0; i < 2; ++i) {
    if (!seen[i]) {
      return absl::NotFoundError(
          absl::StrCat("article '", ids[i], "' is not in --corpus"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int RunExplain(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  std::vector<std::string> corpus;
  bool json = false;
  ExplainOptions options;
  ReaderOptions reader;
  flags.String("index", &dir, "index directory (required)");
  flags.Strings("corpus", &corpus,
                "JSON Lines file(s) holding the two articles' texts, to show "
                "their shared passages (repeatable)");
  flags.Bool("json", &json, "print one JSON object");
  AddReaderFlags(&flags, &reader);
  AddRelationFlags(&flags, &options.relations);
  std::vector<std::string> ids;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("explain", &flags, args, &ids, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("explain", "--index DIR is required");
  if (ids.size() != 2) return UsageError("explain", "give two article ids");
  if (int code = CheckFlags("explain", options.Validate()); code != kExitOk) {
    return code;
  }
  absl::StatusOr<std::unique_ptr<Index>> index =
      Index::Open(dir, /*for_write=*/false, OpenOptions());
  if (!index.ok()) return FailIndex(index.status(), dir);
  Article texts[2];
  if (!corpus.empty()) {
    reader = WithStoredFieldNames(**index, flags, reader);
    if (absl::Status st = FindTexts(corpus, reader, ids, texts); !st.ok()) {
      return Fail(st);
    }
    options.text_a = &texts[0];
    options.text_b = &texts[1];
  }
  absl::StatusOr<Explanation> e = (*index)->Explain(ids[0], ids[1], options);
  if (!e.ok()) return Fail(e.status());
  if (json) {
    std::cout << ExplanationLine(*e);
  } else {
    Print(*e);
  }
  return kExitOk;
}

}  // namespace syndex
