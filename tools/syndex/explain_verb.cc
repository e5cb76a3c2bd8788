// syndex explain: why two articles are related.

#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/relations/passages.h"
#include "engine/text/tokenize.h"
#include "tools/syndex/common.h"

namespace syndex {
namespace {

constexpr size_t kMaxShown = 12;       // Passages printed.
constexpr size_t kMaxPassageChars = 240;

std::string Describe(const ArticleInfo& a) {
  std::string out = a.id;
  if (!a.source.empty()) absl::StrAppend(&out, "  ", a.source);
  if (a.published) absl::StrAppend(&out, "  ", FormatIsoTime(*a.published));
  if (!a.title.empty()) absl::StrAppend(&out, "  \"", a.title, "\"");
  return out;
}

std::string Span(const std::vector<absl::string_view>& tokens, size_t begin,
                 size_t end) {
  std::string text = absl::StrJoin(tokens.begin() + begin,
                                   tokens.begin() + std::min(end, tokens.size()),
                                   " ");
  if (text.size() > kMaxPassageChars) {
    text.resize(kMaxPassageChars);
    text += " ...";
  }
  return text;
}

// Prints the passages the two articles share, found in their texts.
void PrintPassages(const Index& index, const Article& a, const Article& b) {
  const std::string body_a = index.Body(a), body_b = index.Body(b);
  std::vector<absl::string_view> ta, tb;
  Tokenize(body_a, &ta);
  Tokenize(body_b, &tb);
  const std::vector<Passage> passages = SharedPassages(
      index.Shingles(ta), index.Shingles(tb), index.params().shingle_size);
  size_t shared = 0;
  for (const Passage& p : passages) shared += p.a_end - p.a_begin;
  std::cout << absl::StrFormat(
      "\n%d shared passages: %d of %d words of a, %d words of b\n",
      passages.size(), shared, ta.size(), tb.size());
  for (size_t i = 0; i < passages.size() && i < kMaxShown; ++i) {
    const Passage& p = passages[i];
    std::cout << absl::StrFormat("\n  [%d] a words %d-%d | b words %d-%d\n",
                                 i + 1, p.a_begin, p.a_end, p.b_begin,
                                 p.b_end)
              << "      " << Span(ta, p.a_begin, p.a_end) << "\n";
  }
  if (passages.size() > kMaxShown) {
    std::cout << "\n  ... " << passages.size() - kMaxShown << " more\n";
  }
}

}  // namespace

int RunExplain(const std::vector<std::string>& args) {
  Flags flags;
  std::string dir;
  std::vector<std::string> corpus;
  RunOptions run;
  ReaderOptions reader;
  flags.String("index", &dir, "index directory (required)");
  flags.Strings("corpus", &corpus,
                "JSON Lines file(s) holding the two articles' texts, to show "
                "their shared passages (repeatable)");
  AddReaderFlags(&flags, &reader);
  AddRelationFlags(&flags, &run.relations);
  std::vector<std::string> ids;
  int exit_code = kExitOk;
  if (!ParseVerbFlags("explain", &flags, args, &ids, &exit_code)) {
    return exit_code;
  }
  if (dir.empty()) return UsageError("explain", "--index DIR is required");
  if (ids.size() != 2) return UsageError("explain", "give two article ids");
  absl::StatusOr<std::unique_ptr<Index>> opened =
      Index::Open(dir, /*for_write=*/false, run);
  if (!opened.ok()) return Fail(opened.status());
  const Index& index = **opened;
  absl::StatusOr<PairScores> scores = index.Compare(ids[0], ids[1]);
  if (!scores.ok()) return Fail(scores.status());
  const PairScores& s = *scores;
  std::cout << "a: " << Describe(index.article(*index.Find(ids[0]))) << "\n"
            << "b: " << Describe(index.article(*index.Find(ids[1]))) << "\n\n"
            << absl::StrFormat(
                   "relation     %s\njaccard      %.4f  (%d and %d shingles)\n"
                   "containment  %.4f of a in b, %.4f of b in a\n"
                   "cosine       %.4f\n"
                   "characters   Jaccard %.4f  (%d and %d character grams)\n",
                   RelationName(Classify(s, run.relations)), s.jaccard,
                   s.shingles_a, s.shingles_b, s.containment_ab,
                   s.containment_ba, s.cosine, s.char_jaccard, s.char_grams_a,
                   s.char_grams_b);
  if (corpus.empty()) {
    std::cout << "\n(give --corpus FILE to see the shared passages; the index "
                 "does not store texts)\n";
    return kExitOk;
  }
  std::map<std::string, int64_t> skipped;
  absl::StatusOr<std::vector<Article>> articles =
      ReadArticles(corpus, reader, &skipped);
  if (!articles.ok()) return Fail(articles.status());
  const Article* found[2] = {nullptr, nullptr};
  for (const Article& a : *articles) {
    for (int i = 0; i < 2; ++i) {
      if (a.id == ids[i]) found[i] = &a;
    }
  }
  for (int i = 0; i < 2; ++i) {
    if (found[i] == nullptr) {
      return Fail(absl::NotFoundError(
          absl::StrCat("article '", ids[i], "' is not in --corpus")));
    }
  }
  PrintPassages(index, *found[0], *found[1]);
  return kExitOk;
}

}  // namespace syndex
