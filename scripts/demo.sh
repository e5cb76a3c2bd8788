#!/usr/bin/env bash
# Quick start 1: installs what is missing, builds, indexes the bundled sample
# corpus and prints its copy groups, stories and one query, and writes its
# story report to build/sample-report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
index=build/sample.idx
build/bin/syndex index --index "$index" --overwrite datasets/sample/news.jsonl
echo
build/bin/syndex cluster --index "$index"
echo
build/bin/syndex query --index "$index" --id s01-a
echo
build/bin/syndex report --index "$index" --output build/sample-report.html
