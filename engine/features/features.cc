#include "engine/features/features.h"

#include <algorithm>

#include "engine/text/markup.h"
#include "engine/text/prose.h"
#include "engine/text/tokenize.h"
#include "engine/util/hash.h"

namespace syndex {
namespace {

ShingleOptions ShinglingOf(const FeatureOptions& options) {
  ShingleOptions shingling;
  shingling.size = options.shingle_size;
  shingling.seed = options.seed;
  return shingling;
}

void Notify(const StepObserver* observer, FeatureStep step) {
  if (observer != nullptr) (*observer)(step);
}

// Drops the shingles without a function word (ProseWindows) and the tokens
// no kept shingle covers; keeps everything when that would drop them all.
// `shingles` is the ShingleSequence of `tokens` with `k` words each.
void KeepProse(int k, std::vector<uint64_t>* shingles,
               std::vector<absl::string_view>* tokens) {
  const size_t n = tokens->size();
  const std::vector<char> keep = ProseWindows(*tokens, k);
  if (keep.empty() ||
      std::find(keep.begin(), keep.end(), 0) == keep.end() ||
      std::find(keep.begin(), keep.end(), 1) == keep.end()) {
    return;
  }
  std::vector<char> covered(n, 0);
  size_t kept = 0, until = 0;
  for (size_t i = 0; i < keep.size(); ++i) {
    if (!keep[i]) continue;
    (*shingles)[kept++] = (*shingles)[i];
    for (size_t t = std::max(i, until); t < i + k; ++t) covered[t] = 1;
    until = i + k;
  }
  shingles->resize(kept);
  size_t out = 0;
  for (size_t t = 0; t < n; ++t) {
    if (covered[t]) (*tokens)[out++] = (*tokens)[t];
  }
  tokens->resize(out);
}

}  // namespace

FeatureExtractor::FeatureExtractor(const FeatureOptions& options)
    : options_(options),
      shingling_(ShinglingOf(options)),
      word_hasher_(options.num_perm, options.seed),
      // The character signature's permutations are seeded apart from the
      // word signature's.
      char_hasher_(options.char_perm, Mix64(options.seed)) {}

void FeatureExtractor::Extract(const Article& article,
                               const ChromeModel* chrome,
                               CopyFeatures* f,
                               std::vector<absl::string_view>* tokens,
                               const StepObserver* observer) const {
  const std::string normalized = CleanText(article.text);
  Notify(observer, FeatureStep::kNormalize);
  FromNormalized(SourceKey(article.source, article.url), normalized, chrome,
                 f, tokens, observer);
}

void FeatureExtractor::FromNormalized(absl::string_view source_key,
                                      absl::string_view normalized,
                                      const ChromeModel* chrome,
                                      CopyFeatures* f,
                                      std::vector<absl::string_view>* tokens,
                                      const StepObserver* observer) const {
  f->body = chrome != nullptr ? chrome->Strip(source_key, normalized)
                              : std::string(normalized);
  Notify(observer, FeatureStep::kStripChrome);
  tokens->clear();
  Tokenize(f->body, tokens);
  Notify(observer, FeatureStep::kTokenize);
  // MinHash ignores order and repeats, so the sequence need not be sorted.
  std::vector<uint64_t> shingles =
      ShingleSequence(*tokens, shingling_, f->body);
  KeepProse(options_.shingle_size, &shingles, tokens);
  Notify(observer, FeatureStep::kShingles);
  f->shingles = static_cast<uint32_t>(
      CountDistinct(shingles.data(), shingles.size()));
  Notify(observer, FeatureStep::kDistinct);
  f->signature = word_hasher_.Sign(shingles);
  Notify(observer, FeatureStep::kWordMinHash);
  std::string joined;
  JoinTokens(f->body, *tokens, &joined);
  Notify(observer, FeatureStep::kJoin);
  f->char_grams = static_cast<uint32_t>(CharGramCount(joined.size()));
  std::vector<uint64_t> grams;
  SampleCharGrams(joined, options_.seed, &grams);
  f->char_signature = char_hasher_.Sign(grams);
  Notify(observer, FeatureStep::kCharMinHash);
  f->content_hash = Hash64(f->body, options_.seed);
}

std::vector<uint64_t> FeatureExtractor::Shingles(
    const std::vector<absl::string_view>& tokens) const {
  return ShingleSequence(tokens, shingling_);
}

}  // namespace syndex
