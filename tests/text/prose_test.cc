#include "engine/text/prose.h"

#include <string>
#include <vector>

#include "engine/text/tokenize.h"
#include "gtest/gtest.h"

namespace syndex {
namespace {

std::vector<char> Windows(const std::string& text, int k) {
  std::vector<absl::string_view> tokens;
  Tokenize(text, &tokens);
  return ProseWindows(tokens, k);
}

TEST(ProseTest, MenusLoseTheirWindowsProseKeepsThem) {
  const std::string prose =
      "the minister said on tuesday that the port would reopen after the "
      "strike and that talks with the union were going well for both of "
      "them in the end ";
  const std::string menu = "home world business tech sport culture travel ";
  std::vector<absl::string_view> tokens;
  const std::string text = menu + prose;
  Tokenize(text, &tokens);
  const std::vector<char> keep = ProseWindows(tokens, 5);
  ASSERT_EQ(keep.size(), tokens.size() - 4);
  EXPECT_EQ(keep[0], 0);  // "home world business tech sport"
  EXPECT_EQ(keep[1], 0);
  for (size_t i = 7; i < keep.size(); ++i) EXPECT_EQ(keep[i], 1) << i;
}

TEST(ProseTest, OtherLanguagesKeepEveryWindow) {
  const std::vector<char> keep =
      Windows("der hafen von kellhaven wurde am dienstag geschlossen weil "
              "die arbeiter streikten und keine schiffe mehr abgefertigt "
              "wurden",
              5);
  ASSERT_FALSE(keep.empty());
  for (char k : keep) EXPECT_EQ(k, 1);
}

TEST(ProseTest, ShortTextsHaveNoWindows) {
  EXPECT_TRUE(Windows("the end", 5).empty());
  EXPECT_TRUE(IsFunctionWord("the"));
  EXPECT_FALSE(IsFunctionWord("harbour"));
}

}  // namespace
}  // namespace syndex
