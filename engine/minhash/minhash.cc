#include "engine/minhash/minhash.h"

#include <algorithm>
#include <cassert>

namespace syndex {
namespace {

constexpr uint32_t kEmptyValue = 0xFFFFFFFFu;

// Hashed probes per empty bin before the linear fallback (step 3 of the
// scheme in minhash.h).
constexpr uint64_t kHashedProbes = 1024;

// Bin(r) of minhash.h for the 32-bit value `r`.
inline uint32_t Bin(uint64_t r, uint64_t num_perm) {
  return static_cast<uint32_t>((r * num_perm) >> 32);
}

// Bins 0..k-1 of the bitmask `filled`.
inline bool IsFilled(const uint64_t* filled, uint32_t bin) {
  return (filled[bin >> 6] >> (bin & 63)) & 1;
}

}  // namespace

MinHasher::MinHasher(int num_perm, uint64_t seed)
    : num_perm_(num_perm), seed_(seed) {
  assert(num_perm > 0);
  SplitMix64 rng(seed);
  key_ = rng.Next();
  probe_key_ = rng.Next();
}

void MinHasher::Sign(const uint64_t* shingles, size_t n, uint32_t* out) const {
  const uint64_t k = static_cast<uint64_t>(num_perm_);
  std::fill(out, out + k, kEmptyValue);
  if (n == 0) return;

  // The minimum of each bin, widened to 64 bits so that kUnfilled (above
  // every 32-bit value) marks the bins no shingle fell into. Keeping the
  // filled bins in the minima rather than in a bitmask avoids a chain of
  // read-modify-writes on the few words of the mask.
  constexpr uint64_t kUnfilled = uint64_t{1} << 32;
  constexpr size_t kInlineBins = 1024;  // 8 KiB on the stack.
  uint64_t inline_mins[kInlineBins];
  std::vector<uint64_t> heap_mins;
  uint64_t* mins = inline_mins;
  if (k > kInlineBins) {
    heap_mins.resize(k);
    mins = heap_mins.data();
  }
  std::fill(mins, mins + k, kUnfilled);
  for (size_t j = 0; j < n; ++j) {
    const uint64_t h = Mix64(shingles[j] ^ key_);
    uint64_t& m = mins[Bin(h >> 32, k)];
    m = std::min(m, h & 0xFFFFFFFFu);
  }

  // One bit per bin: set when a shingle fell into it.
  constexpr size_t kInlineWords = kInlineBins / 64;
  const size_t words = (k + 63) / 64;
  uint64_t inline_filled[kInlineWords] = {};
  std::vector<uint64_t> heap_filled;
  uint64_t* filled = inline_filled;
  if (words > kInlineWords) {
    heap_filled.assign(words, 0);
    filled = heap_filled.data();
  }
  for (uint32_t i = 0; i < k; ++i) {
    if (mins[i] == kUnfilled) continue;
    out[i] = static_cast<uint32_t>(mins[i]);
    filled[i >> 6] |= uint64_t{1} << (i & 63);
  }

  // A set whose shingles all fell into one bin: every probe sequence ends
  // there, so skip the probing (about k probes per empty bin).
  size_t filled_bins = 0;
  uint32_t last_filled = 0;
  for (size_t w = 0; w < words; ++w) {
    if (filled[w] == 0) continue;
    filled_bins += __builtin_popcountll(filled[w]);
    last_filled =
        static_cast<uint32_t>(w * 64 + 63 - __builtin_clzll(filled[w]));
  }
  if (filled_bins == 1) {
    std::fill(out, out + k, out[last_filled]);
    return;
  }

  // Optimal densification. Sources are bins filled above, whose values are
  // never overwritten, so this works in place.
  for (uint32_t i = 0; i < k; ++i) {
    if (IsFilled(filled, i)) continue;
    bool found = false;
    for (uint64_t t = 1; t <= kHashedProbes; ++t) {
      const uint64_t r = Mix64(probe_key_ ^ (uint64_t{i} << 32 | t));
      const uint32_t source = Bin(r >> 32, k);
      if (IsFilled(filled, source)) {
        out[i] = out[source];
        found = true;
        break;
      }
    }
    // Some bin is filled (n > 0), so this ends.
    for (uint32_t source = i + 1; !found; ++source) {
      if (source == k) source = 0;
      if (IsFilled(filled, source)) {
        out[i] = out[source];
        found = true;
      }
    }
  }
}

std::vector<uint32_t> MinHasher::Sign(
    const std::vector<uint64_t>& shingles) const {
  std::vector<uint32_t> out(num_perm_);
  Sign(shingles.data(), shingles.size(), out.data());
  return out;
}

double EstimateJaccard(const uint32_t* a, const uint32_t* b, int num_perm) {
  if (num_perm <= 0) return 0.0;
  int equal = 0;
  for (int i = 0; i < num_perm; ++i) equal += a[i] == b[i];
  if (equal == num_perm && std::all_of(a, a + num_perm, [](uint32_t v) {
        return v == kEmptyValue;
      })) {
    return 0.0;  // Two empty sets.
  }
  return static_cast<double>(equal) / num_perm;
}

double EstimateContainment(double jaccard, uint32_t size_a, uint32_t size_b) {
  if (size_a == 0) return 0.0;
  const double c = jaccard * (static_cast<double>(size_a) + size_b) /
                   ((1.0 + jaccard) * size_a);
  return std::clamp(c, 0.0, 1.0);
}

}  // namespace syndex
