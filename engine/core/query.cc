// One query: its candidates (LSH, vector search, key terms) and their
// ranking; the exhaustive reference.

#include <algorithm>
#include <tuple>
#include <vector>

#include "engine/core/index_core.h"
#include "engine/util/parallel.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// A query's key-term candidates share at least this many of its key terms
// (QueryOptions::key_term_candidates)...
constexpr int kMinSharedKeyTerms = 2;
// ...and only key terms of at most this many articles count.
constexpr size_t kMaxKeyTermDocs = 2000;

// Dense nearest neighbours proposed as candidates for a query of the k best
// matches, beside the LSH candidates (QueryOptions::dense_candidates).
int DenseCandidates(const QueryOptions& options) {
  return options.dense_candidates > 0 ? options.dense_candidates
                                      : std::max(5 * options.k, 50);
}

}  // namespace

absl::StatusOr<std::vector<uint32_t>> IndexCore::Candidates(
    const ScoringQuery& q, const QueryOptions& options) const {
  std::vector<uint32_t> out;
  LshCandidates(q.signature, &out);
  const int neighbours = DenseCandidates(options);
  if (vectors_ != nullptr && neighbours > 0 && vectors_->size() > 0) {
    std::vector<float> scores(neighbours);
    std::vector<int64_t> ids(neighbours);
    SYNDEX_RETURN_IF_ERROR(vectors_->Search(1, q.dense, neighbours,
                                            scores.data(), ids.data()));
    for (int64_t id : ids) {
      if (id >= 0) out.push_back(static_cast<uint32_t>(id));
    }
  }
  if (options.key_term_candidates > 0) {
    uint32_t keys[kKeyTerms];
    TopTerms(q.weighted.ids, q.weighted.values, q.weighted.size, kKeyTerms,
             keys);
    KeyTerms().Query(keys, kMinSharedKeyTerms, kMaxKeyTermDocs,
                     options.key_term_candidates, &out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (q.self) std::erase(out, *q.self);
  return out;
}

std::vector<Match> IndexCore::Rank(const ScoringQuery& q,
                                   std::vector<uint32_t> candidates,
                                   const QueryOptions& options) const {
  std::vector<Match> matches;
  const SparseLookup lookup(q.weighted);
  PrepareStory(options.relations.story, /*all_evidence=*/true);
  for (uint32_t doc : candidates) {
    Match m;
    m.doc = doc;
    m.scores = Score(q, doc, StoredCosine(lookup, doc));
    ScoreStory(q, doc, options.relations.story, &m.scores);
    m.relation = Classify(m.scores, options.relations);
    const bool copy = IsCopy(m.relation);
    if (!copy && m.scores.story < options.min_story_score) continue;
    m.same_story = copy || m.scores.story_strength >= options.same_story_strength;
    matches.push_back(m);
  }
  // Copies first, the strongest relation first and then by Jaccard; then
  // the other articles by story score; then doc order.
  auto key = [](const Match& m) {
    const bool copy = IsCopy(m.relation);
    return std::make_tuple(copy ? m.relation : Relation::kNone,
                           copy ? m.scores.jaccard : m.scores.story,
                           -static_cast<int64_t>(m.doc));
  };
  std::sort(matches.begin(), matches.end(),
            [&](const Match& a, const Match& b) { return key(a) > key(b); });
  if (matches.size() > static_cast<size_t>(options.k)) {
    matches.resize(options.k);
  }
  for (Match& m : matches) {
    m.article = articles_[m.doc];
    FillStoryEvidence(q, m.doc, &m.scores);
  }
  return matches;
}

absl::StatusOr<std::vector<Match>> IndexCore::QueryDoc(
    uint32_t doc, const QueryOptions& options) const {
  const ScoringQuery q = StoredQuery(doc);
  if (options.exhaustive) {
    return Rank(q, AllPossibleMatches(q, options), options);
  }
  SYNDEX_ASSIGN_OR_RETURN(std::vector<uint32_t> candidates,
                          Candidates(q, options));
  return Rank(q, std::move(candidates), options);
}

absl::StatusOr<std::vector<Match>> IndexCore::QueryArticle(
    const Article& article, const QueryOptions& options) const {
  if (articles_.empty()) return std::vector<Match>();
  const ScoringQuery q = OutsideQuery(article);
  SYNDEX_ASSIGN_OR_RETURN(std::vector<uint32_t> candidates,
                          Candidates(q, options));
  return Rank(q, std::move(candidates), options);
}

std::vector<uint32_t> IndexCore::AllPossibleMatches(
    const ScoringQuery& q, const QueryOptions& options) const {
  // A cheap screen that keeps every article Rank could return for q:
  // copies need equal content or shared MinHash values (word or
  // character), other articles a story score of at least min_story_score,
  // computed here with the cosine from the raw counts with the weights of
  // Vocabulary::Weigh (a small margin absorbs float rounding). Rank then
  // scores the survivors exactly.
  const RelationOptions& relations = options.relations;
  const CountCosine cosine(vocabulary_, params_.min_df, q.weighted);
  PrepareStory(relations.story, /*all_evidence=*/false);
  auto possible = [&](uint32_t doc) {
    const uint64_t b = terms_.offsets[doc];
    if (articles_[doc].content_hash == q.content_hash ||
        EstimateJaccard(q.signature, Signature(doc), params_.num_perm) > 0 ||
        EstimateJaccard(q.char_signature, CharSignature(doc),
                        params_.char_perm) >= relations.char_jaccard_min) {
      return true;
    }
    PairScores s;
    s.cosine = cosine(terms_.ids.data() + b, terms_.counts.data() + b,
                      terms_.offsets[doc + 1] - b);
    ScoreStory(q, doc, relations.story, &s);
    return s.story >= options.min_story_score - 1e-3;
  };
  const uint32_t n = static_cast<uint32_t>(articles_.size());
  std::vector<char> keep(n, 0);
  ParallelFor(n, threads(), 1024, [&](size_t b, size_t e, int) {
    for (size_t d = b; d < e; ++d) {
      keep[d] = q.self != d && possible(static_cast<uint32_t>(d));
    }
  });
  std::vector<uint32_t> out;
  for (uint32_t d = 0; d < n; ++d) {
    if (keep[d]) out.push_back(d);
  }
  return out;
}

PairScores IndexCore::Compare(uint32_t a, uint32_t b,
                              const StoryModel& model) const {
  const ScoringQuery q = StoredQuery(a);
  PairScores s = Score(q, b, StoredCosine(SparseLookup(q.weighted), b));
  PrepareStory(model, /*all_evidence=*/true);
  ScoreStory(q, b, model, &s);
  FillStoryEvidence(q, b, &s);
  return s;
}

}  // namespace syndex
