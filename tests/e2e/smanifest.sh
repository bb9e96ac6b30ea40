#!/usr/bin/env bash
# dbt's semantic manifest (--manifest) against its YAML twin: every request
# must give the same exit, the same SQL and the same rows from both
# catalogs; a malformed manifest names the JSON path of what is wrong.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/s.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
cat > "$WORK/requests.txt" <<'REQ'
monthly revenue
revenue by region
aov by region
large paid orders by month
median order amount by device
90th percentile order amount by month
paid order share by month
revenue growth by month
cumulative revenue by month
weekly rolling 7 day visits
revenue month to date by month
visits by device
average amount by status
customers by region
orders by customer region and device
visit to order conversion rate by month
total balance by month
revenue at month start by month
orders per day including empty days in March 2025
orders by tier
REQ
python3 - "$DPGEN" "$WORK/s.duckdb" "$D" "$WORK/requests.txt" <<'PY' || bad "manifest and YAML twin disagree"
import json, subprocess, sys
dpgen, db, d, reqs = sys.argv[1:5]
def run(cat, req):
    r = subprocess.run([dpgen, "generate", "--db", db] + cat + ["--as-of", "2025-07-16", "--no-record", "--format", "json", req],
                       capture_output=True, text=True)
    out = None
    if r.returncode == 0:
        s = json.loads(r.stdout)
        t = s["transformation"]
        out = (t["sql"], t["test_run"]["rows"], t["test_run"]["sample_rows"], s["intent"], t["test_run"]["warnings"])
    elif r.returncode == 3:
        out = r.stderr.strip()
    return r.returncode, out
fails = answered = 0
for req in open(reqs).read().splitlines():
    a = run(["--models", d + "/models"], req)
    b = run(["--manifest", d + "/semantic_manifest.json"], req)
    same = a == b and a[0] in (0, 3)
    answered += a[0] == 0
    print(("ok  " if same else "FAIL"), req, "(exit %d)" % a[0] if same else "yaml %s / manifest %s" % (a, b))
    fails += not same
print("answered", answered)
sys.exit(1 if fails or answered < 12 else 0)
PY
[ $fails -eq 0 ] && ok "manifest and YAML twin give the same SQL and rows"

# the relation comes from node_relation: the decoy schema raw has a table
# orders too, so a bare ref would be ambiguous
expect_rc 0 "node_relation binds shop.orders beside raw.orders" -- \
  "$DPGEN" catalog show orders --db "$WORK/s.duckdb" --manifest "$D/semantic_manifest.json" --no-record
grep -q "shop.orders" "$WORK/out" && ok "bound to shop.orders" || bad "not bound to shop.orders: $(head -5 "$WORK/out")"

# a metric's position is the manifest and its JSON path
expect_rc 0 "generate from the manifest" -- "$DPGEN" generate --db "$WORK/s.duckdb" --manifest "$D/semantic_manifest.json" \
  --no-record --format json "monthly revenue"
# relative to the manifest's folder: no path of this machine in the spec
grep -q '"defined_in": "semantic_manifest.json:metrics\[0\]"' "$WORK/out" && ok "defined_in names metrics[0]" \
  || bad "defined_in: $(grep defined_in "$WORK/out")"

# --manifest wins over --models (here another catalog altogether)
expect_rc 0 "--manifest with --models" -- "$DPGEN" generate --db "$WORK/s.duckdb" --models "$DP_SOURCE_DIR/tests/data/compiler" \
  --manifest "$D/semantic_manifest.json" --no-record --format json "monthly revenue"
grep -q "FROM shop.orders" "$WORK/out" && ok "the manifest's catalog answered" || bad "not from the manifest: $(head -c 300 "$WORK/out")"
expect_rc 1 "--manifest without --db" -- "$DPGEN" catalog list --manifest "$D/semantic_manifest.json" --no-record
grep -q "give --db with --manifest" "$WORK/err" && ok "says to give --db" || bad "$(cat "$WORK/err")"

# malformed manifests: exit 1, the file and the JSON path in the message
bad_manifest() { # NAME PYTHON-EDIT EXPECTED-SUBSTRING
  python3 - "$D/semantic_manifest.json" "$WORK/$1.json" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(m, open(sys.argv[2], "w"))
PY
  expect_rc 1 "$1" -- "$DPGEN" catalog list --db "$WORK/s.duckdb" --manifest "$WORK/$1.json" --no-record
  grep -qF -- "$3" "$WORK/err" && ok "$1 names $3" || bad "$1: want '$3' in: $(cat "$WORK/err")"
}
bad_manifest agg_type 'm["semantic_models"][1]["measures"][2]["agg"] = 7' \
  "agg_type.json: semantic_models[1].measures[2].agg: must be text"
bad_manifest agg_name 'm["semantic_models"][1]["measures"][2]["agg"] = "summ"' \
  "semantic_models[1].measures[2].agg: unknown agg 'summ'"
bad_manifest window 'm["metrics"][7]["type_params"]["metrics"][1]["offset_window"] = {"count": "one", "granularity": "month"}' \
  "metrics[7].type_params.metrics[1].offset_window.count: must be an integer"
bad_manifest where 'm["metrics"][2]["filter"]["where_filters"][1] = 3' \
  "metrics[2].filter.where_filters[1]: must be a where filter"
bad_manifest relation 'del m["semantic_models"][0]["node_relation"]["schema_name"]' \
  "semantic_models[0].node_relation.schema_name: is missing"
bad_manifest validity 'm["semantic_models"][4]["dimensions"][1]["type_params"]["validity_params"]["is_start"] = "yes"' \
  "semantic_models[4].dimensions[1].type_params.validity_params.is_start: must be true or false"
bad_manifest spine 'm["project_configuration"]["time_spines"][0]["custom_granularities"] = {}' \
  "project_configuration.time_spines[0].custom_granularities: must be a list"
bad_manifest saved 'm["saved_queries"][0]["query_params"]["group_by"] = ["ok", 1]' \
  "saved_queries[0].query_params.group_by[1]: must be text"
printf '{"semantic_models": [' > "$WORK/trunc.json"
expect_rc 1 "truncated JSON" -- "$DPGEN" catalog list --db "$WORK/s.duckdb" --manifest "$WORK/trunc.json" --no-record
grep -q "trunc.json:1:.*not valid JSON" "$WORK/err" && ok "truncated JSON has a line and column" || bad "truncated: $(cat "$WORK/err")"
expect_rc 1 "missing manifest" -- "$DPGEN" catalog list --db "$WORK/s.duckdb" --manifest "$WORK/none.json" --no-record
# unknown fields are ignored (a newer dbt)
python3 -c "
import json,sys
m=json.load(open('$D/semantic_manifest.json'))
m['future_field']={'x':1}; m['semantic_models'][0]['future']=[1,2]; m['metrics'][0]['type_params']['future']=None
json.dump(m,open('$WORK/future.json','w'))"
expect_rc 0 "unknown fields are ignored" -- "$DPGEN" catalog list --db "$WORK/s.duckdb" --manifest "$WORK/future.json" --no-record
finish
