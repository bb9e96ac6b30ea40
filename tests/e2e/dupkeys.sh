#!/usr/bin/env bash
# A dataset joined for its dimensions whose key repeats (the wide catalog's
# stores: store 2 twice alike, store 3 twice with different names and one
# region) must not multiply the measured rows: it is joined one row per key,
# a dimension whose rows disagree for a key is NULL for it, and every total
# equals the facts' own (49.709).
. "$(dirname "$0")/lib.inc"
S=$DP_SOURCE_DIR
"$DPGEN" demo --sql "$S/tests/data/wide/data.sql" --out "$WORK/w.duckdb" >/dev/null 2>&1 || { bad "build"; finish; exit 1; }
check() { # request, expected rows as python literal (asked columns)
  local req=$1 want=$2
  "$DPGEN" generate --no-record --as-of 2025-07-16 --columns asked --db "$WORK/w.duckdb" --models "$S/tests/data/wide" \
    --format json "$req" >"$WORK/o.json" 2>"$WORK/e.txt" || { bad "$req: exit $? $(head -c 300 "$WORK/e.txt")"; return; }
  python3 - "$WORK/o.json" "$want" <<'PY' && ok "$req" || bad "$req"
import ast, json, sys
d = json.load(open(sys.argv[1]))
got = [tuple(r.values()) for r in d["transformation"]["test_run"]["sample_rows"]]
want = ast.literal_eval(sys.argv[2])
if sorted(map(str, got)) != sorted(map(str, want)):
    print("got ", got); print("want", want); sys.exit(1)
PY
}
check "sales by region" "[('east','22.500'),('north','15.625'),('south','8.251'),(None,'3.333')]"
check "sales by store_name" "[('North Store','15.625'),('South Store','8.251'),(None,'25.833')]"
check "sales by store with store name" "[('1','North Store','15.625'),('2','South Store','8.251'),('3',None,'22.500'),('4',None,'3.333')]"
check "sales by store" "[('1','15.625'),('2','8.251'),('3','22.500'),('4','3.333')]"
finish
