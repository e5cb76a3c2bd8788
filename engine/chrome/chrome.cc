#include "engine/chrome/chrome.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/shingle/shingle.h"
#include "engine/text/tokenize.h"
#include "engine/util/hash.h"
#include "engine/util/status_macros.h"
#include "engine/util/status_macros.h"

namespace syndex {
namespace {

// Gram identity (recomputed on load, never stored): the ShingleSequence
// hash of gram_words tokens with kDefaultSeed; a (source, gram) pair is
// Mix64(gram ^ Hash64(source, kDefaultSeed)).
std::vector<uint64_t> Grams(const std::vector<absl::string_view>& tokens,
                            absl::string_view text, int words) {
  if (tokens.size() < static_cast<size_t>(words)) return {};
  ShingleOptions options;
  options.size = words;
  options.seed = kDefaultSeed;
  return ShingleSequence(tokens, options, text);
}

uint64_t SourcePair(uint64_t source_hash, uint64_t gram) {
  return Mix64(gram ^ source_hash);
}

uint64_t SourceHash(absl::string_view source) {
  return Hash64(source, kDefaultSeed);
}

// Marks the tokens covered by a gram for which `chrome(i)` holds, the gram
// starting at token i.
template <typename IsChrome>
std::vector<char> Covered(size_t tokens, size_t grams, int words,
                          IsChrome chrome) {
  std::vector<char> covered(tokens, 0);
  size_t until = 0;  // Tokens before this are marked.
  for (size_t i = 0; i < grams; ++i) {
    if (!chrome(i)) continue;
    for (size_t t = std::max(i, until); t < i + words; ++t) covered[t] = 1;
    until = i + words;
  }
  return covered;
}

// The passages of one source: in each of its distinct articles, the runs
// of tokens covered by a gram of `grams` with a count of at least
// `min_docs`, split where the class (template or cross-reference, by
// `template_docs`) changes, with the number of articles each run is in.
void CollectPassages(const std::string& source,
                     const std::vector<std::string>& texts,
                     const std::vector<char>& distinct,
                     const absl::flat_hash_map<uint64_t, uint32_t>& count,
                     size_t min_docs, size_t template_docs, int words,
                     std::vector<ChromeModel::Passage>* out) {
  // Per passage text: articles, and whether it is a cross-reference.
  absl::flat_hash_map<std::string, std::pair<uint32_t, bool>> docs;
  std::vector<absl::string_view> tokens;
  for (size_t a = 0; a < texts.size(); ++a) {
    if (!distinct[a]) continue;
    tokens.clear();
    Tokenize(texts[a], &tokens);
    const std::vector<uint64_t> grams = Grams(tokens, texts[a], words);
    auto count_of = [&](size_t i) {
      auto it = count.find(grams[i]);
      return it == count.end() ? size_t{0} : size_t{it->second};
    };
    const std::vector<char> is_template =
        Covered(tokens.size(), grams.size(), words,
                [&](size_t i) { return count_of(i) >= template_docs; });
    const std::vector<char> covered =
        Covered(tokens.size(), grams.size(), words,
                [&](size_t i) { return count_of(i) >= min_docs; });
    absl::flat_hash_set<std::string> seen;
    for (size_t t = 0; t < tokens.size();) {
      if (!covered[t]) {
        ++t;
        continue;
      }
      size_t end = t;
      while (end < tokens.size() && covered[end] &&
             is_template[end] == is_template[t]) {
        ++end;
      }
      std::string text = absl::StrJoin(tokens.begin() + t,
                                       tokens.begin() + end, " ");
      if (seen.insert(text).second) {
        auto& [n, cross] = docs[std::move(text)];
        ++n;
        cross = !is_template[t];
      }
      t = end;
    }
  }
  for (auto& [text, entry] : docs) {
    out->push_back({source, text, entry.first, entry.second});
  }
}

}  // namespace

ChromeModel::Learner::Learner(const ChromeOptions& options)
    : options_(options) {}

void ChromeModel::Learner::Keep(std::vector<Kept>* kept, size_t limit,
                                Kept article) {
  auto less = [](const Kept& a, const Kept& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.text < b.text;
  };
  // A max-heap of the `limit` smallest, exact duplicates kept once.
  for (const Kept& k : *kept) {
    if (k.hash == article.hash && k.text == article.text) return;
  }
  if (kept->size() < limit) {
    kept->push_back(std::move(article));
    std::push_heap(kept->begin(), kept->end(), less);
    return;
  }
  if (limit == 0 || !less(article, kept->front())) return;
  std::pop_heap(kept->begin(), kept->end(), less);
  kept->back() = std::move(article);
  std::push_heap(kept->begin(), kept->end(), less);
}

void ChromeModel::Learner::Observe(absl::string_view source,
                                   absl::string_view text) {
  const size_t limit = source.empty() ? options_.max_unsourced_docs
                                      : options_.max_source_docs;
  Keep(&sources_[std::string(source)], limit,
       {Hash64(text, kDefaultSeed), std::string(text)});
}

void ChromeModel::Learner::Merge(Learner other) {
  for (auto& [source, kept] : other.sources_) {
    const size_t limit = source.empty() ? options_.max_unsourced_docs
                                        : options_.max_source_docs;
    std::vector<Kept>& mine = sources_[source];
    for (Kept& k : kept) Keep(&mine, limit, std::move(k));
  }
}

void ChromeModel::Learner::AppendTo(ByteWriter* out) const {
  out->U32(static_cast<uint32_t>(sources_.size()));
  for (const auto& [source, kept] : sources_) {
    out->String(source);
    out->U32(static_cast<uint32_t>(kept.size()));
    for (const Kept& k : kept) out->String(k.text);
  }
}

absl::Status ChromeModel::Learner::ReadFrom(ByteReader* in,
                                            const ChromeOptions& options,
                                            Learner* learner) {
  Learner read(options);
  uint32_t sources = 0;
  SYNDEX_RETURN_IF_ERROR(in->U32(&sources));
  if (sources > in->remaining() / 8) {
    return in->Fail("source count out of range");
  }
  for (uint32_t s = 0; s < sources; ++s) {
    std::string source;
    uint32_t kept = 0;
    SYNDEX_RETURN_IF_ERROR(in->String(&source));
    SYNDEX_RETURN_IF_ERROR(in->U32(&kept));
    if (kept > in->remaining() / 8)
      return in->Fail("article count out of range");
    for (uint32_t k = 0; k < kept; ++k) {
      std::string text;
      SYNDEX_RETURN_IF_ERROR(in->String(&text));
      read.Observe(source, text);
    }
  }
  *learner = std::move(read);
  return absl::OkStatus();
}

namespace {

// For each article (its sorted `grams`), the most grams it shares with any
// one other article, counting the grams in fewer than `template_docs`
// articles (`count`).
std::vector<size_t> MostSharedWithOne(
    const std::vector<std::vector<uint64_t>>& grams,
    const absl::flat_hash_map<uint64_t, uint32_t>& count,
    size_t template_docs) {
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> holders;
  for (uint32_t a = 0; a < grams.size(); ++a) {
    for (uint64_t x : grams[a]) {
      const uint32_t c = count.at(x);
      if (c >= 2 && c < template_docs) holders[x].push_back(a);
    }
  }
  std::vector<size_t> most(grams.size(), 0);
  absl::flat_hash_map<uint32_t, size_t> with;
  for (uint32_t a = 0; a < grams.size(); ++a) {
    with.clear();
    for (uint64_t x : grams[a]) {
      auto it = holders.find(x);
      if (it == holders.end()) continue;
      for (uint32_t b : it->second) {
        if (b != a) most[a] = std::max(most[a], ++with[b]);
      }
    }
  }
  return most;
}

// Learns the passages of one source from its articles' texts (sorted by
// hash); false when it has too few distinct articles to learn from.
bool LearnSource(const ChromeOptions& options, const std::string& source,
                 const std::vector<std::string>& texts,
                 std::vector<ChromeModel::Passage>* out) {
  const int words = options.gram_words;
  std::vector<std::vector<uint64_t>> grams;
  std::vector<absl::string_view> tokens;
  for (const std::string& text : texts) {
    tokens.clear();
    Tokenize(text, &tokens);
    std::vector<uint64_t> g = Grams(tokens, text, words);
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    grams.push_back(std::move(g));
  }
  absl::flat_hash_map<uint64_t, uint32_t> count;
  for (const auto& g : grams) {
    for (uint64_t x : g) ++count[x];
  }
  const bool unsourced = source.empty();
  const size_t min_docs =
      unsourced ? std::max<size_t>(options.min_unsourced_docs,
                                   static_cast<size_t>(
                                       options.unsourced_fraction *
                                       texts.size()))
                : static_cast<size_t>(options.min_source_docs);
  auto template_docs = [&](size_t articles) {
    return unsourced ? min_docs
                     : std::max<size_t>(
                           min_docs, static_cast<size_t>(std::ceil(
                                         options.template_fraction *
                                         articles)));
  };
  // A distinct article has text of its own (grams in no other article)
  // and is not a version of another one: it shares at most half of its
  // text that is not template with any single other article. (A page
  // shares teasers with many pages, a little with each; two versions of a
  // story share most of it.)
  const size_t template_all = template_docs(texts.size());
  const std::vector<size_t> most_shared =
      MostSharedWithOne(grams, count, template_all);
  std::vector<char> distinct(texts.size(), 0);
  size_t distinct_count = 0;
  for (size_t a = 0; a < texts.size(); ++a) {
    size_t own = 0, content = 0;
    for (uint64_t x : grams[a]) {
      const uint32_t c = count[x];
      own += c == 1;
      content += c < template_all;
    }
    const bool has_own =
        unsourced ? own * 2 >= grams[a].size() && own > 0
                  : own >= static_cast<size_t>(options.min_own_grams);
    distinct[a] = has_own && most_shared[a] * 2 <= content;
    distinct_count += distinct[a];
  }
  if (distinct_count < std::max<size_t>(min_docs, 2)) return false;
  absl::flat_hash_map<uint64_t, uint32_t> distinct_count_of;
  for (size_t a = 0; a < texts.size(); ++a) {
    if (!distinct[a]) continue;
    for (uint64_t x : grams[a]) ++distinct_count_of[x];
  }
  CollectPassages(source, texts, distinct, distinct_count_of, min_docs,
                  template_docs(distinct_count), words, out);
  return true;
}

}  // namespace

void ChromeModel::Learner::LearnInto(ChromeModel* model) && {
  model->options_ = options_;
  // Appended after the loop: Learned searches the sorted list.
  std::vector<std::string> learned;
  for (auto& [source, kept] : sources_) {
    if (model->Learned(source)) continue;
    // Observation order must not matter.
    std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.text < b.text;
    });
    std::vector<std::string> texts;
    for (Kept& k : kept) texts.push_back(std::move(k.text));
    if (LearnSource(options_, source, texts, &model->passages_)) {
      learned.push_back(source);
    }
  }
  model->learned_.insert(model->learned_.end(), learned.begin(),
                         learned.end());
  model->SortLearned();
  model->IndexGrams();
}

