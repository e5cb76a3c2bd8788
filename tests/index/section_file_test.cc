#include "engine/index/section_file.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/util/file.h"
#include "engine/util/hash.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

constexpr uint32_t kVersion = 3;

uint64_t LoadU64(const std::string& s, size_t pos) {
  uint64_t v;
  std::memcpy(&v, s.data() + pos, 8);
  return v;
}

void StoreU32(std::string* s, size_t pos, uint32_t v) {
  std::memcpy(s->data() + pos, &v, 4);
}

void StoreU64(std::string* s, size_t pos, uint64_t v) {
  std::memcpy(s->data() + pos, &v, 8);
}

// Recomputes the header+table checksum after a test edited the table, so that
// the check under test is the one that fires.
void Reseal(std::string* s, uint32_t count) {
  const size_t table_end = 24 + 32 * count;
  StoreU64(s, table_end, Hash64(s->data(), table_end, 0));
}

std::string SmallFile() {
  SectionFileWriter w(kVersion);
  w.Add(SectionTag("AAAA"), "hello");
  w.Add(SectionTag("EMPT"), "");
  w.Add(SectionTag("BBBB"), std::string(70, 'x'));
  return std::move(w).Finish();
}

TEST(SectionFileTest, TagName) {
  EXPECT_EQ(TagName(SectionTag("PARM")), "PARM");
  EXPECT_EQ(SectionTag("PARM"), 0x4d524150u);
  EXPECT_EQ(TagName(0x0041ff50u), "P\\xffA\\x00");
}

TEST(SectionFileTest, RoundTrip) {
  SectionFileWriter w(kVersion);
  const std::string big(100000, 'q');
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  w.Add(SectionTag("EMP1"), "");
  w.Add(SectionTag("BIG_"), big);
  w.Add(SectionTag("BIN_"), binary);
  w.Add(SectionTag("EMP2"), "");
  w.Add(SectionTag("ONE_"), "1");
  const std::string file = std::move(w).Finish();

  auto reader = SectionFileReader::Open(file, "f.sdx", kVersion);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->name(), "f.sdx");
  EXPECT_EQ(reader->version(), kVersion);
  EXPECT_EQ(*reader->Get(SectionTag("EMP1")), "");
  EXPECT_EQ(*reader->Get(SectionTag("BIG_")), big);
  EXPECT_EQ(*reader->Get(SectionTag("BIN_")), binary);
  EXPECT_EQ(*reader->Get(SectionTag("EMP2")), "");
  EXPECT_EQ(*reader->Get(SectionTag("ONE_")), "1");
  EXPECT_TRUE(reader->Has(SectionTag("EMP2")));
  EXPECT_FALSE(reader->Has(SectionTag("NONE")));
  // Every section starts on a 64-byte boundary of the file.
  for (uint32_t tag : {SectionTag("EMP1"), SectionTag("BIG_"),
                       SectionTag("BIN_"), SectionTag("EMP2"),
                       SectionTag("ONE_")}) {
    EXPECT_EQ((reader->Get(tag)->data() - file.data()) % 64, 0)
        << TagName(tag);
  }
}

TEST(SectionFileTest, StreamWritesTheSameBytesAsTheWriter) {
  const std::string path = testing::TempDir() + "/section_stream_test.sdx";
  const std::string big(3 << 20, 'b');  // passes the writer's buffer
  SectionFileWriter w(kVersion);
  w.Add(SectionTag("AAAA"), "hello");
  w.Add(SectionTag("EMPT"), "");
  w.Add(SectionTag("BIG_"), big);
  const std::string expected = std::move(w).Finish();

  auto stream = SectionFileStream::Create(path, kVersion, 3);
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_TRUE((*stream)->Add(SectionTag("AAAA"), [](ByteWriter* out) {
    out->Raw("hel", 3);
    out->Raw("lo", 2);
  }).ok());
  ASSERT_TRUE((*stream)->Add(SectionTag("EMPT"), [](ByteWriter*) {}).ok());
  ASSERT_TRUE((*stream)->Add(SectionTag("BIG_"), [&](ByteWriter* out) {
    out->Raw(big.data(), 100);
    out->Raw(big.data() + 100, big.size() - 100);
  }).ok());
  ASSERT_TRUE((*stream)->Finish().ok());
  stream->reset();
  auto written = ReadFile(path);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, expected);
  std::remove(path.c_str());
}

TEST(SectionFileTest, StreamNamesAnUnwritablePath) {
  auto stream = SectionFileStream::Create("/nonexistent-dir/x.sdx", 1, 1);
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.status().message().find("/nonexistent-dir/x.sdx"),
            std::string::npos);
}

