#include "engine/features/features.h"

#include "engine/text/normalize.h"
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

}  // namespace

FeatureExtractor::FeatureExtractor(const FeatureOptions& options)
    : options_(options),
      shingling_(ShinglingOf(options)),
      word_hasher_(options.num_perm, options.seed),
      // The character signature's permutations are seeded apart from the
      // word signature's.
      char_hasher_(options.char_perm, Mix64(options.seed)) {}

void FeatureExtractor::Extract(const Article& article,
                               const BoilerplateModel* chrome,
                               CopyFeatures* f,
                               std::vector<absl::string_view>* tokens,
                               const StepObserver* observer) const {
  const std::string normalized = NormalizeText(article.text);
  Notify(observer, FeatureStep::kNormalize);
  FromNormalized(SourceKey(article.source, article.url), normalized, chrome,
                 f, tokens, observer);
}

void FeatureExtractor::FromNormalized(absl::string_view source_key,
                                      absl::string_view normalized,
                                      const BoilerplateModel* chrome,
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
  const std::vector<uint64_t> shingles =
      ShingleSequence(*tokens, shingling_, f->body);
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
