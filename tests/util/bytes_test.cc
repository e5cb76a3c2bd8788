#include "engine/util/bytes.h"

#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(BytesTest, RoundTrip) {
  std::string buf;
  ByteWriter w(&buf);
  w.U8(7);
  w.U32(0xdeadbeef);
  w.U64(1ULL << 40);
  w.F32(1.5f);
  w.String("hello");
  w.Array(std::vector<uint32_t>{1, 2, 3});

  ByteReader r(buf, "test");
  uint8_t u8;
  uint32_t u32;
  uint64_t u64;
  float f;
  std::string s;
  std::vector<uint32_t> v;
  ASSERT_TRUE(r.U8(&u8).ok());
  ASSERT_TRUE(r.U32(&u32).ok());
  ASSERT_TRUE(r.U64(&u64).ok());
  ASSERT_TRUE(r.F32(&f).ok());
  ASSERT_TRUE(r.String(&s).ok());
  ASSERT_TRUE(r.Array(&v).ok());
  EXPECT_EQ(u8, 7);
  EXPECT_EQ(u32, 0xdeadbeef);
  EXPECT_EQ(u64, 1ULL << 40);
  EXPECT_EQ(f, 1.5f);
  EXPECT_EQ(s, "hello");
  EXPECT_EQ(v, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(r.remaining(), 0u);
}

// Arrays are read in place when their elements are aligned, copied
// otherwise; both give the same values and leave the reader after them.
TEST(BytesTest, ArraysReadAtEveryAlignment) {
  const std::vector<uint64_t> values = {1, 0x0102030405060708ull, ~0ull};
  for (int shift = 0; shift < 8; ++shift) {
    std::string buf;
    ByteWriter w(&buf);
    w.Array(values);
    w.U8(42);
    // Storage aligned for uint64_t, then `shift` bytes in.
    std::vector<uint64_t> storage(buf.size() / 8 + 2);
    char* at = reinterpret_cast<char*>(storage.data()) + shift;
    std::memcpy(at, buf.data(), buf.size());
    ByteReader r(absl::string_view(at, buf.size()), "test");
    std::vector<uint64_t> read = {7};
    ASSERT_TRUE(r.Array(&read).ok()) << shift;
    EXPECT_EQ(read, values) << shift;
    uint8_t tail = 0;
    ASSERT_TRUE(r.U8(&tail).ok());
    EXPECT_EQ(tail, 42);
  }
}

// Records what a streaming writer hands on.
class StringSink : public ByteSink {
 public:
  void Write(absl::string_view bytes) override {
    out.append(bytes.data(), bytes.size());
    ++writes;
  }
  std::string out;
  int writes = 0;
};

TEST(BytesTest, StreamingWriterWritesTheSameBytesThroughItsSink) {
  const std::vector<uint32_t> big(1 << 19, 0x01020304u);  // 2 MiB
  auto write = [&](ByteWriter* w) {
    for (uint32_t i = 0; i < 300000; ++i) w->U32(i);  // 1.2 MB, small pieces
    w->String("between");
    w->Array(big);
    w->U8(9);
  };
  std::string expected;
  ByteWriter plain(&expected);
  write(&plain);

  StringSink sink;
  std::string buffer;
  ByteWriter streaming(&buffer, &sink);
  write(&streaming);
  EXPECT_EQ(streaming.size(), expected.size());
  EXPECT_LT(buffer.size(), size_t{1} << 20);  // never all of it
  EXPECT_GE(sink.writes, 2);
  streaming.Flush();
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(sink.out, expected);
  EXPECT_EQ(streaming.size(), expected.size());
}

TEST(BytesTest, TruncatedReadsFailWithName) {
  std::string buf;
  ByteWriter w(&buf);
  w.String("hello");
  buf.resize(buf.size() - 1);
  ByteReader r(buf, "file.sdx: ARTS");
  std::string s;
  absl::Status st = r.String(&s);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(st.message().find("file.sdx: ARTS"), std::string::npos);
}

TEST(BytesTest, HugeArrayLengthIsRejectedWithoutAllocating) {
  std::string buf;
  ByteWriter w(&buf);
  w.U64(~0ULL);
  ByteReader r(buf, "x");
  std::vector<uint64_t> v;
  EXPECT_FALSE(r.Array(&v).ok());
  EXPECT_TRUE(v.empty());
}

}  // namespace
}  // namespace syndex
