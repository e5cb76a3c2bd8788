#ifndef SYNDEX_DATASETS_GENERATOR_VOCABULARY_H_
#define SYNDEX_DATASETS_GENERATOR_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "datasets/generator/random.h"

namespace syndex {
namespace gen {

// About 300 real English function words, most frequent first.
const std::vector<std::string>& FunctionWords();

// Builds a pronounceable pseudo-word of `syllables` syllables (lower case).
std::string PseudoWord(Rng& rng, int syllables);

// Appends `s` to `out` (absl::string_view is not std::string_view here).
inline void Append(std::string* out, absl::string_view s) {
  out->append(s.data(), s.size());
}

// Capitalizes the first ASCII letter of `word` in place.
void Capitalize(std::string& word);

// The synthetic lexicon of one corpus: `size` distinct pseudo-words ranked by
// frequency (short words rank first, as in natural language), sampled with a
// Zipf law, plus the English function words with their own Zipf law.
// Immutable after construction; thread-compatible.
class Vocabulary {
 public:
  Vocabulary(uint64_t seed, size_t size);

  size_t size() const { return offsets_.size() - 1; }
  absl::string_view word(size_t rank) const {
    return absl::string_view(blob_.data() + offsets_[rank],
                             offsets_[rank + 1] - offsets_[rank]);
  }
  absl::string_view SampleWord(Rng& rng) const {
    return word(word_zipf_.Sample(rng));
  }
  absl::string_view SampleFunctionWord(Rng& rng) const {
    return FunctionWords()[function_zipf_.Sample(rng)];
  }

 private:
  // Words are stored back to back in blob_ (compact, so sampling stays in
  // cache); word r is blob_[offsets_[r], offsets_[r + 1]).
  std::string blob_;
  std::vector<uint32_t> offsets_;
  ZipfTable word_zipf_;
  ZipfTable function_zipf_;
};

}  // namespace gen
}  // namespace syndex

#endif  // SYNDEX_DATASETS_GENERATOR_VOCABULARY_H_
