#include "engine/util/json.h"

#include <string>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(JsonTest, QuoteEscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote("1\n2\r3\t4"), "\"1\\n2\\r3\\t4\"");
  EXPECT_EQ(JsonQuote(std::string("\x01\x1f\0", 3)),
            "\"\\u0001\\u001f\\u0000\"");
  // Bytes from 0x20 up, UTF-8 included, pass unchanged.
  EXPECT_EQ(JsonQuote("caf\xc3\xa9 / \x7f"), "\"caf\xc3\xa9 / \x7f\"");
}

TEST(JsonTest, FixedHasFourDecimals) {
  EXPECT_EQ(Fixed4(0), "0.0000");
  EXPECT_EQ(Fixed4(1), "1.0000");
  EXPECT_EQ(Fixed4(2.0 / 3), "0.6667");
  EXPECT_EQ(Fixed4(-0.25), "-0.2500");
  EXPECT_EQ(Fixed4(12345.678949), "12345.6789");
}

}  // namespace
}  // namespace syndex
