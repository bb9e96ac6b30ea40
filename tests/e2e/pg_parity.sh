#!/usr/bin/env bash
# PostgreSQL parity (issue 5): every benchmark case that expects an answer is
# generated with --dialect postgres; its PostgreSQL SQL runs on a private
# PostgreSQL server loaded with the domain's bronze tables, its DuckDB SQL on
# the domain's DuckDB file, and both must return the same rows.
# The server: initdb into a temporary folder, unix socket only (no TCP), run
# as a non-root user when the test runs as root, always stopped on exit.
# Skips (exit 0) only when ../shared/bench is absent; fails when PostgreSQL's
# server binaries are missing (scripts/deps.sh installs the postgresql package;
# PG_BINDIR=/path overrides where they are looked for).
. "$(dirname "$0")/lib.inc"
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH="$DP_SOURCE_DIR/../shared/bench"
if [ ! -f "$BENCH/cases.yml" ] || [ ! -d "$BENCH/domains" ]; then
  echo "skip: no benchmark at $BENCH (cases.yml and domains/)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi

. "$HERE/pg_server.inc"

# In the background, so that a signal to this script stops the server at once.
python3 "$HERE/pg_parity.py" --dpgen "$DPGEN" --bench "$BENCH" --work "$WORK" --psql "$PGBIN/psql" \
  --host "$PGDIR" --port "$PGPORT" --user "$PGUSER_NAME" \
  --demo --catalogs "$DP_SOURCE_DIR/tests/data/hr" "$DP_SOURCE_DIR/tests/data/logistics" \
  "$DP_SOURCE_DIR/tests/data/keywords" "$DP_SOURCE_DIR/tests/data/compiler" "$DP_SOURCE_DIR/tests/data/mfspec_conv" \
  "$DP_SOURCE_DIR/tests/data/mfspec_scd" "$DP_SOURCE_DIR/tests/data/mfspec_time" \
  "$DP_SOURCE_DIR/tests/data/joins" &
HELPER=$!
wait "$HELPER"
HELPER=
if [ -f "$WORK/counts" ]; then
  read -r p f <"$WORK/counts"
  passes=$((passes + p))
  fails=$((fails + f))
else
  bad "pg_parity.py ended without counts"
fi
finish
