#include "engine/util/progress.h"

#include <algorithm>

namespace syndex {

StageProgress::StageProgress(const ProgressFn& fn, absl::string_view stage,
                             uint64_t total)
    : fn_(fn),
      stage_(stage),
      total_(total),
      step_(std::max<uint64_t>(total / 200, 1)),
      next_report_(step_) {
  if (fn_ && total_ > 0) fn_(stage_, 0, total_);
}

StageProgress::~StageProgress() {
  if (fn_) fn_(stage_, total_, total_);
}

void StageProgress::Add(uint64_t n) {
  const uint64_t done = done_.fetch_add(n) + n;
  if (!fn_ || done >= total_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (done < next_report_) return;
  next_report_ = done + step_;
  fn_(stage_, done, total_);
}

}  // namespace syndex
