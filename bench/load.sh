#!/usr/bin/env bash
# Load on dpgen serve (demo, scale 1 unless DPGEN_DEMO_DB says otherwise):
# the seed request run fresh and a mix (showcase requests, a clarification,
# cached repeats), with 1, 8 and 64 connections, then the server's RSS after
# 1k and after 100k requests (REQUESTS_LONG, default 100000). The server runs
# with its default run slots (2 per core) and a queue that holds every client.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build/bench/load
state=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$state"' EXIT
build/dpgen demo >/dev/null 2>&1 || true
DPGEN_STATE_DIR=$state build/dpgen serve --listen 127.0.0.1:0 --queue 256 >"$state/out" 2>/dev/null &
pid=$!
for _ in $(seq 300); do grep -q listening "$state/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$state/out")
until curl -sf "$url/readyz" >/dev/null; do sleep 0.2; done
"$B" "$url/v1/data-products" bench/load/seed.jsonl -c 1 -n 20 >/dev/null # warm DuckDB and the caches
for c in 1 8 64; do
  echo "seed, fresh, $c connection(s):"
  "$B" "$url/v1/data-products" bench/load/seed.jsonl -c "$c" -n $((c < 8 ? 50 : 200)) --pid "$pid"
  echo "mix, $c connection(s):"
  "$B" "$url/v1/data-products" bench/load/mix.jsonl -c "$c" -n $((c < 8 ? 80 : 400)) --pid "$pid"
done
echo "RSS over many requests (the mix, 64 connections):"
"$B" "$url/v1/data-products" bench/load/mix.jsonl -c 64 -n 1000 --pid "$pid"
"$B" "$url/v1/data-products" bench/load/mix.jsonl -c 64 -n "${REQUESTS_LONG:-100000}" --pid "$pid"
