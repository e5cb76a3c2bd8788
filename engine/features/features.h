#ifndef SYNDEX_ENGINE_FEATURES_FEATURES_H_
#define SYNDEX_ENGINE_FEATURES_FEATURES_H_

// The one feature pipeline of copy detection: text -> clean text
// (normalized, without markup: text/markup.h) -> body without chrome
// (chrome/chrome.h) -> tokens -> word shingles, those without a function
// word left out (text/prose.h) -> MinHash signature, and the tokens of the
// kept shingles -> joined characters -> sampled character grams ->
// character signature. An index stores exactly what FeatureExtractor computes, so
// the features of an article computed here with an index's parameters and
// chrome model equal the ones the index holds, bit for bit.
//
//   FeatureExtractor extractor(options);
//   CopyFeatures f;
//   std::vector<absl::string_view> tokens;
//   extractor.Extract(article, &chrome, &f, &tokens);

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/corpus/article.h"
#include "engine/minhash/minhash.h"
#include "engine/shingle/shingle.h"
#include "engine/chrome/chrome.h"

namespace syndex {

// The parameters that make features comparable (a subset of IndexParams).
struct FeatureOptions {
  // Words per shingle. Default: 5.
  int shingle_size = 5;
  // Seed of token, shingle, character-gram and MinHash hashing.
  // Default: kDefaultSeed.
  uint64_t seed = kDefaultSeed;
  // Values per word signature and per character signature (multiples of
  // 8). Defaults: 128 and 128.
  int num_perm = 128;
  int char_perm = 128;
};

// The copy-detection features of one article.
struct CopyFeatures {
  std::string body;             // Normalized text without chrome.
  uint64_t content_hash = 0;    // Hash64(body, seed): equal texts.
  uint32_t shingles = 0;        // Distinct word shingles.
  std::vector<uint32_t> signature;       // num_perm MinHash values.
  uint32_t char_grams = 0;      // Character grams, repeats included.
  std::vector<uint32_t> char_signature;  // char_perm MinHash values.
};

// The steps of the pipeline, in order, for callers that time them.
enum class FeatureStep {
  kNormalize,
  kStripChrome,
  kTokenize,
  kShingles,
  kDistinct,
  kWordMinHash,
  kJoin,
  kCharMinHash,
};
inline constexpr int kFeatureSteps = 8;
// Called after each step when given (a stage timer); null: not called.
using StepObserver = std::function<void(FeatureStep)>;

// Thread-safety: const methods may run concurrently.
class FeatureExtractor {
 public:
  // REQUIRES: options valid (shingle size 1-64, perms positive multiples
  // of 8); IndexParams are checked before one is built.
  explicit FeatureExtractor(const FeatureOptions& options);

  // The features of `article`; `chrome` (may be null: nothing is chrome)
  // is the model whose chrome is left out. `tokens` receives the tokens of
  // the body's kept shingles (the prose: what TF-IDF counts), views into
  // f->body valid while it is unchanged.
  void Extract(const Article& article, const ChromeModel* chrome,
               CopyFeatures* f, std::vector<absl::string_view>* tokens,
               const StepObserver* observer = nullptr) const;
  // The same from the article's already cleaned text (CleanText)
  // and its source key (SourceKey).
  void FromNormalized(absl::string_view source_key,
                      absl::string_view normalized,
                      const ChromeModel* chrome, CopyFeatures* f,
                      std::vector<absl::string_view>* tokens,
                      const StepObserver* observer = nullptr) const;

  // The shingle sequence (ShingleSequence) of `tokens`.
  std::vector<uint64_t> Shingles(
      const std::vector<absl::string_view>& tokens) const;

  const FeatureOptions& options() const { return options_; }
  const MinHasher& word_hasher() const { return word_hasher_; }

 private:
  FeatureOptions options_;
  ShingleOptions shingling_;
  MinHasher word_hasher_;
  MinHasher char_hasher_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_FEATURES_FEATURES_H_