void ChromeModel::SortLearned() {
  std::sort(learned_.begin(), learned_.end());
  std::sort(passages_.begin(), passages_.end(),
            [](const Passage& a, const Passage& b) {
              if (a.source != b.source) return a.source < b.source;
              if (a.cross_reference != b.cross_reference) {
                return b.cross_reference;
              }
              if (a.docs != b.docs) return a.docs > b.docs;
              return a.text < b.text;
            });
}

ChromeModel::ChromeModel(const ChromeOptions& options) : options_(options) {}

bool ChromeModel::Learned(absl::string_view source) const {
  return std::binary_search(learned_.begin(), learned_.end(), source);
}

void ChromeModel::Forget(const std::vector<std::string>& sources) {
  // Only learned sources have passages.
  if (std::none_of(sources.begin(), sources.end(),
                   [&](const std::string& s) { return Learned(s); })) {
    return;
  }
  const absl::flat_hash_set<std::string> drop(sources.begin(), sources.end());
  std::erase_if(learned_, [&](const std::string& s) { return drop.contains(s); });
  std::erase_if(passages_,
                [&](const Passage& p) { return drop.contains(p.source); });
  IndexGrams();
}

void ChromeModel::IndexGrams() {
  shared_.clear();
  by_source_.clear();
  cross_references_.clear();
  // Sources a template gram is part of, to find the shared ones.
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<uint64_t>> sources_of;
  std::vector<absl::string_view> tokens;
  for (const Passage& p : passages_) {
    tokens.clear();
    Tokenize(p.text, &tokens);
    const uint64_t source = SourceHash(p.source);
    for (uint64_t gram : Grams(tokens, p.text, options_.gram_words)) {
      if (p.cross_reference) {
        cross_references_.insert(SourcePair(source, gram));
        continue;
      }
      by_source_.insert(SourcePair(source, gram));
      sources_of[gram].insert(source);
    }
  }
  for (const auto& [gram, sources] : sources_of) {
    if (sources.size() >= static_cast<size_t>(options_.min_shared_sources)) {
      shared_.insert(gram);
    }
  }
}

