// Adding and removing articles.

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/core/index_core.h"
#include "engine/text/markup.h"
#include "engine/util/memory.h"
#include "engine/util/parallel.h"
#include "engine/util/progress.h"
#include "engine/util/status_macros.h"

namespace syndex {

absl::Status IndexCore::CheckIds(std::vector<Article>* articles,
                                 const AddOptions& options, AddCall* call,
                                 AddReport* report) const {
  absl::flat_hash_map<absl::string_view, size_t> seen;
  std::vector<bool> keep(articles->size(), true);
  for (size_t i = 0; i < articles->size(); ++i) {
    const Article& a = (*articles)[i];
    std::string problem, reason = "duplicate id";
    const auto stored = by_id_.find(a.id);
    if (a.id.empty() || a.text.empty()) {
      reason = a.id.empty() ? "empty id" : "empty text";
      problem = reason;
    } else if (stored != by_id_.end() && (stored->second >= call->first_doc ||
                                          call->replaced.contains(a.id))) {
      problem = absl::StrCat("duplicate id '", a.id, "' (added twice)");
    } else if (stored != by_id_.end() && !options.replace) {
      problem = absl::StrCat("duplicate id '", a.id, "' (already in the index)");
    } else if (auto [it, fresh] = seen.emplace(a.id, i); !fresh) {
      problem = absl::StrCat("duplicate id '", a.id, "' (first at ",
                             (*articles)[it->second].origin, ")");
    }
    if (problem.empty()) continue;
    if (!options.skip_bad) {
      return absl::InvalidArgumentError(
          a.origin.empty() ? problem : absl::StrCat(a.origin, ": ", problem));
    }
    ++report->skipped[reason];
    keep[i] = false;
  }
  for (size_t i = 0; i < articles->size(); ++i) {
    const std::string& id = (*articles)[i].id;
    if (keep[i] && by_id_.contains(id)) {
      call->replaced.insert(id);
      ++report->replaced;
    }
  }
  std::vector<Article> kept;
  kept.reserve(articles->size());
  for (size_t i = 0; i < articles->size(); ++i) {
    if (keep[i]) kept.push_back(std::move((*articles)[i]));
  }
  *articles = std::move(kept);
  return absl::OkStatus();
}

void IndexCore::LearnChrome(const std::vector<Article>& articles,
                            const std::vector<std::string>& cleaned) {
  ChromeModel::Learner learner(params_.chrome);
  for (size_t i = 0; i < articles.size(); ++i) {
    learner.Observe(SourceKey(articles[i].source, articles[i].url),
                    cleaned[i]);
  }
  std::move(learner).LearnInto(&chrome_);
}

absl::Status IndexCore::Add(std::vector<Article> articles,
                            const AddOptions& options, AddReport* report) {
  AddCall call;
  call.first_doc = static_cast<uint32_t>(articles_.size());
  SYNDEX_RETURN_IF_ERROR(AddTexts(std::move(articles), options, &call, report));
  SYNDEX_RETURN_IF_ERROR(RemoveReplaced(call));
  return UpdateVectors(report);
}

absl::Status IndexCore::RemoveReplaced(const AddCall& call) {
  if (call.replaced.empty()) return absl::OkStatus();
  std::vector<bool> keep(articles_.size(), true);
  for (uint32_t doc = 0; doc < call.first_doc; ++doc) {
    keep[doc] = !call.replaced.contains(articles_[doc].id);
  }
  return Retain(keep);
}

absl::Status IndexCore::AddFrom(const ArticleSource& next,
                                const AddOptions& options,
                                AddReport* report) {
  const size_t batch_size = std::max<size_t>(options.batch_size, 1);
  AddCall call;
  call.first_doc = static_cast<uint32_t>(articles_.size());
  std::vector<Article> batch;
  for (;;) {
    Article article;
    SYNDEX_ASSIGN_OR_RETURN(const bool more, next(&article));
    if (!more) break;
    batch.push_back(std::move(article));
    // The read stage's total is the batch it fills.
    if (options_.progress && batch.size() % 1024 == 0) {
      options_.progress("read", batch.size(), batch_size);
    }
    if (batch.size() < batch_size) continue;
    SYNDEX_RETURN_IF_ERROR(AddTexts(std::move(batch), options, &call, report));
    batch.clear();
  }
  if (options_.progress) options_.progress("read", batch.size(), batch.size());
  SYNDEX_RETURN_IF_ERROR(AddTexts(std::move(batch), options, &call, report));
  SYNDEX_RETURN_IF_ERROR(RemoveReplaced(call));
  return UpdateVectors(report);
}

absl::Status IndexCore::AddTexts(std::vector<Article> articles,
                                 const AddOptions& options, AddCall* call,
                                 AddReport* report) {
  SYNDEX_RETURN_IF_ERROR(CheckIds(&articles, options, call, report));
  if (articles.empty()) return absl::OkStatus();
  const size_t n = articles.size();
  std::vector<std::string> normalized(n);
  {
    StageProgress progress(options_.progress, "normalize", n);
    ParallelFor(n, threads(), kGrain, [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) {
        normalized[i] = CleanText(articles[i].text);
        std::string().swap(articles[i].text);  // Not needed any more.
      }
      progress.Add(e - b);
    });
  }
  {
    // Every batch learns the chrome of the sources not learned before.
    StageProgress progress(options_.progress, "chrome", n);
    LearnChrome(articles, normalized);
  }
  std::vector<CopyFeatures> features(n);
  std::vector<Vocabulary::Pending> terms(n);
  {
    StageProgress progress(options_.progress, "minhash", n);
    ParallelFor(n, threads(), kGrain, [&](size_t b, size_t e, int) {
      std::vector<absl::string_view> tokens;
      for (size_t i = b; i < e; ++i) {
        const Article& a = articles[i];
        extractor_->FromNormalized(SourceKey(a.source, a.url), normalized[i],
                                   &chrome_, &features[i], &tokens);
        std::string().swap(normalized[i]);
        terms[i] = vocabulary_.Lookup(tokens);
      }
      progress.Add(e - b);
    });
  }
  normalized.clear();

