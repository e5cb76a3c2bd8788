#!/usr/bin/env bash
# Load benchmark of `syndex serve` (docs/BENCHMARKS.md, "HTTP service"):
# wrk against 127.0.0.1 only, each run stopping by itself after --seconds.
#
#   bench/serve/run.sh [--seconds 30] [--articles 100000] [--work DIR]
#
# On a --articles generated index (syndex-gen --seed 7), two phases of
# --seconds each: queries by id (wrk, 8 connections) and by text (2
# connections) alone, then the same while a third wrk posts batches of 25
# new articles (2 connections, each waiting SYNDEX_BENCH_DELAY_MS, default
# 20, between requests). Prints one JSON line per wrk run, the ingestion
# rate (articles added / seconds), the apply and commit times from
# /metrics, and the load average before and after each phase. The corpus,
# the index and the query files are kept in --work (default
# build/serve-bench) for the next run; each run serves a fresh copy of the
# index. BUILD (default build) names the build directory;
# SYNDEX_BENCH_SERVE_FLAGS adds flags to `syndex serve`.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=30
articles=100000
work=build/serve-bench
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --articles) articles="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--articles N] [--work DIR]" >&2; exit 2 ;;
  esac
done
bin="${BUILD:-build}/bin"
port="${SYNDEX_BENCH_PORT:-18765}"
url="http://127.0.0.1:${port}"
here="$(pwd)/bench/serve"
mkdir -p "${work}"

corpus="${work}/corpus-${articles}.jsonl"
index="${work}/index-${articles}"
if [[ ! -f "${corpus}" ]]; then
  "${bin}/syndex-gen" --articles "${articles}" --seed 7 --output "${corpus}"
fi
if [[ ! -s "${work}/ingest.jsonl" ]]; then
  # Other articles under other ids (b... instead of a...).
  "${bin}/syndex-gen" --articles 60000 --seed 8 --output "${work}/ingest.tmp"
  sed 's/^{"id":"a/{"id":"b/' "${work}/ingest.tmp" >"${work}/ingest.jsonl"
  rm "${work}/ingest.tmp"
fi
if [[ ! -s "${work}/queries.jsonl" ]]; then
  "${bin}/syndex-gen" --articles 1000 --seed 9 --output "${work}/queries.tmp"
  /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    a = json.loads(line)
    print(json.dumps({"text": a["text"], "title": a.get("title", "")}))
' "${work}/queries.tmp" >"${work}/queries.jsonl"
  rm "${work}/queries.tmp"
fi
if [[ ! -f "${index}/CURRENT" ]]; then
  "${bin}/syndex" index --quiet --index "${index}" "${corpus}"
fi
rm -rf "${work}/live"
cp -r "${index}" "${work}/live"

# shellcheck disable=SC2086
"${bin}/syndex" serve --index "${work}/live" --listen "127.0.0.1:${port}" \
  ${SYNDEX_BENCH_SERVE_FLAGS:-} >"${work}/serve.out" 2>"${work}/serve.log" &
server=$!
trap 'kill -TERM ${server} 2>/dev/null || true' EXIT
# Up, and the first clustering done (it holds commits back while it runs).
for _ in $(seq 600); do
  if curl -sf "${url}/metrics" 2>/dev/null | grep -q '^syndex_cluster_generation [1-9]'; then
    break
  fi
  sleep 0.5
done

export SYNDEX_BENCH_DIR="${here}" SYNDEX_BENCH_ARTICLES="${articles}"
export SYNDEX_BENCH_QUERIES="${work}/queries.jsonl"
export SYNDEX_BENCH_INGEST="${work}/ingest.jsonl"
export SYNDEX_BENCH_DELAY_MS="${SYNDEX_BENCH_DELAY_MS:-20}"
wrk_run() {  # name script connections
  wrk -t1 -c"$3" -d"${seconds}s" --timeout 10s -s "${here}/$2" "${url}" |
    sed -n "s/^{/{\"run\":\"$1\",/p"
}
articles_now() {
  curl -sf "${url}/healthz" | sed 's/.*"articles":\([0-9]*\).*/\1/'
}

# The first queries build what queries search (LSH tables, key terms, the
# vocabulary's term table for outside texts): not part of the phases.
echo "warm-up: 5 s of queries by id and by text" >&2
wrk -t1 -c8 -d5s --timeout 10s -s "${here}/query_id.lua" "${url}" >/dev/null &
warm_pid=$!
wrk -t1 -c2 -d5s --timeout 10s -s "${here}/query_text.lua" "${url}" >/dev/null
wait ${warm_pid}  # Not a bare wait: the server is a child too.

echo "{\"phase\":\"queries\",\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
wrk_run by_id query_id.lua 8 &
id_pid=$!
wrk_run by_text query_text.lua 2
wait ${id_pid}
echo "{\"phase\":\"queries\",\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"

before=$(articles_now)
echo "{\"phase\":\"queries+ingestion\",\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"articles\":${before}}"
wrk_run by_id_ingesting query_id.lua 8 &
id_pid=$!
wrk_run by_text_ingesting query_text.lua 2 &
text_pid=$!
wrk_run ingest ingest.lua 2
wait ${id_pid} ${text_pid}
after=$(articles_now)
echo "{\"phase\":\"queries+ingestion\",\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"articles\":${after},\"ingested_per_second\":$(( (after - before) / seconds ))}"

curl -sf "${url}/metrics" | /usr/bin/python3 -c '
import json, sys
hist = {}
for line in sys.stdin:
    for name in ("syndex_apply_duration_seconds", "syndex_commit_duration_seconds", "syndex_cluster_duration_seconds"):
        if line.startswith(name + "_bucket"):
            le = line.split("le=\"")[1].split("\"")[0]
            hist.setdefault(name, []).append((float(le), int(line.split()[-1])))
        elif line.startswith(name + "_sum"):
            hist.setdefault(name + "_sum", float(line.split()[-1]))
        elif line.startswith(name + "_count"):
            hist.setdefault(name + "_count", int(line.split()[-1]))
out = {}
for name in ("syndex_apply_duration_seconds", "syndex_commit_duration_seconds", "syndex_cluster_duration_seconds"):
    buckets, count = hist[name], hist[name + "_count"]
    def upper(q):
        for le, c in buckets:
            if c >= q * count:
                return le * 1e3
    out[name] = {"count": count,
                 "mean_ms": round(1e3 * hist[name + "_sum"] / max(count, 1), 3),
                 "p50_at_most_ms": upper(0.5), "p99_at_most_ms": upper(0.99)}
print(json.dumps(out))
'
kill -TERM ${server}
wait ${server} || true
trap - EXIT
grep -c ' 200 ' "${work}/serve.log" | sed 's/^/{"log_lines_200":/; s/$/}/'
