#ifndef SYNDEX_ENGINE_RELATIONS_PASSAGES_H_
#define SYNDEX_ENGINE_RELATIONS_PASSAGES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace syndex {

// A run of text two articles share: tokens [a_begin, a_end) of A equal
// tokens [b_begin, b_end) of B (as shingle hashes).
struct Passage {
  size_t a_begin = 0, a_end = 0;
  size_t b_begin = 0, b_end = 0;
};

// The passages A shares with B, in A's order, from the two articles'
// shingle sequences (ShingleSequence, `shingle_size` tokens per shingle):
// each maximal run of consecutive A shingles that continue consecutively in
// B, starting at the first occurrence in B of the run's first shingle.
std::vector<Passage> SharedPassages(const std::vector<uint64_t>& a,
                                    const std::vector<uint64_t>& b,
                                    int shingle_size);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_RELATIONS_PASSAGES_H_
