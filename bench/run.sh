#!/usr/bin/env bash
# Per-stage benchmark of the seed request and the showcase requests
# (docs/demo.md) on the demo at scale 1 (about a million events) and at
# scale 10, each against DuckDB alone on the same file (the limit), and
# each answered again as a cached repeat.
#   SCALES="1" to skip scale 10 (its file is ~220 MB); SEED_ONLY=1 for the
#   seed request alone; RUNS=N runs per request (50); extra arguments go to
#   stage_bench.
set -euo pipefail
cd "$(dirname "$0")/.."
build/dpgen demo >/dev/null 2>&1 || true
requests=("Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.")
if [ -z "${SEED_ONLY:-}" ]; then
  requests+=("Daily sales by region and product category"
    "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support tickets and average satisfaction"
    "Recommendation features per user and product: views, clicks, add to carts, purchases and average rating")
fi
for s in ${SCALES:-1 10}; do
  db=build/demo/demo.duckdb
  if [ "$s" != 1 ]; then
    db=build/demo/demo-scale$s.duckdb
    [ -f "$db" ] || build/dpgen demo --scale "$s" --out "$db" >/dev/null
  fi
  for req in "${requests[@]}"; do
    echo "== demo at scale $s ($db)"
    DPGEN_DEMO_DB=$db build/bench/stage_bench -n "${RUNS:-50}" "$@" "$req"
  done
done