TEST(SectionFileTest, NoSections) {
  const std::string file = SectionFileWriter(kVersion).Finish();
  EXPECT_EQ(file.size(), 32u);
  auto reader = SectionFileReader::Open(file, "f", kVersion);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_FALSE(reader->Has(SectionTag("AAAA")));
}

// The exact bytes of a tiny file (docs/format.md): any change of the layout
// or the hashing fails here and needs a new format version.
TEST(SectionFileTest, GoldenBytes) {
  SectionFileWriter w(1);
  w.Add(SectionTag("EMPT"), "");
  w.Add(SectionTag("DATA"), "xyz");
  const std::string file = std::move(w).Finish();
  const std::string expected = absl::HexStringToBytes(
      // Header: magic, version 1, 2 sections, file size 131.
      "53594e44455800000100000002000000"
      "8300000000000000"
      // EMPT, reserved, offset 128, length 0, XXH3-64("").
      "454d505400000000"
      "80000000000000000000000000000000"
      "c294d3380580062d"
      // DATA, reserved, offset 128, length 3, XXH3-64("xyz").
      "4441544100000000"
      "80000000000000000300000000000000"
      "1f1f416f65d27662"
      // XXH3-64 of header and table, then zero padding to 128.
      "d495cc80cfe56e75"
      "00000000000000000000000000000000"
      "00000000000000000000000000000000"
      // DATA's bytes.
      "78797a");
  EXPECT_EQ(absl::BytesToHexString(file), absl::BytesToHexString(expected));

  // The checksums inside agree with Hash64 (itself pinned by HashTest).
  EXPECT_EQ(LoadU64(file, 24 + 24), Hash64("", 0));
  EXPECT_EQ(LoadU64(file, 56 + 24), Hash64("xyz", 0));
  EXPECT_EQ(LoadU64(file, 88), Hash64(file.data(), 88, 0));
}

TEST(SectionFileTest, EveryTruncationIsAnError) {
  const std::string file = SmallFile();
  ASSERT_TRUE(SectionFileReader::Open(file, "f", kVersion).ok());
  for (size_t n = 0; n < file.size(); ++n) {
    // A copy of exactly n bytes, so that reading past it is caught by ASan.
    const std::string prefix = file.substr(0, n);
    auto reader = SectionFileReader::Open(prefix, "f", kVersion);
    ASSERT_FALSE(reader.ok()) << "prefix of " << n << " bytes";
    EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << n;
  }
}

TEST(SectionFileTest, EveryBitFlipIsDetected) {
  const std::string file = SmallFile();
  for (size_t i = 0; i < file.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      auto reader = SectionFileReader::Open(bad, "f", kVersion);
      ASSERT_FALSE(reader.ok()) << "byte " << i << " bit " << bit;
      // A flip in the header (the version field too) is damage that
      // names the header.
      EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss) << i;
      if (i < 24 + 3 * 32 + 8) {
        EXPECT_TRUE(absl::StrContains(reader.status().message(), "header"))
            << i << ": " << reader.status();
      }
    }
  }
}

TEST(SectionFileTest, AppendedBytesAreAnError) {
  std::string file = SmallFile();
  file.push_back('\0');
  auto reader = SectionFileReader::Open(file, "f", kVersion);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
}

TEST(SectionFileTest, ForeignFile) {
  for (const std::string& data :
       {std::string(""), std::string("{\"id\": 1}\n"),
        std::string("SYNDEY\0\0", 8) + std::string(100, '\0'),
        std::string("XYZ")}) {
    auto reader = SectionFileReader::Open(data, "x.sdx", kVersion);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(reader.status().message(), "x.sdx: not a syndex index file");
  }
  auto reader = SectionFileReader::Open("SYND", "x.sdx", kVersion);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.status().message(), "x.sdx: truncated header");
}

TEST(SectionFileTest, WrongVersion) {
  const std::string file = SmallFile();
  auto reader = SectionFileReader::Open(file, "f.sdx", kVersion + 1);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader.status().message(),
            "f.sdx: format version 3, this build reads 4");
}

TEST(SectionFileTest, DamagedMagicIsHeaderDamage) {
  std::string file = SmallFile();
  file[2] = 'X';
  auto reader = SectionFileReader::Open(file, "f.sdx", kVersion);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.status().message(), "f.sdx: header damaged: bad magic");
}

