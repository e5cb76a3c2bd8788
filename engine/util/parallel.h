#ifndef SYNDEX_ENGINE_UTIL_PARALLEL_H_
#define SYNDEX_ENGINE_UTIL_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace syndex {

// The number of threads to use when the caller asked for `requested` (0 means
// all hardware threads). Always at least 1.
int ResolveThreads(int requested);

// Splits [0, n) into contiguous chunks of about `grain` items and runs
// fn(begin, end, worker) on `threads` threads (worker in [0, threads)),
// returning when all chunks are done. Chunks are handed out dynamically, so
// which worker runs a chunk is not deterministic; callers that need a
// deterministic result write per-item outputs. `fn` must not throw.
void ParallelFor(size_t n, int threads, size_t grain,
                 const std::function<void(size_t, size_t, int)>& fn);

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_PARALLEL_H_
