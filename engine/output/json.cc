#include "engine/output/json.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/corpus/jsonl_reader.h"
#include "engine/util/json.h"

namespace syndex {
namespace {

void AppendMatch(absl::string_view query_id, int rank, const Match& m,
                 std::string* out) {
  const PairScores& s = m.scores;
  absl::StrAppend(out, "{\"query\":", JsonString(query_id), ",\"rank\":", rank,
                  ",\"id\":", JsonString(m.article.id),
                  ",\"relation\":", JsonString(RelationName(m.relation)),
                  ",\"jaccard\":", Fixed(s.jaccard), ",\"containment\":",
                  Fixed(std::max(s.containment_ab, s.containment_ba)),
                  ",\"query_in_match\":", Fixed(s.containment_ab),
                  ",\"match_in_query\":", Fixed(s.containment_ba),
                  ",\"cosine\":", Fixed(s.cosine),
                  ",\"char_jaccard\":", Fixed(s.char_jaccard),
                  ",\"title\":", JsonString(m.article.title),
                  ",\"rule\":", JsonString(RuleName(m.rule)),
                  ",\"source\":", JsonString(m.article.source));
  if (m.article.published) {
    absl::StrAppend(out, ",\"published\":",
                    JsonString(FormatIsoTime(*m.article.published)));
  }
  absl::StrAppend(out, ",\"story\":", Fixed(s.story),
                  ",\"dense_cosine\":", Fixed(s.dense_cosine),
                  ",\"shared_key_terms\":", s.shared_key_terms,
                  ",\"same_story\":", m.same_story ? "true" : "false", "}\n");
}

// The fields of one article's description in explain.
std::string ArticleObject(const ArticleInfo& a) {
  std::string out = absl::StrCat("{\"id\":", JsonString(a.id),
                                 ",\"title\":", JsonString(a.title),
                                 ",\"source\":", JsonString(a.source));
  if (a.published) {
    absl::StrAppend(&out, ",\"published\":",
                    JsonString(FormatIsoTime(*a.published)));
  }
  absl::StrAppend(&out, ",\"shingles\":", a.shingles,
                  ",\"char_grams\":", a.char_grams, "}");
  return out;
}

// One `cluster --json` line of article `a`.
void AppendClusterLine(const ArticleInfo& a, const std::string& canonical,
                       const std::string& story, const ClusterEntry& e,
                       std::string* out) {
  const bool original = e.original();
  absl::StrAppend(
      out, "{\"id\":", JsonString(a.id),
      ",\"copy_group\":", JsonString(canonical),
      ",\"story\":", JsonString(story),
      ",\"canonical\":", JsonString(canonical),
      ",\"relation\":", JsonString(e.label()),
      ",\"jaccard\":", Fixed(original ? 1 : e.scores.jaccard),
      ",\"containment\":", Fixed(original ? 1 : e.scores.containment_ab),
      ",\"cosine\":", Fixed(original ? 1 : e.scores.cosine),
      ",\"copy_group_size\":", e.copy_group_size,
      ",\"story_size\":", e.story_size);
  if (a.published) {
    absl::StrAppend(out, ",\"published\":",
                    JsonString(FormatIsoTime(*a.published)));
  }
  absl::StrAppend(out, "}\n");
}

}  // namespace

std::string MatchLines(absl::string_view query_id,
                       const std::vector<Match>& matches) {
  std::string out;
  int rank = 0;
  for (const Match& m : matches) AppendMatch(query_id, ++rank, m, &out);
  return out;
}

std::string ClusterLines(const Index& index,
                         const std::vector<ClusterEntry>& entries) {
  std::string out;
  for (const ClusterEntry& e : entries) {
    AppendClusterLine(index.article(e.doc), index.article(e.copy_group).id,
                      index.article(e.story).id, e, &out);
  }
  return out;
}

std::string ClusterLines(const Clustering& clustering,
                         const std::vector<ClusterEntry>& entries) {
  std::string out;
  for (const ClusterEntry& e : entries) {
    AppendClusterLine(clustering.articles[e.doc],
                      clustering.articles[e.copy_group].id,
                      clustering.articles[e.story].id, e, &out);
  }
  return out;
}

std::string CopyLine(absl::string_view id, absl::string_view canonical,
                     absl::string_view label, double jaccard,
                     double containment) {
  return absl::StrCat("{\"id\":", JsonString(id),
                      ",\"copy_group\":", JsonString(canonical),
                      ",\"canonical\":", JsonString(canonical),
                      ",\"relation\":", JsonString(label),
                      ",\"jaccard\":", Fixed(jaccard),
                      ",\"containment\":", Fixed(containment), "}\n");
}

std::string CopyLines(const Index& index,
                      const std::vector<ClusterEntry>& entries) {
  std::string out;
  for (const ClusterEntry& e : entries) {
    const bool original = e.original();
    out += CopyLine(index.article(e.doc).id, index.article(e.copy_group).id,
                    e.label(), original ? 1 : e.scores.jaccard,
                    original ? 1 : e.scores.containment_ab);
  }
  return out;
}

std::string StatsLine(const IndexStats& s) {
  const IndexParams& p = s.params;
  std::string sections;
  for (const auto& [tag, bytes] : s.section_bytes) {
    absl::StrAppend(&sections, sections.empty() ? "" : ",", JsonString(tag),
                    ":", bytes);
  }
  return absl::StrFormat(
      "{\"articles\":%d,\"dated_articles\":%d,\"generation\":%d,"
      "\"data_file\":%s,\"bytes\":%d,\"log_bytes\":%d,\"vocabulary\":%d,"
      "\"chrome_passages\":%d,\"chrome_sources\":%d,"
      "\"shingle_size\":%d,\"num_perm\":%d,\"bands\":%d,\"rows\":%d,"
      "\"seed\":%d,\"dims\":%d,\"vector_index\":%s,\"section_bytes\":{%s}}\n",
      s.articles, s.dated_articles, s.generation, JsonString(s.data_file),
      s.bytes, s.log_bytes, s.vocabulary, s.chrome_passages, s.chrome_sources,
      p.shingle_size, p.num_perm, s.bands, s.rows, p.seed, p.projection.dims,
      JsonString(s.vector_index), sections);
}

std::string ExplanationLine(const Explanation& e) {
  const PairScores& s = e.scores;
  std::string out = absl::StrCat(
      "{\"a\":", ArticleObject(e.a), ",\"b\":", ArticleObject(e.b),
      ",\"relation\":", JsonString(RelationName(e.relation)),
      ",\"rule\":", JsonString(RuleName(e.rule)),
      ",\"jaccard\":", Fixed(s.jaccard),
      ",\"a_in_b\":", Fixed(s.containment_ab),
      ",\"b_in_a\":", Fixed(s.containment_ba), ",\"cosine\":", Fixed(s.cosine),
      ",\"char_jaccard\":", Fixed(s.char_jaccard));
  if (e.has_passages) {
    absl::StrAppend(&out, ",\"words_a\":", e.words_a,
                    ",\"words_b\":", e.words_b,
                    ",\"shared_words\":", e.shared_words, ",\"passages\":[");
    for (size_t i = 0; i < e.passages.size(); ++i) {
      const SharedPassage& p = e.passages[i];
      absl::StrAppend(&out, i == 0 ? "" : ",", "{\"a\":[", p.a_begin, ",",
                      p.a_end, "],\"b\":[", p.b_begin, ",", p.b_end,
                      "],\"text\":", JsonString(p.text), "}");
    }
    absl::StrAppend(&out, "]");
  }
  absl::StrAppend(&out, ",\"story\":", Fixed(s.story),
                  ",\"dense_cosine\":", Fixed(s.dense_cosine),
                  ",\"shared_key_terms\":", s.shared_key_terms, "}\n");
  return out;
}

}  // namespace syndex