TEST(SectionFileTest, DamagedVersionIsNotAnotherVersion) {
  std::string file = SmallFile();
  StoreU32(&file, 8, kVersion + 1);
  auto reader = SectionFileReader::Open(file, "f.sdx", kVersion);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.status().message(),
            "f.sdx: header damaged: checksum mismatch (its format version "
            "field reads 4)");
  // The same version with a valid header checksum is another version.
  Reseal(&file, 3);
  reader = SectionFileReader::Open(file, "f.sdx", kVersion);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SectionFileTest, CheckReportsEverySectionsChecksum) {
  const std::string good = SmallFile();  // AAAA, EMPT, BBBB.
  auto checks = SectionFileReader::Check(good, "f", kVersion);
  ASSERT_TRUE(checks.ok()) << checks.status();
  ASSERT_EQ(checks->size(), 3u);
  for (const SectionCheck& c : *checks) EXPECT_TRUE(c.checksum_ok);
  EXPECT_EQ(TagName((*checks)[0].tag), "AAAA");
  // Damage in the first and the last section: both are reported, and the
  // middle one stays good.
  std::string bad = good;
  const size_t a = (*checks)[0].bytes.data() - good.data();
  const size_t b = (*checks)[2].bytes.data() - good.data();
  bad[a] ^= 1;
  bad[b] ^= 1;
  checks = SectionFileReader::Check(bad, "f", kVersion);
  ASSERT_TRUE(checks.ok()) << checks.status();
  EXPECT_FALSE((*checks)[0].checksum_ok);
  EXPECT_TRUE((*checks)[1].checksum_ok);
  EXPECT_FALSE((*checks)[2].checksum_ok);
  // Open stops at the first.
  EXPECT_EQ(SectionFileReader::Open(bad, "f", kVersion).status().message(),
            "f: section AAAA: checksum mismatch");
  // Header damage is an error, as from Open.
  bad = good;
  bad[30] ^= 1;
  EXPECT_EQ(SectionFileReader::Check(bad, "f", kVersion).status().message(),
            "f: header damaged: checksum mismatch");
}

TEST(SectionFileTest, DuplicateTag) {
  SectionFileWriter w(kVersion);
  w.Add(SectionTag("AAAA"), "one");
  w.Add(SectionTag("BBBB"), "two");
  std::string file = std::move(w).Finish();
  StoreU32(&file, 24 + 32, SectionTag("AAAA"));  // Second entry's tag.
  Reseal(&file, 2);
  auto reader = SectionFileReader::Open(file, "f", kVersion);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.status().message(), "f: section AAAA: duplicate tag");
}

TEST(SectionFileTest, MissingSection) {
  const std::string file = SmallFile();
  auto reader = SectionFileReader::Open(file, "f.sdx", kVersion);
  ASSERT_TRUE(reader.ok());
  auto section = reader->Get(SectionTag("ZZZZ"));
  ASSERT_FALSE(section.ok());
  EXPECT_EQ(section.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(section.status().message(), "f.sdx: missing section ZZZZ");
}

// Tables that pass the table checksum but break the layout rules: the
// validation of each field fires, not only the checksum.
TEST(SectionFileTest, InvalidTablesWithValidChecksum) {
  const std::string good = SmallFile();  // Sections at 128, 192, 192.
  struct Edit {
    size_t pos;
    uint64_t value;
    bool wide;
    const char* message;
  } edits[] = {
      {24 + 4, 1, false, "f: section AAAA: reserved field is not zero"},
      {24 + 8, 64, true, "f: section AAAA: offset 64, expected 128"},
      {24 + 16, 100, true, "f: section EMPT: offset 192, expected 256"},
      {24 + 64 + 16, ~0ull - 100, true,
       "f: section BBBB: extends past the end of the file"},
      {24 + 64 + 16, 69, true, "f: unexpected bytes after the last section at 261"},
      {12, 70000, false, "f: header damaged: section count 70000 out of range"},
      {12, 100, false,
       "f: header damaged: section table runs past the end of the file"},
  };
  {
    std::string bad = good;
    bad[150] = 1;  // Between AAAA (ends at 133) and EMPT (at 192).
    auto reader = SectionFileReader::Open(bad, "f", kVersion);
    EXPECT_EQ(reader.status().message(),
              "f: section EMPT: padding before it is not zero");
  }
  for (const Edit& e : edits) {
    std::string bad = good;
    if (e.wide) {
      StoreU64(&bad, e.pos, e.value);
    } else {
      StoreU32(&bad, e.pos, static_cast<uint32_t>(e.value));
    }
    Reseal(&bad, 3);
    auto reader = SectionFileReader::Open(bad, "f", kVersion);
    ASSERT_FALSE(reader.ok()) << e.message;
    EXPECT_EQ(reader.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(reader.status().message(), e.message);
  }
}

}  // namespace
}  // namespace syndex
