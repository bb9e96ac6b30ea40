#!/usr/bin/env bash
# Hostile inputs to the command line: a FIFO as --db (or as any catalog
# file) is refused at once (not a hang), and a request's or an option's control bytes (ESC[31m, a newline)
# never reach the terminal raw: stderr and stdout carry them escaped.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
MODELS="$DP_SOURCE_DIR/catalog/demo/semantic_models.yml"

mkfifo "$WORK/fifo"
timeout 20 "$DPGEN" generate --db "$WORK/fifo" --models "$MODELS" "daily spend" >"$WORK/out" 2>"$WORK/err"
rc=$?
if [ "$rc" != 124 ] && [ "$rc" != 0 ] && grep -q "not a regular file" "$WORK/err"; then
  ok "a FIFO as --db is refused (exit $rc)"
else
  bad "a FIFO as --db: exit $rc: $(head -c 300 "$WORK/err")"
fi
# the same FIFO as the models, a glossary or a dbt manifest: refused, not read
for opt in "--models $WORK/fifo" "--glossary $WORK/fifo" "--manifest $WORK/fifo"; do
  timeout 20 "$DPGEN" generate --db "$WORK/demo.duckdb" --models "$MODELS" $opt "daily spend" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  if [ "$rc" != 124 ] && [ "$rc" != 0 ] && grep -q "not a regular file" "$WORK/err"; then
    ok "a FIFO as ${opt%% *} is refused (exit $rc)"
  else
    bad "a FIFO as ${opt%% *}: exit $rc: $(head -c 300 "$WORK/err")"
  fi
done

E=$'\e[31mX\ny'
# raw ARGS...: runs dpgen; the output must hold no ESC byte and no line that
# begins with the text after the newline
raw() {
  local what=$1; shift
  "$DPGEN" "$@" >"$WORK/out" 2>"$WORK/err"
  if grep -q $'\e' "$WORK/out" "$WORK/err" || grep -q '^y' "$WORK/out" "$WORK/err"; then
    bad "$what: control bytes reach the terminal: $(cat -v "$WORK/err" | head -c 300)"
  else
    ok "$what: escaped"
  fi
}
raw "request" generate --as-of 2025-07-16 "daily spend on ${E} in May 2025"
raw "request, markdown" generate --as-of 2025-07-16 --format markdown "daily spend on podcast${E} in May 2025"
raw "unknown option" generate "--bogus${E}" "daily spend"
raw "unknown format" generate --format "${E}" "daily spend"
raw "unknown columns" generate --columns "${E}" "daily spend"
raw "bad lineage url" generate --openlineage-url "${E}" "daily spend"
raw "bad --choose" generate --as-of 2025-07-16 --choose "a${E}=b" "daily spend on podcast in May 2025"
raw "saved query" generate --saved-query "${E}"
raw "catalog show" catalog show "${E}"
raw "dimension values" catalog dimension-values "${E}"
raw "unknown catalog command" catalog "${E}"
raw "unknown command" "${E}"
raw "unexpected argument" catalog list "${E}" "more"
raw "missing database" generate --db "/nonexistent${E}" --models "$MODELS" "daily spend"
grep -q '\\x1b\[31mX y' "$WORK/err" && ok "the escape is shown as \\x1b" || bad "no \\x1b in: $(cat -v "$WORK/err")"
finish
