#!/usr/bin/env bash
# The exports of --dialect postgres on PostgreSQL (issue 12): the product
# built from the spec's PostgreSQL SQL, then every statement of
# sql/assertions.sql and every GX expectation (translated to SQL) find the
# failing rows the spec recorded, and every assertion on the product fails
# once its table is dropped (pg_exports.py). The server is started as in
# pg_parity.sh: initdb into a temporary folder, unix socket only, always
# stopped on exit. Without PostgreSQL's server binaries: skipped (exit 77).
. "$(dirname "$0")/lib.inc"
HERE=$(cd "$(dirname "$0")" && pwd)

PG_MISSING=skip
. "$HERE/pg_server.inc"

# In the background, so that a signal to this script stops the server at once.
python3 "$HERE/pg_exports.py" --dpgen "$DPGEN" --work "$WORK" --psql "$PGBIN/psql" --host "$PGDIR" --port "$PGPORT" \
  --user "$PGUSER_NAME" --source "$DP_SOURCE_DIR" &
HELPER=$!
wait "$HELPER"
HELPER=
if [ -f "$WORK/counts" ]; then
  read -r p f <"$WORK/counts"
  passes=$((passes + p))
  fails=$((fails + f))
else
  bad "pg_exports.py ended without counts"
fi
finish
