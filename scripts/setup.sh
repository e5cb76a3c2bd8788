#!/usr/bin/env bash
# Installs the Debian 12 packages syndex needs to build, test and run; with
# --sanitizers also clang and its sanitizer and libFuzzer run-times
# (scripts/sanitize.sh, scripts/fuzz.sh).
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config python3
  libabsl-dev libfaiss-dev libeigen3-dev libsimdjson-dev libicu-dev
  libxxhash-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
  # FAISS is linked against the generic BLAS interface; OpenBLAS makes its
  # training, adds and batch searches 18-20x faster than the reference BLAS.
  libopenblas0-pthread libopenblas-dev
  # Headless Chromium renders the story report in its test (tests/cli).
  chromium
  # syndex serve's HTTP layer, and the load generator of its benchmark
  # (bench/serve/run.sh).
  libcpp-httplib-dev wrk
  # The Python module (python/) and the Dask job, for Debian's python3.
  python3-dev pybind11-dev python3-numpy python3-pytest python3-dask
  python3-distributed
)
if [ "${1:-}" = "--sanitizers" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
