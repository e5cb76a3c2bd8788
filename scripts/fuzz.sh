#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang-14, AddressSanitizer
# and UndefinedBehaviorSanitizer into build-fuzz/, then runs each for
# FUZZ_SECONDS (default 60) seconds on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/; the seeds themselves are never modified).
# Exits non-zero if any target finds a crash, sanitizer report, leak, timeout
# or out-of-memory; the reproducer is left in build-fuzz/artifacts/.
# Usage: scripts/fuzz.sh [target...]   (default: all three)
# JOBS (default: nproc) sets build parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
jobs="${JOBS:-$(nproc)}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(jsonl_reader_fuzzer normalize_fuzzer index_reader_fuzzer)
fi

# Every library in this build is instrumented for coverage
# (fuzzer-no-link) and sanitized; only the fuzz targets link libFuzzer.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
flags+=" -fno-sanitize-recover=undefined"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="${flags}" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DSYNDEX_FUZZ=ON -DSYNDEX_BUILD_TESTS=ON -DSYNDEX_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz --target "${targets[@]}" -j"${jobs}"

# The prebuilt FAISS/OpenMP and ICU libraries are not instrumented; ASan's
# defaults work with them (see docs/RELIABILITY.md). Leak detection stays on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p build-fuzz/artifacts
status=0
for target in "${targets[@]}"; do
  work="build-fuzz/corpus-run/${target}"
  rm -rf "${work}"
  mkdir -p "${work}"
  cp tests/fuzz/corpus/"${target}"/* "${work}"/
  log="build-fuzz/${target}.log"
  echo "== ${target}: ${seconds} s (log: ${log})"
  if build-fuzz/fuzz/"${target}" -max_total_time="${seconds}" -timeout=30 \
      -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/"${target}"- \
      "${work}" >"${log}" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' \
      "${log}" || true
  else
    status=1
    echo "FAILED: ${target}; last lines of ${log}:"
    tail -n 40 "${log}"
  fi
done
exit "${status}"
