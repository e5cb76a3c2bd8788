#!/usr/bin/env bash
# Regenerates the index-reader fuzz seeds (tests/fuzz/corpus/
# index_reader_fuzzer/) with this build's syndex binary and fuzz_seed_tool,
# from the bundled sample corpus. Run it whenever the index format changes
# (format version, normalizer version, hash family, any section's layout):
# index_seeds_test fails on seeds this build refuses as stale.
# tests/fuzz/corpus/README.md lists the seeds.
# Usage: scripts/make_fuzz_seeds.sh [BUILD_DIR]   (default: build; it must
# be configured; syndex and fuzz_seed_tool are built there first).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "${build}" --target syndex fuzz_seed_tool -j"${JOBS:-2}" \
  >/dev/null
syndex="${build}/bin/syndex"
tool="${build}/tests/fuzz_seed_tool"
out=tests/fuzz/corpus/index_reader_fuzzer
sample=datasets/sample/news.jsonl
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# The live data file of index directory $1.
data_file() { echo "$1/$(cat "$1/CURRENT")"; }
# syndex VERB --index $work/$1 ARGS...
run() {
  local verb="$1" name="$2"
  shift 2
  "${syndex}" "${verb}" --index "${work}/${name}" --threads 1 --quiet "$@" \
    >/dev/null
}
# Copies index $1's data file to seed $2.
keep() { cp "$(data_file "${work}/$1")" "${out}/$2"; }
# The sample's lines $1..$2 (1-based, inclusive).
lines() { sed -n "$1,$2p" "${sample}" >"${work}/$3"; }

rm -f "${out}"/*

: >"${work}/none.jsonl"
run index empty "${work}/none.jsonl"
keep empty empty.sdx

lines 1 1 one.jsonl
run index one --dims 8 "${work}/one.jsonl"
keep one one_article.sdx

# s01-a and its syndicated copy s01-b.
lines 1 2 two.jsonl
run index two --dims 8 "${work}/two.jsonl"
keep two two_articles.sdx

# Two dozen articles (stories port-strike, flood-draymoor, rate-decision),
# flat vector store. 8 dimensions keep every seed small (the projection
# holds a row of floats per term).
lines 1 24 dozens.jsonl
run index flat --dims 8 "${work}/dozens.jsonl"
keep flat sample_flat.sdx

# The same in an IVF vector store.
"${tool}" ivf-index "${work}/ivf" 8 "${work}/dozens.jsonl"
keep ivf sample_ivf.sdx

# 8 articles, then 16 more: a grown vocabulary and, at three times the
# size it was trained at, a retrained projection.
lines 1 8 first.jsonl
lines 9 24 rest.jsonl
run index added --dims 8 "${work}/first.jsonl"
run add added "${work}/rest.jsonl"
keep added sample_added.sdx

# Articles removed without compaction: terms of document frequency 0.
run index removed --dims 8 "${work}/dozens.jsonl"
run remove removed --id s01-a --id s01-j --id s02-c --id s03-f
keep removed sample_removed.sdx

# Parameters other than the defaults, on the first 8 articles.
run index params --shingle-size 3 --num-perm 16 --lsh-threshold 0.7 \
  --dims 4 "${work}/first.jsonl"
keep params small_params.sdx

# The LSH-bands overflow once found by the fuzzer: 5 x 1392508929 wraps in
# 32-bit ints to a negative number, below num_perm; ReadParams must refuse
# it as out of range (it multiplies in 64 bits).
"${tool}" set-lsh "${out}/two_articles.sdx" "${out}/regression-lsh-overflow" \
  5 1392508929

ls -l "${out}"
