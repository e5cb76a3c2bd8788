// Learning chrome as the index grows (chrome/growth.h): a batch that brings
// articles of a source whose chrome is not final learns the source's chrome
// again from all of its articles, the stored ones from their kept clean
// texts, and computes the stored ones' features again in place, as one
// index built at once would have them.

#include <algorithm>

#include "engine/core/index_core.h"
#include "engine/util/parallel.h"

namespace syndex {

absl::flat_hash_set<std::string> IndexCore::GrowingSources(
    const std::vector<Article>& articles) const {
  absl::flat_hash_set<std::string> growing;
  for (const Article& a : articles) {
    std::string key = SourceKey(a.source, a.url);
    if (!growth_.Final(key)) growing.insert(std::move(key));
  }
  return growing;
}

std::vector<uint32_t> IndexCore::StoredGrowing(
    const absl::flat_hash_set<std::string>& growing,
    const AddCall& call) const {
  std::vector<uint32_t> docs;
  if (growing.empty()) return docs;
  for (const std::string& id : growth_.Ids()) {
    const std::optional<uint32_t> doc = Find(id);
    // A replaced article leaves at the end of the call.
    if (!doc || call.replaced.contains(id)) continue;
    const ArticleInfo& info = articles_[*doc];
    if (growing.contains(SourceKey(info.source, info.url))) {
      docs.push_back(*doc);
    }
  }
  std::sort(docs.begin(), docs.end());
  return docs;
}

std::unique_ptr<ChromeModel> IndexCore::LearnChrome(
    const absl::flat_hash_set<std::string>& growing,
    const std::vector<uint32_t>& stored, const std::vector<Article>& articles,
    const std::vector<std::string>& cleaned) const {
  if (growing.empty()) return nullptr;
  ChromeModel::Learner learner(params_.chrome);
  for (uint32_t doc : stored) {
    const ArticleInfo& info = articles_[doc];
    learner.Observe(SourceKey(info.source, info.url),
                    *growth_.Text(info.id));
  }
  for (size_t i = 0; i < articles.size(); ++i) {
    const std::string key = SourceKey(articles[i].source, articles[i].url);
    if (growing.contains(key)) learner.Observe(key, cleaned[i]);
  }
  auto learned = std::make_unique<ChromeModel>(chrome_);
  learned->Forget(std::vector<std::string>(growing.begin(), growing.end()));
  std::move(learner).LearnInto(learned.get());
  // Without stored articles the growing sources had nothing learned to
  // forget, so equal sizes mean nothing was learned.
  if (stored.empty() && learned->sources() == chrome_.sources() &&
      learned->size() == chrome_.size()) {
    return nullptr;
  }
  return learned;
}

void IndexCore::Refeaturize(const std::vector<uint32_t>& docs) {
  if (docs.empty()) return;
  std::vector<CopyFeatures> features(docs.size());
  std::vector<Vocabulary::Pending> terms(docs.size());
  ParallelFor(docs.size(), threads(), kGrain, [&](size_t b, size_t e, int) {
    std::vector<absl::string_view> tokens;
    for (size_t i = b; i < e; ++i) {
      const ArticleInfo& info = articles_[docs[i]];
      extractor_->FromNormalized(SourceKey(info.source, info.url),
                                 *growth_.Text(info.id), &chrome_,
                                 &features[i], &tokens);
      terms[i] = vocabulary_.Lookup(tokens);
    }
  });
  absl::flat_hash_map<uint32_t, TermCounts> counts;
  for (size_t i = 0; i < docs.size(); ++i) {
    const uint32_t doc = docs[i];
    const CopyFeatures& f = features[i];
    TermCounts c = vocabulary_.Complete(std::move(terms[i]));
    vocabulary_.RemoveDocument(Counts(doc));
    vocabulary_.AddDocument(c);
    counts.emplace(doc, std::move(c));
    std::copy(f.signature.begin(), f.signature.end(),
              signatures_.begin() + static_cast<size_t>(doc) * params_.num_perm);
    std::copy(f.char_signature.begin(), f.char_signature.end(),
              char_signatures_.begin() +
                  static_cast<size_t>(doc) * params_.char_perm);
    ArticleInfo& info = articles_[doc];
    info.content_hash = f.content_hash;
    info.shingles = f.shingles;
    info.char_grams = f.char_grams;
  }
  TermTable table;
  for (uint32_t doc = 0; doc < articles_.size(); ++doc) {
    const auto it = counts.find(doc);
    if (it == counts.end()) {
      const uint64_t b = terms_.offsets[doc], e = terms_.offsets[doc + 1];
      table.ids.insert(table.ids.end(), terms_.ids.begin() + b,
                       terms_.ids.begin() + e);
      table.counts.insert(table.counts.end(), terms_.counts.begin() + b,
                          terms_.counts.begin() + e);
    } else {
      AppendCounts(it->second, &table);
    }
    table.offsets.push_back(table.ids.size());
  }
  terms_ = std::move(table);
  for (uint32_t doc : docs) {
    const ArticleInfo& info = articles_[doc];
    if (growth_.Final(SourceKey(info.source, info.url))) growth_.Drop(info.id);
  }
  // The vectors are computed again once the batch is in (UpdateVectors).
  vectors_.reset();
  DropDerived();
}

void IndexCore::KeepGrowing(const absl::flat_hash_set<std::string>& growing,
                            const std::vector<uint32_t>& stored,
                            const std::vector<Article>& articles,
                            const std::vector<std::string>& cleaned,
                            const ChromeModel& chrome) {
  absl::flat_hash_map<std::string, size_t> count;
  for (uint32_t doc : stored) {
    ++count[SourceKey(articles_[doc].source, articles_[doc].url)];
  }
  std::vector<std::string> keys(articles.size());
  for (size_t i = 0; i < articles.size(); ++i) {
    keys[i] = SourceKey(articles[i].source, articles[i].url);
    if (growing.contains(keys[i])) ++count[keys[i]];
  }
  const size_t final_docs =
      static_cast<size_t>(params_.chrome.final_source_docs);
  for (size_t i = 0; i < articles.size(); ++i) {
    const auto it = count.find(keys[i]);
    if (it != count.end() && it->second < final_docs) {
      growth_.Keep(articles[i].id, cleaned[i]);
    }
  }
  // The stored articles' texts go once Refeaturize has read them.
  for (const auto& [key, n] : count) {
    if (n >= final_docs && chrome.Learned(key)) growth_.MarkFinal(key);
  }
}

}  // namespace syndex
