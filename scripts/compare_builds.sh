#!/usr/bin/env bash
# Compares the machine-readable output of two builds of `syndex`:
# `cluster --json`, `query --json` (every stored article by id, and every
# article of the corpus as an outside query) and `stats --json` (without
# the data file's path), on the bundled sample and, when present, on the
# ECB+ development split. Exits 1 at the first difference and shows it.
#
# Usage: scripts/compare_builds.sh OLD_BIN_DIR NEW_BIN_DIR [CORPUS.jsonl...]
# With no corpus: datasets/sample/news.jsonl and
# ../shared/data/ecbplus-dev/articles.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 ]]; then
  echo "usage: $0 OLD_BIN_DIR NEW_BIN_DIR [CORPUS.jsonl...]" >&2
  exit 2
fi
old="$1"
new="$2"
shift 2
corpora=("$@")
if [[ ${#corpora[@]} -eq 0 ]]; then
  corpora=(datasets/sample/news.jsonl)
  ecb=../shared/data/ecbplus-dev/articles.jsonl
  [[ -f "${ecb}" ]] && corpora+=("${ecb}")
fi
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# Writes every output of build $1 on corpus $2 into folder $3.
outputs() {
  local bin="$1" corpus="$2" out="$3"
  mkdir -p "${out}"
  "${bin}/syndex" index --quiet --index "${out}/idx" "${corpus}" >/dev/null
  "${bin}/syndex" cluster --quiet --index "${out}/idx" --json >"${out}/cluster"
  "${bin}/syndex" stats --index "${out}/idx" --json |
    sed 's/"data_file":"[^"]*",//' >"${out}/stats"
  /usr/bin/python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip(): print(json.loads(line)["id"])' "${corpus}" >"${out}/ids"
  : >"${out}/query-id"
  while IFS= read -r id; do
    "${bin}/syndex" query --index "${out}/idx" --id "${id}" --json \
      >>"${out}/query-id"
  done <"${out}/ids"
  "${bin}/syndex" query --index "${out}/idx" --queries "${corpus}" --json \
    >"${out}/query-file"
  rm -rf "${out}/idx" "${out}/ids"
}

status=0
for corpus in "${corpora[@]}"; do
  name="$(basename "${corpus}" .jsonl)"
  outputs "${old}" "${corpus}" "${work}/old-${name}"
  outputs "${new}" "${corpus}" "${work}/new-${name}"
  for f in cluster stats query-id query-file; do
    if cmp -s "${work}/old-${name}/${f}" "${work}/new-${name}/${f}"; then
      echo "same: ${name} ${f} ($(wc -l <"${work}/new-${name}/${f}") lines)"
    else
      echo "DIFFERENT: ${name} ${f}"
      diff "${work}/old-${name}/${f}" "${work}/new-${name}/${f}" | head -n 10
      status=1
    fi
  done
done
exit "${status}"
