#include "engine/vector_store/blas_threads.h"

#include <cblas.h>

#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace syndex {
namespace {

// OpenBLAS with two threads to begin with, or a reason to skip.
bool TwoBlasThreads() {
  // A BLAS call links the BLAS in, as the vector store's products do.
  const float one = 1.0f;
  if (cblas_sdot(1, &one, 1, &one, 1) != 1.0f) return false;
  if (BlasThreads() == 0) return false;
  SetBlasThreads(2);
  return BlasThreads() == 2;
}

TEST(BlasThreadsTest, OverlappingScopesRestoreTheCountWhenTheLastEnds) {
  if (!TwoBlasThreads()) GTEST_SKIP() << "no OpenBLAS with two threads";
  auto first = std::make_unique<SingleThreadedBlas>();
  auto second = std::make_unique<SingleThreadedBlas>();
  EXPECT_EQ(BlasThreads(), 1);
  first.reset();  // Ends before the scope that began after it.
  EXPECT_EQ(BlasThreads(), 1);
  second.reset();
  EXPECT_EQ(BlasThreads(), 2);
}

TEST(BlasThreadsTest, ScopesOnManyThreadsRestoreTheCount) {
  if (!TwoBlasThreads()) GTEST_SKIP() << "no OpenBLAS with two threads";
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 1000; ++i) {
        SingleThreadedBlas scope;
        EXPECT_EQ(BlasThreads(), 1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(BlasThreads(), 2);
}

}  // namespace
}  // namespace syndex
