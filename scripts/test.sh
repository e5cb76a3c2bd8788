#!/usr/bin/env bash
# Quick start 2: installs what is missing, builds, and runs every test
# (ctest, then pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
# The Python module and the Dask job (tests/python), with Debian's Python.
PYTHONPATH=build/python SYNDEX_BIN_DIR=build/bin \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python
