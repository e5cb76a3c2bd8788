// The story score of a query and a stored article (relations/story_score.h)
// from the evidence the index holds: TF-IDF and dense vectors, key terms
// and publication times.

#include <cmath>

#include "engine/core/index_core.h"

namespace syndex {

void IndexCore::PrepareStory(const StoryModel& model,
                             bool all_evidence) const {
  if (all_evidence || model.w_key_terms != 0) {
    KeyTerms();  // Builds doc_key_terms_ with the index.
  }
  if (all_evidence || model.w_dense != 0) {
    std::lock_guard<std::mutex> lock(dense_mu_);
    if (dense_of_.empty() && vectors_ != nullptr) {
      dense_of_ = vectors_->Vectors();
    }
  }
}

const uint32_t* IndexCore::QueryKeyTerms(const ScoringQuery& q) const {
  return q.self ? DocKeyTerms(*q.self) : q.own_key_terms.data();
}

double IndexCore::DenseCosine(const ScoringQuery& q, uint32_t doc) const {
  // Projected vectors are unit length (projection.cc); the stored ones are
  // rounded to half precision.
  const float* d = DenseOf(doc);
  float dot = 0;
  for (int i = 0, n = dims(); i < n; ++i) dot += q.dense[i] * d[i];
  return dot;
}

void IndexCore::FillStoryEvidence(const ScoringQuery& q, uint32_t doc,
                                  PairScores* s) const {
  s->dense_cosine = DenseCosine(q, doc);
  s->shared_key_terms = SharedKeyTerms(QueryKeyTerms(q), DocKeyTerms(doc));
}

void IndexCore::ScoreStory(const ScoringQuery& q, uint32_t doc,
                           const StoryModel& model, PairScores* s) const {
  // The evidence the model gives no weight is not computed: most of a
  // query's candidates are scored and dropped.
  if (model.w_dense != 0) s->dense_cosine = DenseCosine(q, doc);
  if (model.w_key_terms != 0) {
    s->shared_key_terms = SharedKeyTerms(QueryKeyTerms(q), DocKeyTerms(doc));
  }
  const std::optional<int64_t>& published = articles_[doc].published;
  s->days_apart =
      q.published && published
          ? std::fabs(static_cast<double>(*q.published - *published)) / 86400
          : -1;
  StoryEvidence e;
  e.cosine = s->cosine;
  e.dense_cosine = s->dense_cosine;
  e.shared_key_terms = s->shared_key_terms;
  e.days_apart = s->days_apart;
  s->story_strength = StoryStrength(e, model);
  s->story = StoryScoreOf(s->story_strength, model);
}

}  // namespace syndex
