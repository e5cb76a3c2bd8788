#include "engine/clustering/copy_groups.h"

#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

constexpr Relation kSynd = Relation::kSyndicated;
constexpr Relation kPart = Relation::kPartial;

TEST(CopyGroupsTest, AChainOfLinksDoesNotJoinItsEnds) {
  // 0 - 1 - 2 - 3 - 4: each text linked only to the next.
  const std::vector<uint32_t> order = {0, 1, 2, 3, 4};
  const CopyGroups g = PlaceCopyGroups(5, order,
                                       {{0, 1, kSynd, 0.6f},
                                        {1, 2, kSynd, 0.6f},
                                        {2, 3, kSynd, 0.6f},
                                        {3, 4, kSynd, 0.6f}});
  EXPECT_EQ(g.canonical[1], 0u);
  EXPECT_EQ(g.canonical[2], 0u);  // Through 1, linked to 0 directly.
  EXPECT_EQ(g.via[2], 1u);
  EXPECT_EQ(g.canonical[3], 3u);  // 2 is not linked to 0: a new group.
  EXPECT_EQ(g.canonical[4], 3u);
  EXPECT_EQ(g.link[3], Relation::kNone);
  EXPECT_EQ(g.link[4], kSynd);
}

TEST(CopyGroupsTest, EveryMemberIsLinkedToTheCanonicalOrADirectMember) {
  // A star around 0 with a second ring, and links between the rings.
  const std::vector<uint32_t> order = {0, 1, 2, 3, 4, 5, 6};
  const std::vector<CopyLink> links = {{0, 1, kSynd, 0.9f}, {0, 2, kPart, 0.3f},
                                       {1, 3, kSynd, 0.7f}, {2, 4, kSynd, 0.8f},
                                       {3, 5, kSynd, 0.9f}, {4, 6, kSynd, 0.9f},
                                       {5, 6, kSynd, 0.9f}};
  const CopyGroups g = PlaceCopyGroups(7, order, links);
  auto linked = [&](uint32_t a, uint32_t b) {
    for (const CopyLink& l : links) {
      if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return true;
    }
    return false;
  };
  for (uint32_t doc = 0; doc < 7; ++doc) {
    const uint32_t c = g.canonical[doc];
    if (c == doc) continue;
    const uint32_t via = g.via[doc];
    ASSERT_TRUE(linked(doc, via)) << doc;
    EXPECT_EQ(g.canonical[via], c);
    EXPECT_TRUE(via == c || (g.via[via] == c && linked(via, c))) << doc;
  }
  EXPECT_EQ(g.canonical[3], 0u);
  EXPECT_EQ(g.canonical[4], 0u);
  EXPECT_NE(g.canonical[5], 0u);  // Only linked to members of depth 2.
  EXPECT_EQ(g.canonical[6], g.canonical[5]);
}

TEST(CopyGroupsTest, JoinsTheStrongestLinkThenTheHighestJaccard) {
  // 2 is a partial copy of canonical 0 and syndicated with canonical 1.
  const CopyGroups g =
      PlaceCopyGroups(3, {0, 1, 2}, {{0, 2, kPart, 0.9f}, {1, 2, kSynd, 0.5f}});
  EXPECT_EQ(g.canonical[2], 1u);
  const CopyGroups h =
      PlaceCopyGroups(3, {0, 1, 2}, {{0, 2, kSynd, 0.6f}, {1, 2, kSynd, 0.8f}});
  EXPECT_EQ(h.canonical[2], 1u);
}

TEST(CopyGroupsTest, TheCanonicalIsTheFirstInOrderAndLinksAreSymmetric) {
  // Order 2, 0, 1: 2 is placed first whatever the links' sides.
  const CopyGroups g =
      PlaceCopyGroups(3, {2, 0, 1}, {{0, 2, kSynd, 0.7f}, {2, 1, kSynd, 0.7f}});
  EXPECT_EQ(g.canonical[0], 2u);
  EXPECT_EQ(g.canonical[1], 2u);
  EXPECT_EQ(g.canonical[2], 2u);
}

TEST(CopyGroupsTest, IgnoresLinksThatAreNotCopiesAndDocsOutsideTheOrder) {
  const CopyGroups g = PlaceCopyGroups(4, {0, 1, 2},
                                       {{0, 1, Relation::kRelated, 0.9f},
                                        {0, 3, kSynd, 0.9f},
                                        {1, 2, Relation::kExact, 1.0f}});
  EXPECT_EQ(g.canonical[1], 1u);
  EXPECT_EQ(g.canonical[2], 1u);
  EXPECT_EQ(g.link[2], Relation::kExact);
  EXPECT_EQ(g.canonical[3], 3u);
  EXPECT_EQ(g.canonical[0], 0u);
}

}  // namespace
}  // namespace syndex
