#include "engine/text/markup.h"

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(MarkupTest, TagsAndUrlsGoTheirTextStays) {
  EXPECT_EQ(StripMarkup("see <a href=\"http://x.com/a\">the report</a> now"),
            "see the report now");
  EXPECT_EQ(StripMarkup("<p>one</p>\n<div class=\"x\">two</div>"),
            "one\ntwo");
  EXPECT_EQ(StripMarkup("more at https://example.com/a?utm_source=x today"),
            "more at today");
  EXPECT_EQ(StripMarkup("visit www.example.com."), "visit ");
}

TEST(MarkupTest, EscapedTagsAreTagsOnceEntitiesAreDecoded) {
  EXPECT_EQ(CleanText("shares of &lt;A HREF=\"http://www.investor.reuters.com/"
                      "FullQuote.aspx?ticker=ABC.N\"&gt;ABC.N&lt;/A&gt; rose"),
            "shares of abc.n rose");
}

TEST(MarkupTest, TextWithoutMarkupIsUnchanged) {
  const std::string text = "a < b and b > c\nhttp is a protocol; whatever.";
  EXPECT_EQ(StripMarkup(text), text);
  EXPECT_EQ(StripMarkup("x <3 y"), "x <3 y");
}

TEST(MarkupTest, AnUnclosedTagIsText) {
  EXPECT_EQ(StripMarkup("a <b c"), "a <b c");
  EXPECT_EQ(StripMarkup("a <b <i>c</i>"), "a <b c");
}

}  // namespace
}  // namespace syndex
