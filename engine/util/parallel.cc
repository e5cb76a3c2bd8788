#include "engine/util/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace syndex {

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void ParallelFor(size_t n, int threads, size_t grain,
                 const std::function<void(size_t, size_t, int)>& fn) {
  if (n == 0) return;
  grain = std::max<size_t>(grain, 1);
  const size_t chunks = (n + grain - 1) / grain;
  threads = static_cast<int>(std::min<size_t>(std::max(threads, 1), chunks));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    for (;;) {
      const size_t chunk = next.fetch_add(1);
      if (chunk >= chunks) return;
      const size_t begin = chunk * grain;
      fn(begin, std::min(n, begin + grain), worker);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
}

}  // namespace syndex
