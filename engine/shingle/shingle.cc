#include "engine/shingle/shingle.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <string>

#include "absl/strings/str_join.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SYNDEX_SHINGLE_AVX2 1
#else
#define SYNDEX_SHINGLE_AVX2 0
#endif

namespace syndex {

std::vector<uint64_t> ShingleSequence(
    const std::vector<absl::string_view>& tokens, const ShingleOptions& options,
    absl::string_view text) {
  assert(options.size >= 1);
  std::vector<uint64_t> shingles(tokens.size());
  if (tokens.empty()) return shingles;
  HashTokens(text, tokens.data(), tokens.size(), options.seed, shingles.data());
  // Each shingle hashes a window of the token hashes, in place.
  const size_t k =
      std::min(static_cast<size_t>(std::max(options.size, 1)), tokens.size());
  const size_t count = tokens.size() - k + 1;
  HashWindows(shingles.data(), count, k, options.seed, shingles.data());
  shingles.resize(count);
  return shingles;
}

std::vector<uint64_t> ShingleHashes(
    const std::vector<absl::string_view>& tokens, const ShingleOptions& options,
    absl::string_view text) {
  std::vector<uint64_t> shingles = ShingleSequence(tokens, options, text);
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

namespace {

// CountDistinct with a table of `Slot` entries: open addressing in at least
// 8n slots, each empty (0) or holding 1 + the position of a value's first
// occurrence. Small entries keep the table in the first-level cache, and the
// low load keeps probe chains short, so that the branch on them is
// predictable. The table is kept per thread and left empty, so that a call
// does not allocate.
template <typename Slot>
size_t CountDistinctIn(const uint64_t* values, size_t n) {
  size_t slots = 64;
  while (slots < 8 * n) slots *= 2;
  const size_t mask = slots - 1;
  const int shift = 64 - __builtin_ctzll(slots);
  thread_local std::vector<Slot> table;
  if (table.size() < slots) table.assign(slots, 0);
  size_t distinct = 0;
  for (size_t j = 0; j < n; ++j) {
    const uint64_t v = values[j];
    // The top bits of a hash, and the low bits of small values.
    size_t slot = (v ^ (v >> shift)) & mask;
    while (table[slot] != 0 && values[table[slot] - 1] != v) {
      slot = (slot + 1) & mask;
    }
    if (table[slot] == 0) {
      table[slot] = static_cast<Slot>(j + 1);
      ++distinct;
    }
  }
  std::fill(table.begin(), table.begin() + slots, 0);
  return distinct;
}

}  // namespace

size_t CountDistinct(const uint64_t* values, size_t n) {
  if (n < 0xFFFF) return CountDistinctIn<uint16_t>(values, n);
  if (n < 0xFFFFFFFF) return CountDistinctIn<uint32_t>(values, n);
  return CountDistinctIn<uint64_t>(values, n);
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

namespace {

// The sampling of SampleCharGrams: a gram is kept when the top bits of
// lo * a + hi * b (mod 2^32) are zero, lo and hi its 32-bit halves.
struct Sampler {
  explicit Sampler(uint64_t seed) {
    const uint64_t m = Mix64(seed ^ kGramSalt);
    a = static_cast<uint32_t>(m) | 1;
    b = static_cast<uint32_t>(m >> 32) | 1;
  }
  static_assert((kCharGramSampling & (kCharGramSampling - 1)) == 0);
  static constexpr int kShift = 32 - __builtin_ctzll(kCharGramSampling);
  bool Keep(uint64_t gram) const {
    const uint32_t h =
        static_cast<uint32_t>(gram) * a + static_cast<uint32_t>(gram >> 32) * b;
    return h >> kShift == 0;
  }
  uint32_t a, b;
};

// Windows scanned per block; the kept ones of a block are appended at once.
constexpr size_t kGramBlock = 256;

// Writes the kept windows among windows [start, end) of `bytes` to `out`
// without a branch per window (each is written, and kept by advancing past
// it); returns how many were kept.
size_t KeepScalar(const char* bytes, size_t start, size_t end,
                  const Sampler& sampler, uint64_t* out) {
  size_t kept = 0;
  for (size_t j = start; j < end; ++j) {
    uint64_t gram;  // Little-endian byte order is asserted in bytes.cc.
    std::memcpy(&gram, bytes + j, sizeof(gram));
    out[kept] = gram;
    kept += sampler.Keep(gram);
  }
  return kept;
}

#if SYNDEX_SHINGLE_AVX2

// For each 4-bit mask of kept 64-bit lanes, the 32-bit lane indices that
// move the kept lanes to the front, in order.
struct CompressTable {
  constexpr CompressTable() : index() {
    for (int mask = 0; mask < 16; ++mask) {
      int out = 0;
      for (int lane = 0; lane < 4; ++lane) {
        if (mask & (1 << lane)) {
          index[mask][out++] = 2 * lane;
          index[mask][out++] = 2 * lane + 1;
        }
      }
      while (out < 8) index[mask][out++] = 0;
    }
  }
  alignas(32) int32_t index[16][8];
};
constexpr CompressTable kCompress;

// Appends the kept ones of the four grams in `grams` to out + *kept.
// REQUIRES: out has room for four grams past *kept.
__attribute__((target("avx2"))) inline void KeepFour(__m256i grams, __m256i ab,
                                                     int shift, uint64_t* out,
                                                     size_t* kept) {
  // Per 64-bit lane: lo * a in its low half, hi * b in its high half; their
  // sum moved to the high half, whose top bits decide.
  const __m256i products = _mm256_mullo_epi32(grams, ab);
  const __m256i sum =
      _mm256_add_epi32(products, _mm256_srli_epi64(products, 32));
  const __m256i top =
      _mm256_srl_epi64(_mm256_slli_epi64(sum, 32), _mm_cvtsi32_si128(shift));
  const int mask = _mm256_movemask_pd(
      _mm256_castsi256_pd(_mm256_cmpeq_epi64(top, _mm256_setzero_si256())));
  const __m256i order = _mm256_load_si256(
      reinterpret_cast<const __m256i*>(kCompress.index[mask]));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + *kept),
                      _mm256_permutevar8x32_epi32(grams, order));
  *kept += __builtin_popcount(mask);
}

// KeepScalar with AVX2: windows j..j+7 span bytes j..j+14, so one 16-byte
// load, copied to both 128-bit lanes, gives windows j..j+3 and j+4..j+7 by
// two byte shuffles. REQUIRES: out has room for end - start + 4 grams.
__attribute__((target("avx2"))) size_t KeepAvx2(const char* bytes, size_t start,
                                                size_t end, size_t windows,
                                                const Sampler& sampler,
                                                uint64_t* out) {
  const __m256i first = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7,  //
                                         1, 2, 3, 4, 5, 6, 7, 8,  //
                                         2, 3, 4, 5, 6, 7, 8, 9,  //
                                         3, 4, 5, 6, 7, 8, 9, 10);
  const __m256i second = _mm256_add_epi8(first, _mm256_set1_epi8(4));
  // a in the low and b in the high half of each 64-bit lane.
  const __m256i ab = _mm256_set1_epi64x(
      static_cast<int64_t>(uint64_t{sampler.b} << 32 | sampler.a));
  // The sum moved to the high half keeps its top bits from bit 32 + kShift.
  const int shift = 32 + Sampler::kShift;
  size_t kept = 0;
  size_t j = start;
  // The load reads bytes j..j+15, and there are windows + 7 bytes.
  for (; j + 8 <= end && j + 9 <= windows; j += 8) {
    const __m256i b = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + j)));
    KeepFour(_mm256_shuffle_epi8(b, first), ab, shift, out, &kept);
    KeepFour(_mm256_shuffle_epi8(b, second), ab, shift, out, &kept);
  }
  return kept + KeepScalar(bytes, j, end, sampler, out + kept);
}

#endif  // SYNDEX_SHINGLE_AVX2

}  // namespace

void SampleCharGrams(absl::string_view joined, uint64_t seed,
                     std::vector<uint64_t>* grams, SimdLevel simd) {
  assert(Supports(simd));
  grams->clear();
  const Sampler sampler(seed);
  const size_t windows = CharGramCount(joined.size());
  uint64_t block[kGramBlock + 4];
  for (size_t start = 0; start < windows; start += kGramBlock) {
    const size_t end = std::min(windows, start + kGramBlock);
#if SYNDEX_SHINGLE_AVX2
    const size_t kept =
        simd == SimdLevel::kAvx2
            ? KeepAvx2(joined.data(), start, end, windows, sampler, block)
            : KeepScalar(joined.data(), start, end, sampler, block);
#else
    const size_t kept = KeepScalar(joined.data(), start, end, sampler, block);
#endif
    grams->insert(grams->end(), block, block + kept);
  }
}

std::vector<uint64_t> CharGrams(const std::vector<absl::string_view>& tokens,
                                uint64_t seed) {
  std::vector<uint64_t> grams;
  SampleCharGrams(absl::StrJoin(tokens, ""), seed, &grams);
  return grams;
}

}  // namespace syndex
