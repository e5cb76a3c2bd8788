#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <string>

#include "absl/strings/str_join.h"

namespace syndex {

std::vector<uint64_t> ShingleSequence(
    const std::vector<absl::string_view>& tokens,
    const ShingleOptions& options) {
  assert(options.size >= 1);
  std::vector<uint64_t> shingles(tokens.size());
  if (tokens.empty()) return shingles;
  HashStrings(tokens.data(), tokens.size(), options.seed, shingles.data());
  // The token hashes are contiguous little-endian u64s in memory (bytes.cc
  // asserts the byte order), so each shingle hashes a window of the array;
  // the windows are hashed in place.
  const size_t k =
      std::min(static_cast<size_t>(std::max(options.size, 1)), tokens.size());
  const size_t count = tokens.size() - k + 1;
  HashWindows(shingles.data(), count, k, options.seed, shingles.data());
  shingles.resize(count);
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
  // slot (the value 0 is counted apart). The table is kept per thread and
  // left empty, so that a call does not allocate.
  size_t slots = 16;
  while (slots < 2 * n) slots *= 2;
  const int shift = 64 - __builtin_ctzll(slots);
  thread_local std::vector<uint64_t> table;
  if (table.size() < slots) table.assign(slots, 0);
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
  std::fill(table.begin(), table.begin() + slots, 0);
  return distinct + (zero ? 1 : 0);
}

void JoinTokens(absl::string_view text,
                const std::vector<absl::string_view>& tokens,
                std::string* out) {
  size_t bytes = 0;
  for (absl::string_view t : tokens) bytes += t.size();
  // Words are short: each is copied with one fixed 16-byte copy (plain
  // loads and stores) when the text has 16 bytes from its start, into a
  // buffer with 16 bytes to spare; a call to memcpy per token costs more.
  constexpr size_t kCopy = 16;
  out->resize(bytes + kCopy);
  char* end = out->data();
  const char* text_end = text.data() + text.size();
  for (absl::string_view t : tokens) {
    assert(t.data() >= text.data() && t.data() + t.size() <= text_end);
    if (t.size() <= kCopy && text_end - t.data() >= std::ptrdiff_t{kCopy}) {
      std::memcpy(end, t.data(), kCopy);
    } else {
      std::memcpy(end, t.data(), t.size());
    }
    end += t.size();
  }
  out->resize(bytes);
}

std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens) {
  const std::string joined = absl::StrJoin(tokens, "");
  std::vector<uint64_t> grams(CharGramCount(joined.size()));
  for (size_t i = 0; i < grams.size(); ++i) {
    // Little-endian byte order is asserted in bytes.cc.
    std::memcpy(&grams[i], joined.data() + i, kCharGramBytes);
  }
  return grams;
}

}  // namespace syndex
