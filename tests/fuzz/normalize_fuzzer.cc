// Runs arbitrary bytes through the text pipeline: NormalizeText, Tokenize,
// ShingleHashes and SampleCharGrams, checking the invariants their headers
// document.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/shingle/shingle.h"
#include "engine/text/normalize.h"
#include "engine/text/tokenize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string normalized = syndex::NormalizeText(input);
  // No leading or trailing whitespace, no empty lines.
  if (!normalized.empty()) {
    const char first = normalized.front();
    const char last = normalized.back();
    if (first == ' ' || first == '\n' || last == ' ' || last == '\n') {
      std::abort();
    }
  }
  if (normalized.find("\n\n") != std::string::npos) std::abort();

  std::vector<absl::string_view> tokens;
  syndex::Tokenize(normalized, &tokens);
  for (absl::string_view token : tokens) {
    // Tokens are non-empty views into the normalized text.
    if (token.empty() || token.data() < normalized.data() ||
        token.data() + token.size() > normalized.data() + normalized.size()) {
      std::abort();
    }
  }
  // Tokenizing raw (possibly invalid UTF-8) input must be safe as well.
  std::vector<absl::string_view> raw_tokens;
  syndex::Tokenize(input, &raw_tokens);

  for (int shingle_size : {1, 5}) {
    syndex::ShingleOptions options;
    options.size = shingle_size;
    const std::vector<uint64_t> shingles =
        syndex::ShingleHashes(tokens, options);
    if (!std::is_sorted(shingles.begin(), shingles.end()) ||
        std::adjacent_find(shingles.begin(), shingles.end()) !=
            shingles.end()) {
      std::abort();
    }
    if (shingles.empty() != tokens.empty()) std::abort();
    // Hashing with the text (whole 16-byte blocks) gives the same shingles.
    if (syndex::ShingleHashes(tokens, options, normalized) != shingles) {
      std::abort();
    }
  }
  // The character grams kept are the same at every SIMD level.
  std::string joined;
  syndex::JoinTokens(normalized, tokens, &joined);
  std::vector<uint64_t> grams, scalar_grams;
  syndex::SampleCharGrams(joined, syndex::kDefaultSeed, &grams);
  syndex::SampleCharGrams(joined, syndex::kDefaultSeed, &scalar_grams,
                          syndex::SimdLevel::kScalar);
  if (grams != scalar_grams) std::abort();
  return 0;
}
