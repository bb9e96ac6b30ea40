#!/usr/bin/env bash
# `generate --out DIR`: for the seed request and the showcase requests the
# spec (validated before it is printed), the Markdown docs, the dbt project,
# the GX suite, the ODCS contract, the Airflow DAG and the SQL assertions
# are written and well formed. (test_exports checks them against the
# official schemas and runs their SQL in DuckDB; when Python has jsonschema
# and PyYAML this script cross-checks the schemas with them too.)
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
SHARED="$DP_SOURCE_DIR/../shared/schemas"
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."

expect_rc 0 "seed spec (json)" -- "$DPGEN" generate --format json "$SEED"
python3 - "$WORK/out" <<'PY' && ok "the spec records its validation" || bad "no validation decision in the spec"
import json, sys
d = json.load(open(sys.argv[1]))
pk = [s for s in d["execution"]["stages"] if s["stage"] == "packaging"][0]
assert "spec validated against dpgen-spec-1.0.json" in pk["decisions"], pk
PY

n=0
for req in "$SEED" \
  "Daily sales by region and product category" \
  "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support tickets and average satisfaction" \
  "Revenue per day by customer region for the app channel in June 2025" \
  "top 10 products by units sold" \
  "Recommendation features per user and product: views, clicks, add to carts, purchases and average rating"; do
  n=$((n + 1))
  out="$WORK/export$n"
  expect_rc 0 "export: $req" -- "$DPGEN" generate --out "$out" "$req"
  grep -q "wrote the spec and exports to $out" "$WORK/err" && ok "export $n: reported" || bad "export $n: no report on stderr"
  cmp -s "$WORK/out" "$out/spec.yaml" && ok "export $n: spec.yaml is the printed spec" || bad "export $n: spec.yaml differs from stdout"
  name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['metadata']['name'])" "$out/spec.json" 2>/dev/null)
  [ -n "$name" ] || { bad "export $n: spec.json unreadable"; continue; }
  for f in spec.yaml spec.json README.md "$name.odcs.yaml" dbt/dbt_project.yml dbt/packages.yml dbt/profiles.yml \
    dbt/macros/generate_schema_name.sql "dbt/models/$name.sql" dbt/models/schema.yml dbt/models/sources.yml \
    "gx/${name}_suite.json" "airflow/${name}_dag.py" sql/assertions.sql; do
    [ -s "$out/$f" ] || bad "export $n: lacks $f"
  done
  ok "export $n: $name has every file"
  python3 - "$out" "$name" "$n" <<'PY' && ok "export $n: files well formed" || bad "export $n: files malformed"
import ast, json, os, re, sys
out, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
spec = json.load(open(f"{out}/spec.json"))
# dbt model: sources through source(), no schema-qualified source table left
sql = open(f"{out}/dbt/models/{name}.sql").read()
assert "{{ source('" in sql, sql[:400]
for d in spec["source_datasets"]:
    if d["table"] in sql:
        assert re.search(r"(FROM|JOIN)\s+" + re.escape(d["table"]) + r"\b", sql) is None, d["table"]
schema_yml = open(f"{out}/dbt/models/schema.yml").read()
assert "enforced: true" in schema_yml and "data_type:" in schema_yml and "version: 2" in schema_yml
assert "dbt-labs/dbt_utils" in open(f"{out}/dbt/packages.yml").read()
# every rule is a dbt test: generic, the contract, or a singular test
tests = os.listdir(f"{out}/dbt/tests") if os.path.isdir(f"{out}/dbt/tests") else []
for t in tests:
    text = open(f"{out}/dbt/tests/{t}").read()
    assert "{{ config(severity='" in text and "'dpgen_rule': 'Q" in text, t
# GX 1.x suite
gx = json.load(open(f"{out}/gx/{name}_suite.json"))
assert gx["name"] and gx["expectations"]
assert all(set(("type", "kwargs", "meta")) <= set(e) for e in gx["expectations"])
# ODCS
odcs = open(f"{out}/{name}.odcs.yaml").read()
for key in ("apiVersion: v3.1.0", "kind: DataContract", "slaProperties:", "servers:", "type: local", "format: parquet", "quality:"):
    assert key in odcs, key
# Airflow: dbt deps, source freshness, then build on the SLA's schedule (dbt_airflow.sh imports it)
dag = open(f"{out}/airflow/{name}_dag.py").read()
ast.parse(dag)
assert f'dbt("dbt_build", "build --select +{name}")' in dag and "dbt_deps >> dbt_source_freshness >> dbt_build" in dag
grain = spec["business_context"]["time_grain"]
want = {"week": 'schedule="0 8 * * 1"', "day": 'schedule="0 5 * * *"', None: "schedule=None"}.get(grain)
assert want is None or want in dag, (grain, re.findall("schedule=.*", dag))
# SQL assertions: one per rule, on the target table
asserts = open(f"{out}/sql/assertions.sql").read()
assert asserts.count("\n-- Q") == len(spec["quality"]["rules"])
assert "dp_result_" not in asserts
readme = open(f"{out}/README.md").read()
for h in ("## Purpose", "## Columns", "## Metric definitions", "## Sources", "## Lineage", "### Column-level lineage",
          "## Quality rules", "## SLA"):
    assert h in readme, h
PY
done

# cross-check with Python's validators when they are installed
if python3 -c "import jsonschema, yaml" 2>/dev/null && [ -d "$SHARED" ]; then
  python3 - "$WORK" "$SHARED" "$DP_SOURCE_DIR/schemas/dpgen-spec-1.0.json" <<'PY' && ok "python jsonschema agrees" || bad "python jsonschema disagrees"
import glob, json, sys, yaml, jsonschema
work, shared, spec_schema = sys.argv[1:4]
spec = json.load(open(spec_schema))
jsonschema.Draft7Validator.check_schema(spec)
v = {"spec": jsonschema.Draft7Validator(spec),
     "odcs": jsonschema.Draft201909Validator(json.load(open(f"{shared}/odcs-json-schema-v3.1.0.json"))),
     "yml": jsonschema.Draft7Validator(json.load(open(f"{shared}/dbt_yml_files-latest.json"))),
     "project": jsonschema.Draft7Validator(json.load(open(f"{shared}/dbt_project-latest.json")))}
bad = []
for out in sorted(glob.glob(f"{work}/export*")):
    checks = [("spec", json.load(open(f"{out}/spec.json"))), ("spec", yaml.safe_load(open(f"{out}/spec.yaml"))),
              ("yml", yaml.safe_load(open(f"{out}/dbt/models/schema.yml"))),
              ("yml", yaml.safe_load(open(f"{out}/dbt/models/sources.yml"))),
              ("project", yaml.safe_load(open(f"{out}/dbt/dbt_project.yml")))]
    checks += [("odcs", yaml.safe_load(open(f))) for f in glob.glob(f"{out}/*.odcs.yaml")]
    for kind, doc in checks:
        bad += [f"{out} {kind}: {list(e.absolute_path)} {e.message[:200]}" for e in v[kind].iter_errors(doc)]
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
else
  echo "skip python cross-check (needs jsonschema, PyYAML and $SHARED)"
fi

expect_rc 1 "export into an unwritable folder" -- "$DPGEN" generate --out /proc/dpgen-cannot-write "$SEED"
grep -q "/proc/dpgen-cannot-write" "$WORK/err" && ok "unwritable folder named" || bad "unwritable folder not named: $(cat "$WORK/err")"
finish
