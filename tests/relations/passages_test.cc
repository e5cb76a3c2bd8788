#include "engine/relations/passages.h"

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(PassagesTest, FindsRunsInBothArticles) {
  // With 2-token shingles: A = x [1 2 3] y [7 8], B = [1 2 3] z [7 8] w.
  const std::vector<uint64_t> a = {90, 1, 2, 3, 91, 7, 8};
  const std::vector<uint64_t> b = {1, 2, 3, 92, 7, 8, 93};
  const std::vector<Passage> p = SharedPassages(a, b, 2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].a_begin, 1u);
  EXPECT_EQ(p[0].a_end, 5u);  // 3 shingles of 2 tokens cover 4 tokens.
  EXPECT_EQ(p[0].b_begin, 0u);
  EXPECT_EQ(p[0].b_end, 4u);
  EXPECT_EQ(p[1].a_begin, 5u);
  EXPECT_EQ(p[1].b_begin, 4u);
  EXPECT_EQ(p[1].b_end, 7u);
}

TEST(PassagesTest, NothingSharedGivesNoPassages) {
  EXPECT_TRUE(SharedPassages({1, 2, 3}, {4, 5, 6}, 5).empty());
  EXPECT_TRUE(SharedPassages({}, {4, 5, 6}, 5).empty());
}

TEST(PassagesTest, ReorderedParagraphsAreSeparatePassages) {
  const std::vector<uint64_t> a = {1, 2, 3, 4};
  const std::vector<uint64_t> b = {3, 4, 1, 2};
  const std::vector<Passage> p = SharedPassages(a, b, 1);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].b_begin, 2u);
  EXPECT_EQ(p[1].b_begin, 0u);
}

}  // namespace
}  // namespace syndex
