#include "engine/tfidf/term_table.h"

#include <algorithm>
#include <atomic>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/util/memory.h"
#include "engine/util/parallel.h"

namespace syndex {
namespace {

// Documents encoded or decoded per parallel chunk.
constexpr size_t kDocsPerChunk = 4096;

size_t VarintLength(uint32_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void PutVarint(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads one minimal LEB128 varint of at most 32 bits from [*p, end);
// false if there is none.
bool GetVarint(const uint8_t** p, const uint8_t* end, uint32_t* v) {
  const uint8_t* q = *p;
  if (q == end) return false;
  if (*q < 0x80) {  // The common case: one byte.
    *v = *q;
    *p = q + 1;
    return true;
  }
  uint64_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (q == end) return false;
    const uint8_t byte = *q++;
    value |= uint64_t{byte & 0x7fu} << shift;
    if (byte < 0x80) {
      // Minimal: a last byte of 0 would encode nothing.
      if (byte == 0 || value > UINT32_MAX) return false;
      *v = static_cast<uint32_t>(value);
      *p = q;
      return true;
    }
  }
  return false;
}

// The gaps and counts of document `doc`, encoded.
void EncodeDoc(const TermTable& table, size_t doc, std::string* out) {
  int64_t previous = -1;
  for (uint64_t j = table.offsets[doc]; j < table.offsets[doc + 1]; ++j) {
    PutVarint(static_cast<uint32_t>(table.ids[j] - previous - 1), out);
    PutVarint(table.counts[j], out);
    previous = table.ids[j];
  }
}

size_t EncodedLength(const TermTable& table, size_t doc) {
  size_t length = 0;
  int64_t previous = -1;
  for (uint64_t j = table.offsets[doc]; j < table.offsets[doc + 1]; ++j) {
    length += VarintLength(static_cast<uint32_t>(table.ids[j] - previous - 1)) +
              VarintLength(table.counts[j]);
    previous = table.ids[j];
  }
  return length;
}

// Decodes document `doc` from [p, end) into its slots of `table`.
bool DecodeDoc(const uint8_t* p, const uint8_t* end, size_t doc,
               TermTable* table) {
  int64_t previous = -1;
  for (uint64_t j = table->offsets[doc]; j < table->offsets[doc + 1]; ++j) {
    uint32_t gap = 0, count = 0;
    if (!GetVarint(&p, end, &gap) || !GetVarint(&p, end, &count)) return false;
    const int64_t id = previous + 1 + gap;
    if (id > UINT32_MAX || count == 0 || count > UINT16_MAX) return false;
    table->ids[j] = static_cast<uint32_t>(id);
    table->counts[j] = static_cast<uint16_t>(count);
    previous = id;
  }
  return p == end;
}

size_t NumChunks(size_t docs) {
  return (docs + kDocsPerChunk - 1) / kDocsPerChunk;
}

}  // namespace

void AppendTermTable(const TermTable& table, int threads, ByteWriter* out) {
  threads = ResolveThreads(threads);
  const size_t docs = table.num_docs();
  // The byte positions precede the bytes, and the bytes are streamed, so
  // the encoded lengths are computed in a pass of their own.
  std::vector<uint64_t> positions(docs + 1, 0);
  ParallelFor(docs, threads, kDocsPerChunk, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      positions[i + 1] = EncodedLength(table, i);
    }
  });
  for (size_t i = 0; i < docs; ++i) positions[i + 1] += positions[i];
  out->Array(table.offsets);
  out->Array(positions);
  out->U64(positions.back());
  // Chunks are encoded in parallel, a window of them at a time, and written
  // in order.
  const size_t chunks = NumChunks(docs);
  const size_t window = 16;
  std::vector<std::string> encoded(window);
  for (size_t first = 0; first < chunks; first += window) {
    const size_t count = std::min(window, chunks - first);
    ParallelFor(count, threads, 1, [&](size_t begin, size_t end, int) {
      for (size_t c = begin; c < end; ++c) {
        encoded[c].clear();
        const size_t doc_end = std::min(docs, (first + c + 1) * kDocsPerChunk);
        for (size_t i = (first + c) * kDocsPerChunk; i < doc_end; ++i) {
          EncodeDoc(table, i, &encoded[c]);
        }
      }
    });
    for (size_t c = 0; c < count; ++c) {
      out->Raw(encoded[c].data(), encoded[c].size());
    }
  }
}

absl::Status ReadTermTable(ByteReader* in, int threads, TermTable* table) {
  threads = ResolveThreads(threads);
  std::vector<uint64_t> positions;
  absl::string_view bytes;
  if (absl::Status st = in->Array(&table->offsets); !st.ok()) return st;
  if (absl::Status st = in->Array(&positions); !st.ok()) return st;
  if (absl::Status st = in->ArrayBytes(1, &bytes); !st.ok()) return st;
  const std::vector<uint64_t>& offsets = table->offsets;
  // Every term takes at least two bytes, which bounds what is allocated.
  if (offsets.empty() || positions.size() != offsets.size() ||
      offsets[0] != 0 || positions[0] != 0 ||
      positions.back() != bytes.size() ||
      !std::is_sorted(offsets.begin(), offsets.end()) ||
      !std::is_sorted(positions.begin(), positions.end()) ||
      offsets.back() > bytes.size() / 2) {
    return in->Fail("term table sizes are inconsistent");
  }
  ReserveHuge(&table->ids, offsets.back());
  ReserveHuge(&table->counts, offsets.back());
  table->ids.resize(offsets.back());
  table->counts.resize(offsets.back());
  const size_t docs = table->num_docs();
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  std::atomic<size_t> first_bad{docs};
  ParallelFor(docs, threads, kDocsPerChunk, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      if (!DecodeDoc(data + positions[i], data + positions[i + 1], i, table)) {
        size_t bad = first_bad.load();
        while (i < bad && !first_bad.compare_exchange_weak(bad, i)) {
        }
        return;
      }
    }
  });
  if (first_bad.load() < docs) {
    return in->Fail(absl::StrCat("terms of article ", first_bad.load(),
                                 " are malformed"));
  }
  return absl::OkStatus();
}

}  // namespace syndex
