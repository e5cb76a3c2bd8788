#ifndef SYNDEX_TOOLS_SYNDEX_PROGRESS_H_
#define SYNDEX_TOOLS_SYNDEX_PROGRESS_H_

#include "engine/util/progress.h"

namespace syndex {

// A progress display on standard error ("minhash  41000/100000  12034/s
// ETA 4s"), redrawn in place, with a final line per stage. Empty (no
// display) when `quiet` or when standard error is not a terminal.
ProgressFn TerminalProgress(bool quiet);

}  // namespace syndex

#endif  // SYNDEX_TOOLS_SYNDEX_PROGRESS_H_
