#!/usr/bin/env bash
# Configures and builds syndex into build/ (binaries in build/bin/).
# Extra arguments go to CMake's configure step, e.g. -DSYNDEX_NATIVE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$(nproc)"