  GrowHuge(&signatures_, signatures_.size() + n * params_.num_perm);
  GrowHuge(&char_signatures_, char_signatures_.size() + n * params_.char_perm);
  GrowHuge(&articles_, articles_.size() + n);
  StageProgress progress(options_.progress, "vocabulary", n);
  for (size_t i = 0; i < n; ++i) {
    progress.Add(1);
    const TermCounts counts = vocabulary_.Complete(std::move(terms[i]));
    std::string().swap(features[i].body);
    Append(articles[i], features[i], counts);
  }
  report->added += n;
  DropDerived();
  return absl::OkStatus();
}

void IndexCore::Append(Article& a, const CopyFeatures& f,
                       const TermCounts& counts) {
  vocabulary_.AddDocument(counts);
  terms_.ids.insert(terms_.ids.end(), counts.ids.begin(), counts.ids.end());
  for (uint32_t c : counts.counts) {
    terms_.counts.push_back(
        static_cast<uint16_t>(std::min<uint32_t>(c, 65535)));
  }
  terms_.offsets.push_back(terms_.ids.size());
  signatures_.insert(signatures_.end(), f.signature.begin(),
                     f.signature.end());
  char_signatures_.insert(char_signatures_.end(), f.char_signature.begin(),
                          f.char_signature.end());
  ArticleInfo info;
  info.id = std::move(a.id);
  info.title = std::move(a.title);
  info.source = std::move(a.source);
  info.url = std::move(a.url);
  info.published = a.published;
  info.content_hash = f.content_hash;
  info.shingles = f.shingles;
  info.char_grams = f.char_grams;
  by_id_.emplace(info.id, static_cast<uint32_t>(articles_.size()));
  articles_.push_back(std::move(info));
}

absl::Status IndexCore::Remove(const std::vector<std::string>& ids) {
  std::vector<bool> keep(articles_.size(), true);
  for (const std::string& id : ids) {
    const std::optional<uint32_t> doc = Find(id);
    if (!doc) {
      return absl::NotFoundError(absl::StrCat("no article with id '", id, "'"));
    }
    keep[*doc] = false;
  }
  return Retain(keep);
}

absl::StatusOr<size_t> IndexCore::Evict(int64_t before) {
  std::vector<bool> keep(articles_.size(), true);
  size_t removed = 0;
  for (size_t i = 0; i < articles_.size(); ++i) {
    const auto& published = articles_[i].published;
    if (published && *published < before) {
      keep[i] = false;
      ++removed;
    }
  }
  SYNDEX_RETURN_IF_ERROR(Retain(keep));
  return removed;
}

absl::Status IndexCore::Retain(const std::vector<bool>& keep) {
  std::vector<ArticleInfo> articles;
  std::vector<uint32_t> signatures, char_signatures;
  TermTable terms;
  const size_t perm = params_.num_perm;
  for (uint32_t i = 0; i < articles_.size(); ++i) {
    if (!keep[i]) {
      vocabulary_.RemoveDocument(Counts(i));
      continue;
    }
    articles.push_back(std::move(articles_[i]));
    signatures.insert(signatures.end(), Signature(i), Signature(i) + perm);
    char_signatures.insert(char_signatures.end(), CharSignature(i),
                           CharSignature(i) + params_.char_perm);
    const uint64_t b = terms_.offsets[i], e = terms_.offsets[i + 1];
    terms.ids.insert(terms.ids.end(), terms_.ids.begin() + b,
                     terms_.ids.begin() + e);
    terms.counts.insert(terms.counts.end(), terms_.counts.begin() + b,
                        terms_.counts.begin() + e);
    terms.offsets.push_back(terms.ids.size());
  }
  articles_ = std::move(articles);
  signatures_ = std::move(signatures);
  char_signatures_ = std::move(char_signatures);
  terms_ = std::move(terms);
  by_id_.clear();
  for (uint32_t i = 0; i < articles_.size(); ++i) by_id_[articles_[i].id] = i;
  DropDerived();
  if (articles_.empty()) {
    vectors_.reset();
    projection_trained_on_ = 0;
    return absl::OkStatus();
  }
  // The projection stays; the vectors of the remaining articles are
  // recomputed from their term counts.
  return RebuildVectorStore();
}

absl::StatusOr<size_t> IndexCore::Compact() {
  Vocabulary compacted;
  std::vector<uint32_t> new_id(vocabulary_.size(), Vocabulary::kUnknown);
  for (uint32_t t = 0; t < vocabulary_.size(); ++t) {
    if (vocabulary_.df(t) > 0) new_id[t] = compacted.FindOrAdd(vocabulary_.term(t));
  }
  for (uint32_t i = 0; i < articles_.size(); ++i) {
    TermCounts counts = Counts(i);
    for (uint32_t& id : counts.ids) id = new_id[id];
    compacted.AddDocument(counts);
  }
  for (uint32_t& id : terms_.ids) id = new_id[id];
  const size_t dropped = vocabulary_.size() - compacted.size();
  vocabulary_ = std::move(compacted);
  DropDerived();
  if (articles_.empty()) return dropped;
  // Term ids changed, so the projection is learned anew.
  SYNDEX_RETURN_IF_ERROR(TrainProjection());
  SYNDEX_RETURN_IF_ERROR(RebuildVectorStore());
  return dropped;
}

}  // namespace syndex
