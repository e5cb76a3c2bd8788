// Adding and removing articles.

#include <algorithm>
#include <mutex>
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

absl::Status IndexCore::Add(std::vector<Article> articles,
                            const AddOptions& options, AddReport* report) {
  AddCall call;
  call.first_doc = static_cast<uint32_t>(articles_.size());
  if (articles_.empty()) {
    // The first batch trains the projection: all of it under the lock,
    // while there is nothing to query.
    std::unique_lock<RwLock> lock(state_mu_);
    SYNDEX_RETURN_IF_ERROR(
        AddTexts(std::move(articles), options, &call, report));
    return UpdateVectors(report);
  }
  SYNDEX_ASSIGN_OR_RETURN(
      Prepared prepared, Prepare(std::move(articles), options, &call, report));
  Apply(std::move(prepared), report, &state_mu_);
  if (!call.replaced.empty()) {
    std::unique_lock<RwLock> lock(state_mu_);
    SYNDEX_RETURN_IF_ERROR(RemoveReplaced(call));
    return UpdateVectors(report);
  }
  return UpdateVectors(report, &state_mu_);
}

absl::Status IndexCore::RemoveReplaced(const AddCall& call) {
  if (call.replaced.empty()) return absl::OkStatus();
  LogReplaced(call);
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
  SYNDEX_ASSIGN_OR_RETURN(
      Prepared prepared, Prepare(std::move(articles), options, call, report));
  Apply(std::move(prepared), report, nullptr);
  return absl::OkStatus();
}

absl::StatusOr<IndexCore::Prepared> IndexCore::Prepare(
    std::vector<Article> articles, const AddOptions& options, AddCall* call,
    AddReport* report) {
  SYNDEX_RETURN_IF_ERROR(CheckIds(&articles, options, call, report));
  Prepared out;
  if (articles.empty()) return out;
  LogAdd(articles);
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
  if (!replaying_) {
    // Every batch learns the chrome of its sources whose chrome is not
    // final, with their stored articles (growth.cc); replay installs the
    // chrome the record holds instead (a log holds no batch that learns a
    // source again: such an index commits whole data files).
    StageProgress progress(options_.progress, "chrome", n);
    const absl::flat_hash_set<std::string> growing = GrowingSources(articles);
    out.stored = StoredGrowing(growing, *call);
    out.chrome = LearnChrome(growing, out.stored, articles, normalized);
    KeepGrowing(growing, out.stored, articles, normalized,
                out.chrome ? *out.chrome : chrome_);
  }
  LogAddEnd(out.chrome.get());
  const ChromeModel& chrome = out.chrome ? *out.chrome : chrome_;
  out.features.resize(n);
  out.terms.resize(n);
  {
    StageProgress progress(options_.progress, "minhash", n);
    ParallelFor(n, threads(), kGrain, [&](size_t b, size_t e, int) {
      std::vector<absl::string_view> tokens;
      for (size_t i = b; i < e; ++i) {
        const Article& a = articles[i];
        extractor_->FromNormalized(SourceKey(a.source, a.url), normalized[i],
                                   &chrome, &out.features[i], &tokens);
        std::string().swap(normalized[i]);
        out.terms[i] = vocabulary_.Lookup(tokens);
      }
      progress.Add(e - b);
    });
  }
  out.articles = std::move(articles);
  return out;
}

void IndexCore::Apply(Prepared prepared, AddReport* report, RwLock* lock) {
  const size_t n = prepared.articles.size();
  if (n == 0) return;
  std::unique_lock<RwLock> exclusive;
  if (lock != nullptr) exclusive = std::unique_lock<RwLock>(*lock);
  const ApplyTimer timer(report);
  if (prepared.chrome != nullptr) chrome_ = std::move(*prepared.chrome);
  Refeaturize(prepared.stored);
  const uint32_t first = static_cast<uint32_t>(articles_.size());
  GrowHuge(&signatures_, signatures_.size() + n * params_.num_perm);
  GrowHuge(&char_signatures_, char_signatures_.size() + n * params_.char_perm);
  GrowHuge(&articles_, articles_.size() + n);
  StageProgress progress(options_.progress, "vocabulary", n);
  for (size_t i = 0; i < n; ++i) {
    progress.Add(1);
    const TermCounts counts =
        vocabulary_.Complete(std::move(prepared.terms[i]));
    std::string().swap(prepared.features[i].body);
    Append(prepared.articles[i], prepared.features[i], counts);
  }
  report->added += n;
  ExtendDerived(first);
}

void IndexCore::Reserve(size_t more) {
  const size_t n = articles_.size() + more;
  // Term entries in proportion to the articles so far (or 512 each).
  const size_t per_article =
      articles_.empty() ? 512 : terms_.ids.size() / articles_.size() + 1;
  ReserveHuge(&signatures_, n * params_.num_perm);
  ReserveHuge(&char_signatures_, n * params_.char_perm);
  ReserveHuge(&articles_, n);
  ReserveHuge(&terms_.ids, n * per_article);
  ReserveHuge(&terms_.counts, n * per_article);
  terms_.offsets.reserve(n + 1);
  by_id_.reserve(n);
}

void IndexCore::AppendCounts(const TermCounts& counts, TermTable* table) {
  table->ids.insert(table->ids.end(), counts.ids.begin(), counts.ids.end());
  for (uint32_t c : counts.counts) {
    table->counts.push_back(
        static_cast<uint16_t>(std::min<uint32_t>(c, 65535)));
  }
}

void IndexCore::Append(Article& a, const CopyFeatures& f,
                       const TermCounts& counts) {
  vocabulary_.AddDocument(counts);
  AppendCounts(counts, &terms_);
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
  LogRemove(ids);
  return Retain(keep);
}

absl::StatusOr<size_t> IndexCore::Evict(int64_t before) {
  std::vector<bool> keep(articles_.size(), true);
  std::vector<std::string> ids;
  for (size_t i = 0; i < articles_.size(); ++i) {
    const auto& published = articles_[i].published;
    if (published && *published < before) {
      keep[i] = false;
      ids.push_back(articles_[i].id);
    }
  }
  const size_t removed = ids.size();
  if (removed == 0) return removed;
  LogRemove(ids);
  SYNDEX_RETURN_IF_ERROR(Retain(keep));
  return removed;
}

absl::Status IndexCore::Retain(const std::vector<bool>& keep) {
  std::vector<ArticleInfo> articles;
  std::vector<uint32_t> signatures, char_signatures;
  TermTable terms;
  const size_t perm = params_.num_perm;
  std::vector<std::string> removed;
  for (uint32_t i = 0; i < articles_.size(); ++i) {
    if (!keep[i]) {
      vocabulary_.RemoveDocument(Counts(i));
      removed.push_back(std::move(articles_[i].id));
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
  // A replaced article's id stays, with the text of its new version.
  for (const std::string& id : removed) {
    if (!by_id_.contains(id)) growth_.Drop(id);
  }
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
  full_commit_ = true;  // Term ids changed: not a log record.
  DropDerived();
  if (articles_.empty()) return dropped;
  // Term ids changed, so the projection is learned anew.
  SYNDEX_RETURN_IF_ERROR(TrainProjection());
  SYNDEX_RETURN_IF_ERROR(RebuildVectorStore());
  return dropped;
}

}  // namespace syndex
