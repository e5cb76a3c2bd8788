#include "engine/util/memory.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(MemoryTest, ReserveHugeMakesRoomAndKeepsTheElements) {
  for (size_t n : {size_t{10}, kHugePageWorthy / sizeof(uint32_t) + 3}) {
    std::vector<uint32_t> v(5);
    std::iota(v.begin(), v.end(), 1u);
    ReserveHuge(&v, n);
    EXPECT_GE(v.capacity(), n);
    EXPECT_EQ(v, (std::vector<uint32_t>{1, 2, 3, 4, 5}));
    v.resize(n, 7);
    EXPECT_EQ(v[4], 5u);
    EXPECT_EQ(v[n - 1], 7u);
  }
}

TEST(MemoryTest, ReserveHugeNeverShrinks) {
  std::vector<uint8_t> v;
  v.reserve(100);
  const uint8_t* data = v.data();
  ReserveHuge(&v, 50);
  EXPECT_EQ(v.data(), data);
  EXPECT_GE(v.capacity(), 100u);
}

TEST(MemoryTest, AdviceOnAnyRangeIsHarmless) {
  // Unaligned, shorter than a huge page, and empty ranges.
  std::vector<char> v(kHugePageWorthy * 2, 'x');
  AdviseHugePages(v.data() + 1, v.size() - 1);
  AdviseHugePages(v.data() + 3, 100);
  AdviseHugePages(v.data(), 0);
  EXPECT_EQ(std::count(v.begin(), v.end(), 'x'),
            static_cast<std::ptrdiff_t>(v.size()));
}

}  // namespace
}  // namespace syndex
