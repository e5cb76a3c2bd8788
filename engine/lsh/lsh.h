#ifndef SYNDEX_ENGINE_LSH_LSH_H_
#define SYNDEX_ENGINE_LSH_LSH_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/util/hash.h"

namespace syndex {

// Banding of MinHash signatures: `bands` bands of `rows` values each.
struct LshParams {
  int bands = 0;
  int rows = 0;
};

// The probability that two sets of Jaccard similarity `j` share at least one
// band: 1 - (1 - j^rows)^bands.
double CandidateProbability(double j, const LshParams& params);

// The banding for `num_perm` values that keeps CandidateProbability at
// `threshold` at least `min_recall` with the largest possible `rows` (fewest
// false candidates), and among those the fewest bands. bands x rows <=
// num_perm. If no banding reaches `min_recall` (e.g. threshold <= 0), returns
// the one with the highest recall, rows = 1 and bands = num_perm.
// REQUIRES: num_perm > 0.
LshParams ChooseLshParams(int num_perm, double threshold, double min_recall);

// Band tables over signatures of documents numbered 0..n-1. The key of band
// b of a signature is Hash64 of its `rows` u32 values (little-endian) with
// seed Mix64(seed + b).
//
// Build with Add (in any order of ids), then Freeze once before querying;
// Add after Freeze is not allowed, AddFrozen is. Not thread-safe while
// building or in AddFrozen; thread-safe for queries after Freeze.
class LshIndex {
 public:
  LshIndex(const LshParams& params, uint64_t seed);

  // Adds document `id` with signature `sig` (at least bands x rows values).
  void Add(uint32_t id, const uint32_t* sig);
  // Adds documents base, base+1, ... from `n` signatures of `stride` values,
  // stored one after the other, using `threads` threads.
  void AddBatch(uint32_t base, const uint32_t* sigs, size_t n, int stride,
                int threads);
  // Sorts the tables. Must be called after the last Add.
  void Freeze(int threads);
  // Adds documents base, base+1, ... (above every id added so far) to a
  // frozen index, at a cost in proportion to `n`: their entries go to small
  // sorted side tables, which Query and ForEachCandidatePair read as well,
  // and which are merged into the main tables once they hold more than a
  // sixteenth of them (amortized O(1) per entry). REQUIRES: Freeze was
  // called.
  void AddFrozen(uint32_t base, const uint32_t* sigs, size_t n, int stride);

  // Appends to `out` the ids that share at least one band with `sig`,
  // sorted and without duplicates.
  void Query(const uint32_t* sig, std::vector<uint32_t>* out) const;

  // What Query would append once documents 0..n-1 with the `n` signatures
  // at `sigs` (`stride` values each) were added, found by comparing their
  // bands' rows with `sig`'s instead, on `threads` threads: no tables are
  // built or read. Equal rows give equal keys; Query would also give a
  // document whose different rows had the same 64-bit key in some band
  // (odds about n x bands / 2^64). Cheaper than building the tables for a
  // few queries.
  void Scan(const uint32_t* sig, const uint32_t* sigs, size_t n, int stride,
            int threads, std::vector<uint32_t>* out) const;

  // Calls fn(a, b) with a < b at least once for every pair of documents that
  // share a band (a pair may be reported once per shared band). A bucket of
  // more than `max_bucket` documents is reported as the chain of consecutive
  // members (id order) instead of all its pairs, so that heavily repeated
  // text cannot make this quadratic.
  void ForEachCandidatePair(
      size_t max_bucket,
      const std::function<void(uint32_t, uint32_t)>& fn) const;

  // Calls fn(band, ids) for every bucket of at least two documents: the
  // ids (in id order, a document once) that share band `band`'s key.
  void ForEachBucket(
      const std::function<void(int, const std::vector<uint32_t>&)>& fn) const;

  const LshParams& params() const { return params_; }
  // The key of band `band` of `sig`, as stored in the tables.
  uint64_t BandKey(int band, const uint32_t* sig) const;

 private:
  // Packed: 12 bytes instead of 16 (23 bands of 1M articles take 276 MB
  // instead of 368 MB). Members are only read and written by value.
  struct __attribute__((packed)) Entry {
    uint64_t key;
    uint32_t id;
  };
  static_assert(sizeof(Entry) == 12);
  // Sorts `table` by (key, id), through `scratch`, which it leaves holding
  // the table's former storage.
  static void SortTable(std::vector<Entry>* table, std::vector<Entry>* scratch);

  LshParams params_;
  std::vector<uint64_t> band_seeds_;  // Mix64(seed + b) for band b.
  // Sorted by (key, id) after Freeze, so equal keys form id-ordered runs.
  std::vector<std::vector<Entry>> tables_;  // One per band.
  // Entries added by AddFrozen, sorted like tables_, all of larger ids.
  std::vector<std::vector<Entry>> recent_;
  bool frozen_ = false;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_LSH_LSH_H_
