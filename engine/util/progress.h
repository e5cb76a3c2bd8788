#ifndef SYNDEX_ENGINE_UTIL_PROGRESS_H_
#define SYNDEX_ENGINE_UTIL_PROGRESS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "absl/strings/string_view.h"

namespace syndex {

// Reports progress of a long stage: `done` of `total` items of `stage`.
// Called from any thread but never concurrently: once with done == 0 when a
// stage of work starts, at most about 200 times while it runs, and once with
// done == total when it ends.
using ProgressFn = std::function<void(absl::string_view stage, uint64_t done,
                                      uint64_t total)>;

// Counts the work of one stage and reports it through a ProgressFn (which
// may be empty). Thread-safe.
class StageProgress {
 public:
  // Reports the start of the stage (unless total is 0).
  StageProgress(const ProgressFn& fn, absl::string_view stage, uint64_t total);
  // Reports the end of the stage.
  ~StageProgress();
  StageProgress(const StageProgress&) = delete;
  StageProgress& operator=(const StageProgress&) = delete;

  // Records `n` more items done.
  void Add(uint64_t n);

 private:
  const ProgressFn& fn_;
  const std::string stage_;
  const uint64_t total_;
  const uint64_t step_;
  std::atomic<uint64_t> done_{0};
  uint64_t next_report_;  // Guarded by mu_.
  std::mutex mu_;
};

}  // namespace syndex

#endif  // SYNDEX_ENGINE_UTIL_PROGRESS_H_
