# Sourced by sanitize.sh and fuzz.sh: configures build-san/ with clang-14,
# AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer coverage
# instrumentation (fuzzer-no-link: only the fuzz targets link libFuzzer),
# and sets the sanitizers' run-time options.
jobs="${JOBS:-$(nproc)}"
bash scripts/setup.sh --sanitizers
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
flags+=" -fno-sanitize-recover=undefined"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="${flags}" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DSYNDEX_FUZZ=ON -DSYNDEX_BUILD_TESTS=ON -DSYNDEX_BUILD_BENCH=OFF >/dev/null
# The prebuilt FAISS/OpenMP, ICU and Abseil libraries are not instrumented;
# ASan's defaults work with them (docs/RELIABILITY.md). Every leak is
# reported. A process that hits a sanitizer report (ASan, LSan, UBSan)
# exits with code 23, not with 1, which syndex uses for bad input: a CLI
# test that expects exit code 1 fails when the syndex it runs hits a
# report. Options already in the environment come after these and override
# them.
sanitizer_exit=23
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:exitcode=${sanitizer_exit}${ASAN_OPTIONS:+:${ASAN_OPTIONS}}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=${sanitizer_exit}${UBSAN_OPTIONS:+:${UBSAN_OPTIONS}}"
