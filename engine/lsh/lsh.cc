#include "engine/lsh/lsh.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

#include "engine/util/memory.h"
#include "engine/util/parallel.h"

namespace syndex {

double CandidateProbability(double j, const LshParams& params) {
  return 1.0 - std::pow(1.0 - std::pow(j, params.rows), params.bands);
}

LshParams ChooseLshParams(int num_perm, double threshold, double min_recall) {
  assert(num_perm > 0);
  for (int rows = num_perm; rows >= 1; --rows) {
    const int max_bands = num_perm / rows;
    // The probability grows with the number of bands, so the first band
    // count that reaches min_recall is the smallest.
    for (int bands = 1; bands <= max_bands; ++bands) {
      const LshParams params{bands, rows};
      if (CandidateProbability(threshold, params) >= min_recall) return params;
    }
  }
  return LshParams{num_perm, 1};
}

LshIndex::LshIndex(const LshParams& params, uint64_t seed)
    : params_(params), tables_(params.bands) {
  assert(params.bands > 0 && params.rows > 0);
  band_seeds_.reserve(params.bands);
  for (int b = 0; b < params.bands; ++b) band_seeds_.push_back(Mix64(seed + b));
}

uint64_t LshIndex::BandKey(int band, const uint32_t* sig) const {
  const uint32_t* values = sig + static_cast<size_t>(band) * params_.rows;
  const size_t bytes = sizeof(uint32_t) * params_.rows;
  if constexpr (std::endian::native == std::endian::little) {
    return Hash64(values, bytes, band_seeds_[band]);
  } else {
    std::vector<uint8_t> buf(bytes);
    for (int r = 0; r < params_.rows; ++r) {
      for (int k = 0; k < 4; ++k) buf[4 * r + k] = values[r] >> (8 * k);
    }
    return Hash64(buf.data(), bytes, band_seeds_[band]);
  }
}

void LshIndex::Add(uint32_t id, const uint32_t* sig) {
  assert(!frozen_);
  for (int b = 0; b < params_.bands; ++b) {
    tables_[b].push_back(Entry{BandKey(b, sig), id});
  }
}

void LshIndex::AddBatch(uint32_t base, const uint32_t* sigs, size_t n,
                        int stride, int threads) {
  assert(!frozen_);
  assert(stride >= params_.bands * params_.rows);
  if (n == 0) return;
  const size_t old_size = tables_[0].size();
  for (auto& table : tables_) {
    GrowHuge(&table, old_size + n);
    table.resize(old_size + n);
  }
  // Each document's slots are written by exactly one thread.
  ParallelFor(n, ResolveThreads(threads), 256,
              [&](size_t begin, size_t end, int /*worker*/) {
                for (size_t i = begin; i < end; ++i) {
                  const uint32_t* sig = sigs + i * static_cast<size_t>(stride);
                  const uint32_t id = base + static_cast<uint32_t>(i);
                  for (int b = 0; b < params_.bands; ++b) {
                    tables_[b][old_size + i] = Entry{BandKey(b, sig), id};
                  }
                }
              });
}

void LshIndex::SortTable(std::vector<Entry>* table,
                         std::vector<Entry>* scratch) {
  auto less = [](const Entry& x, const Entry& y) {
    return x.key != y.key ? x.key < y.key : x.id < y.id;
  };
  const size_t n = table->size();
  if (n < 1024) {
    std::sort(table->begin(), table->end(), less);
    return;
  }
  // The keys are hashes, so their top bits spread evenly: one counting pass
  // moves the entries into about n / 8 buckets by their top bits, and each
  // small bucket is then sorted on its own. Equal keys (copies) share a
  // bucket, which std::sort handles at any size.
  const int bits = std::min(24, static_cast<int>(std::bit_width(n / 8)) - 1);
  const int shift = 64 - bits;
  std::vector<uint32_t> starts((size_t{1} << bits) + 1, 0);
  for (const Entry& e : *table) ++starts[(e.key >> shift) + 1];
  for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
  std::vector<uint32_t> cursor(starts.begin(), starts.end() - 1);
  ReserveHuge(scratch, n);
  scratch->resize(n);
  Entry* sorted = scratch->data();
  for (const Entry& e : *table) sorted[cursor[e.key >> shift]++] = e;
  for (size_t i = 0; i + 1 < starts.size(); ++i) {
    std::sort(sorted + starts[i], sorted + starts[i + 1], less);
  }
  table->swap(*scratch);
}

void LshIndex::Freeze(int threads) {
  threads = ResolveThreads(threads);
  // One scratch table per thread, handed from band to band (the tables have
  // one size), so that sorting takes no fresh memory after the first band.
  std::vector<std::vector<Entry>> scratch(threads);
  ParallelFor(tables_.size(), threads, 1,
              [&](size_t begin, size_t end, int worker) {
                for (size_t b = begin; b < end; ++b) {
                  SortTable(&tables_[b], &scratch[worker]);
                }
              });
  frozen_ = true;
}

void LshIndex::Query(const uint32_t* sig, std::vector<uint32_t>* out) const {
  assert(frozen_);
  const size_t start = out->size();
  for (int b = 0; b < params_.bands; ++b) {
    const uint64_t key = BandKey(b, sig);
    const auto& table = tables_[b];
    auto it = std::lower_bound(
        table.begin(), table.end(), key,
        [](const Entry& e, uint64_t k) { return e.key < k; });
    for (; it != table.end() && it->key == key; ++it) out->push_back(it->id);
  }
  std::sort(out->begin() + start, out->end());
  out->erase(std::unique(out->begin() + start, out->end()), out->end());
}

void LshIndex::Scan(const uint32_t* sig, const uint32_t* sigs, size_t n,
                    int stride, int threads,
                    std::vector<uint32_t>* out) const {
  assert(stride >= params_.bands * params_.rows);
  const int rows = params_.rows;
  const size_t bands_bytes = sizeof(uint32_t) * params_.bands * rows;
  // Each chunk of documents keeps its own matches, in id order.
  constexpr size_t kChunk = 16384;
  std::vector<std::vector<uint32_t>> found((n + kChunk - 1) / kChunk);
  ParallelFor(n, threads, kChunk, [&](size_t begin, size_t end, int) {
    std::vector<uint32_t>& mine = found[begin / kChunk];
    for (size_t id = begin; id < end; ++id) {
      const uint32_t* doc = sigs + id * stride;
      // The hardware prefetcher does not keep up: fetch the bands of the
      // signature eight ahead (harmless past the end).
      const char* ahead = reinterpret_cast<const char*>(doc + 8 * stride);
      for (size_t at = 0; at < bands_bytes; at += 64) {
        __builtin_prefetch(ahead + at);
      }
      for (int b = 0; b < params_.bands; ++b) {
        // Inline: the first values nearly always differ.
        const uint32_t* x = doc + static_cast<size_t>(b) * rows;
        const uint32_t* y = sig + static_cast<size_t>(b) * rows;
        int r = 0;
        while (r < rows && x[r] == y[r]) ++r;
        if (r == rows) {
          mine.push_back(static_cast<uint32_t>(id));
          break;
        }
      }
    }
  });
  for (const std::vector<uint32_t>& ids : found) {
    out->insert(out->end(), ids.begin(), ids.end());
  }
}

void LshIndex::ForEachCandidatePair(
    size_t max_bucket,
    const std::function<void(uint32_t, uint32_t)>& fn) const {
  assert(frozen_);
  for (const auto& table : tables_) {
    size_t begin = 0;
    while (begin < table.size()) {
      size_t end = begin + 1;
      while (end < table.size() && table[end].key == table[begin].key) ++end;
      if (end - begin > max_bucket) {
        for (size_t i = begin + 1; i < end; ++i) {
          if (table[i - 1].id != table[i].id) fn(table[i - 1].id, table[i].id);
        }
      } else {
        for (size_t i = begin; i < end; ++i) {
          for (size_t j = i + 1; j < end; ++j) {
            if (table[i].id != table[j].id) fn(table[i].id, table[j].id);
          }
        }
      }
      begin = end;
    }
  }
}

void LshIndex::ForEachBucket(
    const std::function<void(int, const std::vector<uint32_t>&)>& fn) const {
  assert(frozen_);
  std::vector<uint32_t> ids;
  for (int b = 0; b < params_.bands; ++b) {
    const std::vector<Entry>& table = tables_[b];
    size_t begin = 0;
    while (begin < table.size()) {
      size_t end = begin + 1;
      while (end < table.size() && table[end].key == table[begin].key) ++end;
      if (end - begin > 1) {
        ids.clear();
        for (size_t i = begin; i < end; ++i) {
          if (ids.empty() || ids.back() != table[i].id) {
            ids.push_back(table[i].id);
          }
        }
        if (ids.size() > 1) fn(b, ids);
      }
      begin = end;
    }
  }
}

}  // namespace syndex