std::vector<char> ChromeModel::Chrome(
    absl::string_view source, const std::vector<absl::string_view>& tokens,
    absl::string_view text) const {
  const std::vector<uint64_t> grams =
      Grams(tokens, text, options_.gram_words);
  const uint64_t source_hash = SourceHash(source);
  const int words = options_.gram_words;
  std::vector<char> chrome = Covered(
      tokens.size(), grams.size(), words, [&](size_t i) {
        return shared_.contains(grams[i]) ||
               by_source_.contains(SourcePair(source_hash, grams[i]));
      });
  const std::vector<char> cross = Covered(
      tokens.size(), grams.size(), words, [&](size_t i) {
        return cross_references_.contains(SourcePair(source_hash, grams[i]));
      });
  // A run of cross-reference tokens is chrome unless the article's own text
  // follows it.
  const size_t n = tokens.size();
  for (size_t t = 0; t < n;) {
    if (!cross[t] || chrome[t]) {
      ++t;
      continue;
    }
    size_t end = t;
    while (end < n && cross[end] && !chrome[end]) ++end;
    size_t own = end;
    while (own < n && !cross[own] && !chrome[own] &&
           own - end < static_cast<size_t>(options_.min_continuation_words)) {
      ++own;
    }
    if (own - end < static_cast<size_t>(options_.min_continuation_words)) {
      std::fill(chrome.begin() + t, chrome.begin() + end, 1);
    }
    t = end;
  }
  return chrome;
}

