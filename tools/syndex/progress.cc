#include "tools/syndex/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace syndex {
namespace {

struct Display {
  std::string stage;
  std::chrono::steady_clock::time_point start;
};

void Draw(Display& d, absl::string_view stage, uint64_t done, uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (d.stage != stage) {
    d.stage = std::string(stage);
    d.start = now;
  }
  const double seconds = std::chrono::duration<double>(now - d.start).count();
  const double rate = seconds > 0 ? done / seconds : 0;
  const bool finished = done >= total;
  std::fprintf(stderr, "\r  %-10s %10llu/%-10llu %9.0f/s", d.stage.c_str(),
               static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), rate);
  if (finished) {
    std::fprintf(stderr, "  %6.1fs      \n", seconds);
    d.stage.clear();
  } else if (rate > 0) {
    std::fprintf(stderr, "  ETA %5.0fs ", (total - done) / rate);
  }
  std::fflush(stderr);
}

}  // namespace

ProgressFn TerminalProgress(bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return nullptr;
  auto display = std::make_shared<Display>();
  return [display](absl::string_view stage, uint64_t done, uint64_t total) {
    Draw(*display, stage, done, total);
  };
}

}  // namespace syndex
