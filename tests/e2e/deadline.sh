#!/usr/bin/env bash
# --timeout SECONDS is the whole run's budget for the test run and the
# quality checks (not a limit per statement), --memory-limit SIZE sets
# DuckDB's; both are validated, and a run over its budget fails saying
# which limit it hit and how to raise it.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.2 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
REQ="Daily sales by region and product category"
G=("$DPGEN" generate --no-record --as-of 2025-07-16)

expect_rc 0 "a generous budget" -- "${G[@]}" --timeout 600 --memory-limit 1GB "$REQ"
expect_rc 1 "a 1 ms budget for the whole run" -- "${G[@]}" --timeout 0.001 "$REQ"
grep -q "time limit" "$WORK/err" && grep -q -- "--timeout" "$WORK/err" &&
  ok "the message names the limit and how to raise it" || bad "message: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] && ok "no spec is printed for a run over its budget" || bad "a spec was printed"
for v in 0 -1 abc 1e9 ""; do
  expect_rc 2 "--timeout '$v' is refused" -- "${G[@]}" --timeout "$v" "$REQ"
done
for v in lots "1GB; SET x=1" "" GB 2XB; do
  expect_rc 2 "--memory-limit '$v' is refused" -- "${G[@]}" --memory-limit "$v" "$REQ"
done
expect_rc 0 "--memory-limit 512MB" -- "${G[@]}" --memory-limit 512MB "$REQ"
finish
