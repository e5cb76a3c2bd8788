#include "engine/util/hash.h"

// The inline definitions let the compiler specialize XXH3 for the fixed
// sizes of HashWindows and inline it into the loops below; the results are
// those of the library's functions.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace syndex {

uint64_t Hash64(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}

void HashStrings(const absl::string_view* strings, size_t n, uint64_t seed,
                 uint64_t* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = XXH3_64bits_withSeed(strings[i].data(), strings[i].size(), seed);
  }
}

namespace {

template <size_t kWidth>
void HashFixedWindows(const uint64_t* values, size_t count, uint64_t seed,
                      uint64_t* out) {
  for (size_t j = 0; j < count; ++j) {
    out[j] = XXH3_64bits_withSeed(values + j, kWidth * sizeof(uint64_t), seed);
  }
}

}  // namespace

void HashWindows(const uint64_t* values, size_t count, size_t width,
                 uint64_t seed, uint64_t* out) {
  switch (width) {
    case 3:
      return HashFixedWindows<3>(values, count, seed, out);
    case 4:
      return HashFixedWindows<4>(values, count, seed, out);
    case 5:
      return HashFixedWindows<5>(values, count, seed, out);
    case 6:
      return HashFixedWindows<6>(values, count, seed, out);
    default:
      for (size_t j = 0; j < count; ++j) {
        out[j] = Hash64(values + j, width * sizeof(uint64_t), seed);
      }
  }
}

StreamingHash64::StreamingHash64(uint64_t seed) : state_(XXH3_createState()) {
  XXH3_64bits_reset_withSeed(static_cast<XXH3_state_t*>(state_), seed);
}

StreamingHash64::~StreamingHash64() {
  XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}

void StreamingHash64::Update(const void* data, size_t size) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, size);
}

uint64_t StreamingHash64::Digest() const {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state_));
}

}  // namespace syndex
