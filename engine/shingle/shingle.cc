#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <string>

namespace syndex {

std::vector<uint64_t> ShingleSequence(
    const std::vector<absl::string_view>& tokens,
    const ShingleOptions& options) {
  assert(options.size >= 1);
  std::vector<uint64_t> shingles;
  if (tokens.empty()) return shingles;
  std::vector<uint64_t> token_hashes;
  token_hashes.reserve(tokens.size());
  for (absl::string_view t : tokens) {
    token_hashes.push_back(Hash64(t, options.seed));
  }
  // The token hashes are contiguous little-endian u64s in memory (bytes.cc
  // asserts the byte order), so each shingle hashes a window of the array.
  const size_t k = std::min(static_cast<size_t>(std::max(options.size, 1)),
                            token_hashes.size());
  const size_t count = token_hashes.size() - k + 1;
  shingles.reserve(count);
  for (size_t j = 0; j < count; ++j) {
    shingles.push_back(
        Hash64(&token_hashes[j], k * sizeof(uint64_t), options.seed));
  }
  return shingles;
}

std::vector<uint64_t> ShingleHashes(
    const std::vector<absl::string_view>& tokens,
    const ShingleOptions& options) {
  std::vector<uint64_t> shingles = ShingleSequence(tokens, options);
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()),
                 shingles.end());
  return shingles;
}

std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens) {
  std::string joined;
  size_t bytes = 0;
  for (absl::string_view t : tokens) bytes += t.size();
  joined.reserve(bytes);
  for (absl::string_view t : tokens) joined.append(t.data(), t.size());
  std::vector<uint64_t> grams;
  if (joined.size() < kCharGramBytes) return grams;
  grams.resize(joined.size() - kCharGramBytes + 1);
  for (size_t i = 0; i < grams.size(); ++i) {
    // Little-endian byte order is asserted in bytes.cc.
    std::memcpy(&grams[i], joined.data() + i, kCharGramBytes);
  }
  return grams;
}

}  // namespace syndex
