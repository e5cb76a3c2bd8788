#include <cstdint>
#include <string>

#include "engine/corpus/jsonl_reader.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

int64_t Parse(const std::string& s) {
  absl::StatusOr<int64_t> t = ParseIsoTime(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status();
  return t.ok() ? *t : -1;
}

TEST(ParseIsoTimeTest, Dates) {
  EXPECT_EQ(Parse("1970-01-01"), 0);
  EXPECT_EQ(Parse("1970-01-02"), 86400);
  EXPECT_EQ(Parse("1969-12-31"), -86400);
  EXPECT_EQ(Parse("2024-02-29"), 1709164800);  // Leap year.
  EXPECT_EQ(Parse("2000-02-29"), 951782400);   // Divisible by 400.
}

TEST(ParseIsoTimeTest, DateTimes) {
  EXPECT_EQ(Parse("2024-01-15T10:30:00Z"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15t10:30:00z"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30:00"), 1705314600);  // No zone: UTC.
  EXPECT_EQ(Parse("2024-01-15 10:30:00"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30Z"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30:00.999Z"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30:00.123456789"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30:59Z"), 1705314659);
  EXPECT_EQ(Parse("2024-01-15T23:59:59Z"), 1705363199);
}

TEST(ParseIsoTimeTest, Offsets) {
  EXPECT_EQ(Parse("2024-01-15T12:30:00+02:00"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T12:30:00+0200"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T12:30:00+02"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T05:00:00-05:30"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T05:00:00-0530"), 1705314600);
  EXPECT_EQ(Parse("2024-01-15T10:30:00.5+00:00"), 1705314600);
  // An offset can move the instant to another day.
  EXPECT_EQ(Parse("1970-01-01T00:00:00+01:00"), -3600);
}

TEST(ParseIsoTimeTest, RejectsInvalid) {
  for (const char* s : {
           "",
           "2024",
           "2024-01",
           "2024-1-15",
           "24-01-15",
           "2024/01/15",
           "2024-01-15x",
           "2024-01-15Z",
           "2024-01-15T",
           "2024-01-15T10",
           "2024-01-15T10:3",
           "2024-01-15T10:30:0",
           "2024-01-15T10:30:00.",
           "2024-01-15T10:30:00.Z",
           "2024-01-15T10:30:00 Z",
           "2024-01-15T10:30:00+",
           "2024-01-15T10:30:00+2",
           "2024-01-15T10:30:00+02:",
           "2024-01-15T10:30:00+02:0",
           "2024-01-15T10:30:00+020",
           "2024-01-15T10:30:00+24:00",
           "2024-01-15T10:30:00+02:60",
           "2024-01-15T10:30:00ZZ",
           " 2024-01-15",
           "2024-01-15 ",
           "2024-00-10",
           "2024-13-01",
           "2024-01-00",
           "2024-01-32",
           "2024-04-31",
           "2024-06-31",
           "2023-02-29",  // Not a leap year.
           "1900-02-29",  // Divisible by 100, not 400.
           "2100-02-29",
           "2024-02-30",
           "2024-01-15T24:00:00",
           "2024-01-15T10:60:00",
           "2024-01-15T10:30:60",
           "2024-01-15T-1:30:00",
           "yesterday",
       }) {
    absl::StatusOr<int64_t> t = ParseIsoTime(s);
    EXPECT_FALSE(t.ok()) << "\"" << s << "\" parsed as " << *t;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(ParseIsoTimeTest, Format) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(1705314600), "2024-01-15T10:30:00Z");
  EXPECT_EQ(FormatIsoTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoTime(951782400), "2000-02-29T00:00:00Z");
}

TEST(ParseIsoTimeTest, FormatRoundTrips) {
  for (int64_t t : {int64_t{0}, int64_t{1}, int64_t{-86401},
                    int64_t{1705314659}, int64_t{253402300799},
                    int64_t{-62167219200}}) {
    EXPECT_EQ(Parse(FormatIsoTime(t)), t) << FormatIsoTime(t);
  }
}

}  // namespace
}  // namespace syndex
