#include "engine/util/json.h"

#include <string>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(JsonTest, QuoteEscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("plain"), "\"plain\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("1\n2\r3\t4"), "\"1\\n2\\r3\\t4\"");
  EXPECT_EQ(JsonString(std::string("\x01\x1f\0", 3)),
            "\"\\u0001\\u001f\\u0000\"");
  // Bytes from 0x20 up, UTF-8 included, pass unchanged.
  EXPECT_EQ(JsonString("caf\xc3\xa9 / \x7f"), "\"caf\xc3\xa9 / \x7f\"");
}

TEST(JsonTest, FixedHasFourDecimals) {
  EXPECT_EQ(Fixed(0), "0.0000");
  EXPECT_EQ(Fixed(1), "1.0000");
  EXPECT_EQ(Fixed(2.0 / 3), "0.6667");
  EXPECT_EQ(Fixed(-0.25), "-0.2500");
  EXPECT_EQ(Fixed(12345.678949), "12345.6789");
}

}  // namespace
}  // namespace syndex
