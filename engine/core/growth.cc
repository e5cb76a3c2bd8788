// Learning chrome as the index grows (chrome/growth.h): a batch that brings
// articles of a source whose chrome is not final brings back the source's
// stored articles too, from their kept clean texts, so that the source's
// chrome is learned from all of its articles and all of them get the
// features of that chrome, as one index built at once would.

#include <algorithm>
#include <iterator>

#include "engine/core/index_core.h"

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

void IndexCore::Requeue(const absl::flat_hash_set<std::string>& growing,
                        AddCall* call, std::vector<Article>* articles,
                        std::vector<std::string>* cleaned) {
  std::vector<uint32_t> docs;
  for (const std::string& id : growth_.Ids()) {
    const std::optional<uint32_t> doc = Find(id);
    if (!doc || call->replaced.contains(id)) continue;
    const ArticleInfo& info = articles_[*doc];
    if (growing.contains(SourceKey(info.source, info.url))) docs.push_back(*doc);
  }
  if (docs.empty()) return;
  std::sort(docs.begin(), docs.end());
  std::vector<bool> keep(articles_.size(), true);
  std::vector<Article> back(docs.size());
  std::vector<std::string> texts(docs.size());
  uint32_t before_call = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    const ArticleInfo& info = articles_[docs[i]];
    Article& a = back[i];
    a.id = info.id;
    a.title = info.title;
    a.source = info.source;
    a.url = info.url;
    a.published = info.published;
    texts[i] = *growth_.Text(info.id);
    call->requeued.insert(info.id);
    keep[docs[i]] = false;
    before_call += docs[i] < call->first_doc;
  }
  // The vectors are computed again once the batch is in (UpdateVectors).
  RetainRows(keep);
  vectors_.reset();
  call->first_doc -= before_call;
  articles->insert(articles->begin(), std::make_move_iterator(back.begin()),
                   std::make_move_iterator(back.end()));
  cleaned->insert(cleaned->begin(), std::make_move_iterator(texts.begin()),
                  std::make_move_iterator(texts.end()));
}

void IndexCore::LearnChrome(const absl::flat_hash_set<std::string>& growing,
                            const std::vector<Article>& articles,
                            const std::vector<std::string>& cleaned) {
  if (growing.empty()) return;
  ChromeModel::Learner learner(params_.chrome);
  for (size_t i = 0; i < articles.size(); ++i) {
    const std::string key = SourceKey(articles[i].source, articles[i].url);
    if (growing.contains(key)) learner.Observe(key, cleaned[i]);
  }
  chrome_.Forget(std::vector<std::string>(growing.begin(), growing.end()));
  std::move(learner).LearnInto(&chrome_);
}

void IndexCore::KeepGrowing(const absl::flat_hash_set<std::string>& growing,
                            const std::vector<Article>& articles,
                            const std::vector<std::string>& cleaned) {
  absl::flat_hash_map<std::string, size_t> count;
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
  for (const auto& [key, n] : count) {
    if (n >= final_docs) growth_.MarkFinal(key);
  }
}

}  // namespace syndex
