#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang-14, AddressSanitizer
# and UndefinedBehaviorSanitizer into build-san/ (shared with scripts/sanitize.sh), then runs each for
# FUZZ_SECONDS (default 60) seconds on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/; the seeds themselves are never modified).
# Exits non-zero if any target finds a crash, sanitizer report, leak, timeout
# or out-of-memory; the reproducer is left in build-san/artifacts/.
# Usage: scripts/fuzz.sh [target...]   (default: all four)
# JOBS (default: nproc) sets build parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(jsonl_reader_fuzzer normalize_fuzzer index_reader_fuzzer
           request_body_fuzzer)
fi
source scripts/sanitized_build.sh
cmake --build build-san --target "${targets[@]}" -j"${jobs}"

mkdir -p build-san/artifacts
status=0
for target in "${targets[@]}"; do
  work="build-san/corpus-run/${target}"
  rm -rf "${work}"
  mkdir -p "${work}"
  cp tests/fuzz/corpus/"${target}"/* "${work}"/
  log="build-san/${target}.log"
  echo "== ${target}: ${seconds} s (log: ${log})"
  if build-san/fuzz/"${target}" -max_total_time="${seconds}" -timeout=30 \
      -print_final_stats=1 -artifact_prefix=build-san/artifacts/"${target}"- \
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
