#!/usr/bin/env bash
# Builds the whole project and every test with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-san/ and runs the tests with ctest.
# The same build holds the libFuzzer targets (tests/fuzz/), which
# scripts/fuzz.sh runs, so CI compiles the sanitized tree once.
# Any sanitizer report fails the run: ASan stops at the first error and
# -fno-sanitize-recover=undefined makes every UBSan finding fatal.
# Extra arguments go to ctest, e.g. -R Index. JOBS (default: nproc) sets
# build and test parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitized_build.sh
cmake --build build-san -j"${jobs}"
# Two tests hold figures of the release (gcc) build and are left to
# scripts/test.sh: docs_figures (the documents quote the release build's
# figures; clang may sum the LSA vectors in another order) and
# GeneratorDefaultStyleTest (golden hashes of syndex-gen's output, which
# differs between gcc and clang builds).
ctest --test-dir build-san --output-on-failure -j"${jobs}" \
  -E '^(docs_figures|GeneratorDefaultStyleTest\..*)$' "$@"