std::string ChromeModel::Strip(absl::string_view source,
                               absl::string_view text) const {
  if (passages_.empty()) return std::string(text);
  std::vector<absl::string_view> tokens;
  Tokenize(text, &tokens);
  const std::vector<char> chrome = Chrome(source, tokens, text);
  if (std::find(chrome.begin(), chrome.end(), 1) == chrome.end()) {
    return std::string(text);
  }
  std::string out;
  for (size_t t = 0; t < tokens.size();) {
    if (chrome[t]) {
      ++t;
      continue;
    }
    size_t end = t;
    while (end < tokens.size() && !chrome[end]) ++end;
    // The run as written, from its first token to the end of its last.
    const char* begin = tokens[t].data();
    const char* stop = tokens[end - 1].data() + tokens[end - 1].size();
    if (!out.empty()) out += '\n';
    out.append(begin, stop - begin);
    t = end;
  }
  return out.empty() ? std::string(text) : out;
}

void ChromeModel::AppendTo(ByteWriter* out) const {
  out->U32(static_cast<uint32_t>(learned_.size()));
  for (const std::string& source : learned_) out->String(source);
  out->U32(static_cast<uint32_t>(passages_.size()));
  for (const Passage& p : passages_) {
    out->String(p.source);
    out->String(p.text);
    out->U32(p.docs);
    out->U8(p.cross_reference ? 1 : 0);
  }
}

