#!/usr/bin/env bash
# A table that never stored a row is profiled from DuckDB's own row count,
# read with the database's catalog, without a statement (issue 13, item 6):
# its profile must be the one a query gives (the view over it is profiled
# by queries), and once rows are written the count and profile follow. Two
# models on one table share its profile but not their foreign keys' counts.
# Catalog: tests/data/empty (data.sql, models.yml).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/empty"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/e.duckdb" 2>/dev/null || { bad "build db"; finish; exit 1; }
C=(--db "$WORK/e.duckdb" --models "$D/models.yml")
# prof NAME: the dataset's profile as one JSON line, names of its own aside
prof() {
  "$DPGEN" catalog show "$1" "${C[@]}" --format json | python3 -c "
import json,sys; d=json.load(sys.stdin)
for k in ('dataset','table','description','joins','used_by'): d.pop(k,None)
print(json.dumps(d, sort_keys=True))"
}
t=$(prof items) v=$(prof items_v)
[ -n "$t" ] && [ "$t" = "$v" ] && ok "the empty table's profile is the query's (the view's)" ||
  bad "table $t / view $v"
case "$t" in *'"rows": 0'*) ok "rows 0" ;; *) bad "rows: $t" ;; esac
# the same again from the cache
[ "$(prof items)" = "$t" ] && ok "the cached profile is the same" || bad "cached: $(prof items)"

# rows written (a new database file): the count follows, no stale zero
{ cat "$D/data.sql"; echo "INSERT INTO raw.items VALUES (7, 3, 'x', 2.5, DATE '2025-01-02');"; } >"$WORK/more.sql"
rm -f "$WORK/e.duckdb"
"$DPGEN" demo --sql "$WORK/more.sql" --out "$WORK/e.duckdb" 2>/dev/null || bad "rebuild db"
t=$(prof items) v=$(prof items_v)
[ "$t" = "$v" ] && ok "with a row: table and view agree" || bad "table $t / view $v"
case "$t" in *'"orphan_keys": 1'*'"rows": 1'*) ok "rows 1, the orphan key found" ;; *) bad "with a row: $t" ;; esac
# a second model on the same table (profiled once, shared): the same columns, rows and keys, but
# no orphan count (having no foreign key) nor freshness (no time dimension)
a=$(prof items_again)
strip() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); d.pop('orphan_keys'); d.pop('quality'); d.pop('freshest'); print(json.dumps(d, sort_keys=True))" "$1"; }
[ -n "$a" ] && [ "$(strip "$a")" = "$(strip "$t")" ] && ok "a model on the same table has the table's profile" ||
  bad "items_again $a / items $t"
case "$a" in *'"orphan_keys": 0'*) ok "and its own (no) orphan keys" ;; *) bad "items_again orphans: $a" ;; esac
finish
