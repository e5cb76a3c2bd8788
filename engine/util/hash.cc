#include "engine/util/hash.h"

#include <xxhash.h>

namespace syndex {

uint64_t Hash64(const void* data, size_t size, uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
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
