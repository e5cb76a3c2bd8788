#!/usr/bin/env bash
# Prints the quality figures that README.md and docs/QUALITY.md quote, one
# `name value` a line: the bundled sample, the ECB+ development split (with
# the story-threshold sweep) and a generated corpus of 10,000 articles, each
# indexed, clustered and scored by `syndex eval` in a temporary directory.
#   bash scripts/figures.sh [BIN_DIR]      (default build/bin)
# The ECB+ folder is $SYNDEX_ECBPLUS_DIR, default ../shared/data/ecbplus-dev
# from the repository root; without it its figures are left out and the
# exit code is 3. tests/docs/check_figures.py compares the documents with
# this output.
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/figures.py" "$@"
