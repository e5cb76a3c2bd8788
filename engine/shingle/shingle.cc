#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <memory>
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
  shingles.resize(token_hashes.size() - k + 1);
  HashWindows(token_hashes.data(), shingles.size(), k, options.seed,
              shingles.data());
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

size_t CountDistinct(const uint64_t* values, size_t n) {
  // Open addressing in a table of at least 2n slots, 0 marking an empty
  // slot (the value 0 is counted apart).
  size_t slots = 16;
  while (slots < 2 * n) slots *= 2;
  const int shift = 64 - __builtin_ctzll(slots);
  std::vector<uint64_t> table(slots, 0);
  size_t distinct = 0;
  bool zero = false;
  for (size_t j = 0; j < n; ++j) {
    const uint64_t v = values[j];
    if (v == 0) {
      zero = true;
      continue;
    }
    // Fibonacci hashing: the top bits of v times 2^64 / phi.
    size_t slot = (v * 0x9e3779b97f4a7c15ULL) >> shift;
    while (table[slot] != 0 && table[slot] != v) {
      slot = (slot + 1) & (slots - 1);
    }
    if (table[slot] == 0) {
      table[slot] = v;
      ++distinct;
    }
  }
  return distinct + (zero ? 1 : 0);
}

namespace {

// Copies the n bytes at `src` to `dst` with at most two fixed-size copies
// when n <= 16, which the compiler turns into plain loads and stores; word
// tokens are short, and a call to memcpy per token costs more.
inline void CopyShort(char* dst, const char* src, size_t n) {
  if (n >= 8 && n <= 16) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else if (n < 4) {
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  } else {
    std::memcpy(dst, src, n);
  }
}

}  // namespace

std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens) {
  size_t bytes = 0;
  for (absl::string_view t : tokens) bytes += t.size();
  std::vector<uint64_t> grams;
  if (bytes < kCharGramBytes) return grams;
  std::unique_ptr<char[]> joined(new char[bytes]);
  char* end = joined.get();
  for (absl::string_view t : tokens) {
    CopyShort(end, t.data(), t.size());
    end += t.size();
  }
  grams.resize(bytes - kCharGramBytes + 1);
  const char* p = joined.get();
  uint64_t* out = grams.data();
  for (size_t i = 0; i < grams.size(); ++i) {
    // Little-endian byte order is asserted in bytes.cc.
    uint64_t gram;
    std::memcpy(&gram, p + i, kCharGramBytes);
    out[i] = gram;
  }
  return grams;
}

}  // namespace syndex
