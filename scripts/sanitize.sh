#!/usr/bin/env bash
# Builds every test with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ and runs them with ctest. Any sanitizer report fails the run:
# ASan aborts on the first error and -fno-sanitize-recover=undefined makes
# every UBSan finding fatal. Extra arguments go to ctest, e.g. -R Index.
# JOBS (default: nproc) sets build and test parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${JOBS:-$(nproc)}"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="${flags}" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DSYNDEX_BUILD_BENCH=OFF -DSYNDEX_BUILD_TESTS=ON >/dev/null
cmake --build build-asan -j"${jobs}"
# detect_leaks stays on; halt_on_error makes the first report fail the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir build-asan --output-on-failure -j"${jobs}" "$@"
