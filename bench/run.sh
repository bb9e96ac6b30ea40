#!/usr/bin/env bash
# Per-stage benchmark of the seed request on the demo at scale 1 (about a
# million events) and at scale 10, each against DuckDB alone on the same
# file (the limit). SCALES="1" to skip scale 10 (its file is ~220 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
build/dpgen demo >/dev/null 2>&1 || true
for s in ${SCALES:-1 10}; do
  db=build/demo/demo.duckdb
  if [ "$s" != 1 ]; then
    db=build/demo/demo-scale$s.duckdb
    [ -f "$db" ] || build/dpgen demo --scale "$s" --out "$db" >/dev/null
  fi
  echo "== demo at scale $s ($db)"
  DPGEN_DEMO_DB=$db build/bench/stage_bench -n "${RUNS:-50}" "$@"
done
