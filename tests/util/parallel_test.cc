#include "engine/util/parallel.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

TEST(ParallelTest, VisitsEveryItemOnce) {
  for (int threads : {1, 2, 5}) {
    std::vector<std::atomic<int>> seen(1001);
    ParallelFor(seen.size(), threads, 17, [&](size_t b, size_t e, int w) {
      EXPECT_LT(w, threads);
      for (size_t i = b; i < e; ++i) seen[i]++;
    });
    for (auto& s : seen) EXPECT_EQ(s.load(), 1);
  }
}

TEST(ParallelTest, EmptyRangeCallsNothing) {
  bool called = false;
  ParallelFor(0, 4, 1, [&](size_t, size_t, int) { called = true; });
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace syndex