absl::Status ChromeModel::ReadFrom(ByteReader* in, const ChromeOptions& options,
                                   ChromeModel* model) {
  ChromeModel m(options);
  uint32_t sources = 0, passages = 0;
  SYNDEX_RETURN_IF_ERROR(in->U32(&sources));
  if (sources > in->remaining() / 8) return in->Fail("source count out of range");
  m.learned_.resize(sources);
  for (std::string& s : m.learned_) SYNDEX_RETURN_IF_ERROR(in->String(&s));
  if (!std::is_sorted(m.learned_.begin(), m.learned_.end())) {
    return in->Fail("learned sources are not sorted");
  }
  SYNDEX_RETURN_IF_ERROR(in->U32(&passages));
  if (passages > in->remaining() / 20) {
    return in->Fail("passage count out of range");
  }
  m.passages_.resize(passages);
  for (Passage& p : m.passages_) {
    SYNDEX_RETURN_IF_ERROR(in->String(&p.source));
    SYNDEX_RETURN_IF_ERROR(in->String(&p.text));
    SYNDEX_RETURN_IF_ERROR(in->U32(&p.docs));
    uint8_t cross = 0;
    SYNDEX_RETURN_IF_ERROR(in->U8(&cross));
    if (cross > 1) return in->Fail("bad passage class");
    p.cross_reference = cross == 1;
  }
  m.IndexGrams();
  *model = std::move(m);
  return absl::OkStatus();
}

void ChromeModel::AppendLearnedSince(const ChromeModel& before,
                                     ByteWriter* out) const {
  ChromeModel learned(options_);
  std::set_difference(learned_.begin(), learned_.end(),
                      before.learned_.begin(), before.learned_.end(),
                      std::back_inserter(learned.learned_));
  for (const Passage& p : passages_) {
    if (std::binary_search(learned.learned_.begin(), learned.learned_.end(),
                           p.source)) {
      learned.passages_.push_back(p);
    }
  }
  learned.AppendTo(out);
}

absl::Status ChromeModel::ReadLearned(ByteReader* in) {
  ChromeModel learned;
  SYNDEX_RETURN_IF_ERROR(ReadFrom(in, options_, &learned));
  for (const std::string& source : learned.learned_) {
    if (Learned(source)) {
      return in->Fail(absl::StrCat("source '", source, "' learned twice"));
    }
  }
  learned_.insert(learned_.end(), learned.learned_.begin(),
                  learned.learned_.end());
  passages_.insert(passages_.end(), learned.passages_.begin(),
                   learned.passages_.end());
  SortLearned();
  IndexGrams();
  return absl::OkStatus();
}

std::string SourceKey(absl::string_view source, absl::string_view url) {
  if (!source.empty()) return std::string(source);
  absl::string_view rest = url;
  const size_t scheme = rest.find("://");
  if (scheme != absl::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  } else if (absl::StartsWith(rest, "//")) {
    rest.remove_prefix(2);
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) rest.remove_prefix(at + 1);
  if (absl::StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    if (close != absl::string_view::npos) rest = rest.substr(0, close + 1);
  } else {
    rest = rest.substr(0, rest.find(':'));
  }
  std::string host = absl::AsciiStrToLower(rest);
  if (absl::StartsWith(host, "www.")) host.erase(0, 4);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

}  // namespace syndex
