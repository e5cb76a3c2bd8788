#include "engine/tfidf/term_table.h"

#include <string>
#include <vector>

#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

// `docs` documents of up to 300 terms with ids spread over [0, 2^32) and
// counts up to 65535, including the extremes.
TermTable RandomTable(size_t docs, uint64_t seed) {
  SplitMix64 rng(seed);
  TermTable t;
  for (size_t i = 0; i < docs; ++i) {
    const size_t terms = rng.Next() % 300;
    uint64_t id = rng.Next() % 4;
    for (size_t j = 0; j < terms && id <= UINT32_MAX; ++j) {
      t.ids.push_back(static_cast<uint32_t>(id));
      t.counts.push_back(j % 50 == 7 ? 65535 : 1 + rng.Next() % 5);
      // Mostly small gaps, sometimes huge ones.
      id += 1 + (rng.Next() % 8 == 0 ? rng.Next() % (uint64_t{1} << 31)
                                      : rng.Next() % 200);
    }
    t.offsets.push_back(t.ids.size());
  }
  if (!t.ids.empty() && t.ids.back() != UINT32_MAX) {
    t.ids.push_back(UINT32_MAX);  // The largest id, in the last document.
    t.counts.push_back(1);
    ++t.offsets.back();
  }
  return t;
}

std::string Encode(const TermTable& t, int threads = 2) {
  std::string bytes;
  ByteWriter w(&bytes);
  AppendTermTable(t, threads, &w);
  return bytes;
}

absl::Status Decode(absl::string_view bytes, TermTable* t, int threads = 2) {
  ByteReader r(bytes, "terms");
  absl::Status st = ReadTermTable(&r, threads, t);
  if (st.ok() && r.remaining() != 0) return r.Fail("trailing bytes");
  return st;
}

void ExpectSame(const TermTable& a, const TermTable& b) {
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.counts, b.counts);
}

TEST(TermTableTest, RoundTripsWithAnyThreadCount) {
  const TermTable table = RandomTable(10000, 1);
  const std::string bytes = Encode(table, 1);
  for (int threads : {1, 2, 3}) {
    EXPECT_EQ(Encode(table, threads), bytes);
    TermTable back;
    ASSERT_TRUE(Decode(bytes, &back, threads).ok());
    ExpectSame(back, table);
  }
  // Far smaller than 6 bytes a term.
  EXPECT_LT(bytes.size(), table.ids.size() * 4);
}

TEST(TermTableTest, EmptyTables) {
  for (size_t docs : {0, 3}) {
    TermTable table;
    table.offsets.resize(docs + 1, 0);
    TermTable back;
    ASSERT_TRUE(Decode(Encode(table), &back).ok());
    ExpectSame(back, table);
    EXPECT_EQ(back.num_docs(), docs);
  }
}

// The layout: array<u64> offsets, array<u64> byte positions, array<u8>
// varints.
std::string Layout(const std::vector<uint64_t>& offsets,
                   const std::vector<uint64_t>& positions,
                   const std::string& varints) {
  std::string bytes;
  ByteWriter w(&bytes);
  w.Array(offsets);
  w.Array(positions);
  w.String(varints);
  return bytes;
}

TEST(TermTableTest, KnownEncoding) {
  TermTable t;
  t.ids = {0, 5, 300};
  t.counts = {1, 2, 65535};
  t.offsets = {0, 1, 3};
  // Doc 0: gap 0, count 1. Doc 1: gap 5, count 2; gap 294 (0xA6 0x02),
  // count 65535 (0xFF 0xFF 0x03).
  const std::string varints("\x00\x01\x05\x02\xA6\x02\xFF\xFF\x03", 9);
  EXPECT_EQ(Encode(t), Layout({0, 1, 3}, {0, 2, 9}, varints));
}

// True if the table of one document (or two) with `varints` fails to read.
bool Fails(const std::vector<uint64_t>& offsets,
           const std::vector<uint64_t>& positions, const std::string& varints) {
  TermTable t;
  return !Decode(Layout(offsets, positions, varints), &t).ok();
}

TEST(TermTableTest, MalformedVarintsAreErrors) {
  const auto one = [](const std::string& varints) {
    return Fails({0, 1}, {0, varints.size()}, varints);
  };
  EXPECT_FALSE(one(std::string("\x03\x01", 2)));
  EXPECT_TRUE(one(std::string("\x03\x00", 2)));          // Count 0.
  EXPECT_TRUE(one(std::string("\x03\xFF\xFF\x04", 4)));  // Count > 65535.
  EXPECT_TRUE(one(std::string("\x83\x00\x01", 3)));      // Not minimal.
  EXPECT_TRUE(one(std::string("\x80\x80\x80\x80\x10\x01", 6)));  // 2^32.
  EXPECT_TRUE(one(std::string("\x80\x80\x80\x80\x80\x01\x01", 7)));
  EXPECT_TRUE(one(std::string("\x83", 1)));               // Cut short.
  EXPECT_TRUE(one(std::string("\x03\x01\x01", 3)));      // Unused byte.
  // Ids beyond 2^32 - 1: 0xFFFFFFFF, then a gap of 0.
  EXPECT_TRUE(Fails({0, 2}, {0, 8},
                    std::string("\xFF\xFF\xFF\xFF\x0F\x01\x00\x01", 8)));
}

TEST(TermTableTest, InconsistentSizesAreErrors) {
  const std::string one_term("\x03\x01", 2);
  EXPECT_TRUE(Fails({0, 2}, {0, 2}, one_term));        // Too few bytes.
  EXPECT_TRUE(Fails({0, 1}, {0, 3}, one_term));        // Past the end.
  EXPECT_TRUE(Fails({0, 1}, {1, 2}, one_term));        // Starts at 1.
  EXPECT_TRUE(Fails({0, 1, 0}, {0, 2, 2}, one_term));  // Decreasing.
  EXPECT_TRUE(Fails({0, 1}, {0, 2, 2}, one_term));     // Sizes differ.
  EXPECT_TRUE(Fails({}, {}, ""));
  // More terms than the bytes could hold are refused before allocating.
  EXPECT_TRUE(Fails({0, uint64_t{1} << 60}, {0, 2}, one_term));
}

TEST(TermTableTest, TruncationAnywhereIsAnError) {
  const std::string bytes = Encode(RandomTable(50, 2));
  for (size_t len = 0; len < bytes.size(); len += 7) {
    TermTable t;
    EXPECT_FALSE(Decode(absl::string_view(bytes).substr(0, len), &t).ok())
        << len;
  }
}

}  // namespace
}  // namespace syndex
