#!/usr/bin/env bash
# A dbt project root as the catalog (tests/data/dbtproj): only model-paths are
# read; ref() resolves as dbt built it (target/manifest.json, then --schema,
# then the default schema main, then the only schema with the name) and the
# choice is a discovery decision; Jinja ref/var/env_var render, other Jinja is
# refused with file:line:col.
. "$(dirname "$0")/lib.inc"
SRC="$DP_SOURCE_DIR/tests/data/dbtproj"
"$DPGEN" demo --sql "$SRC/data.sql" --out "$WORK/shop.duckdb" 2>/dev/null || bad "build shop"
DB="$WORK/shop.duckdb"
fresh() { rm -rf "$WORK/p"; cp -r "$SRC" "$WORK/p"; }
# check WHAT PYTHON-ASSERTION: on the last spec ($WORK/out); d is the spec,
# ds the discovery decisions, rows the sample rows
check() {
  local what=$1 cond=$2
  python3 - "$WORK/out" "$cond" <<'PY' && ok "$what" || bad "$what: $(head -c 400 "$WORK/out") $(tail -2 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
ds = [x for s in d["execution"]["stages"] if s["stage"] == "discovery" for x in s["decisions"]]
rows = d["transformation"]["test_run"]["sample_rows"]
assert eval("(" + sys.argv[2] + ")"), (ds, rows)
PY
}
Q="order total"

# without manifest and --schema: the default schema (main) is what the
# unqualified name reads in the engine, so the decoy there wins, said so
fresh; rm "$WORK/p/target/manifest.json"
expect_rc 0 "no manifest, no --schema" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "$Q"
check "default schema main chosen and recorded" \
  "'dataset orders reads main.orders: default schema main (of analytics.orders, main.orders, raw.orders; --schema NAME picks another)' in ds and rows == [{'order_total': '3000.00'}]"
expect_rc 0 "--schema analytics" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --schema analytics --format json "$Q"
check "--schema wins over the default schema" \
  "'dataset orders reads analytics.orders: --schema analytics' in ds and rows == [{'order_total': '265.75'}]"
# a missing relation disables its model (and what uses it), not the catalog:
# the request that needs it is refused naming it (tests/e2e/tolerant.sh)
expect_rc 3 "--schema without the table" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --schema nowhere "$Q"
grep -q "nowhere.orders" "$WORK/err" && grep -q "dbt build" "$WORK/err" && ok "missing relation names it and dbt build" \
  || bad "missing relation message: $(cat "$WORK/err")"

# target/manifest.json gives the relation: it wins over main and over --schema
fresh
expect_rc 0 "manifest present" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "large orders by region"
check "relation from target/manifest.json; ref('package', 'name') takes the package's node" \
  "'dataset orders reads analytics.orders: relation from target/manifest.json' in ds and
   'dataset customers reads analytics.customers: relation from target/manifest.json' in ds and
   rows == [{'region': 'APAC', 'large_orders': '1'}, {'region': 'EU', 'large_orders': '2'}, {'region': 'US', 'large_orders': '1'}]"
expect_rc 0 "manifest and --schema main" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --schema main --format json "$Q"
check "the manifest's relation wins over --schema" "rows == [{'order_total': '265.75'}]"
# a ref without a package prefers the root project's node (another package
# has a customers model in schema other)
sed -i "s/ref('shop_analytics', 'customers')/ref('customers')/" "$WORK/p/models/marts/customers.yml"
expect_rc 0 "ref without package" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "customer count by region"
check "the root project's node wins" "'dataset customers reads analytics.customers: relation from target/manifest.json' in ds"
# --manifest FILE naming a dbt manifest.json elsewhere
fresh; mv "$WORK/p/target/manifest.json" "$WORK/manifest.json"
expect_rc 0 "--manifest .../manifest.json" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --manifest "$WORK/manifest.json" --format json "$Q"
# named by its file name: it lies outside the project, and the spec holds no path of this machine
check "--manifest gives the relations, named" "'dataset orders reads analytics.orders: relation from manifest.json' in ds"
mv "$WORK/manifest.json" "$WORK/prod-artifacts.json"
expect_rc 0 "--manifest of another name" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --manifest "$WORK/prod-artifacts.json" --format json "$Q"
check "known by its dbt_schema_version" "'dataset orders reads analytics.orders: relation from prod-artifacts.json' in ds"
# a semantic model on a seed: ref('raw_orders') is the seed's alias orders
# in schema raw, which only the manifest knows
fresh
cat > "$WORK/p/models/raw.yml" <<'YML'
semantic_models:
  - name: raw_orders
    model: ref('raw_orders')
    entities: [{name: raw_order, type: primary, expr: id}]
    measures:
      - {name: amount_cents, agg: sum, create_metric: true, description: Order amounts in cents as loaded}
YML
expect_rc 0 "a seed's alias" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "amount cents"
check "seed raw_orders is raw.orders" "'dataset raw_orders reads raw.orders: relation from target/manifest.json' in ds and rows == [{'amount_cents': '26575'}]"
mv "$WORK/p/target/manifest.json" "$WORK/p/target/manifest.off"
expect_rc 3 "a seed's alias without the manifest" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" "amount cents"
grep -q "no table or view 'raw_orders'.*dbt seed" "$WORK/err" && ok "missing seed relation suggests dbt seed" || bad "seed: $(cat "$WORK/err")"
rm "$WORK/p/models/raw.yml"; mv "$WORK/p/target/manifest.off" "$WORK/p/target/manifest.json"
# --models at a folder or file inside the project: the project's vars and
# target/manifest.json still apply
fresh
expect_rc 0 "--models project/models" -- "$DPGEN" generate --db "$DB" --models "$WORK/p/models" --format json "large orders by region"
check "vars and manifest of the enclosing project" \
  "'dataset orders reads analytics.orders: relation from target/manifest.json' in ds and
   rows == [{'region': 'APAC', 'large_orders': '1'}, {'region': 'EU', 'large_orders': '2'}, {'region': 'US', 'large_orders': '1'}]"
expect_rc 0 "--models project/models/marts/orders.yml" -- "$DPGEN" generate --db "$DB" --models "$WORK/p/models/marts/orders.yml" --format json "large orders"
check "one file of the project" "'dataset orders reads analytics.orders: relation from target/manifest.json' in ds and rows == [{'large_orders': '4'}]"
# DBT_TARGET_PATH moves the artifacts, as in dbt
fresh; mv "$WORK/p/target" "$WORK/p/build_artifacts"
DBT_TARGET_PATH=build_artifacts expect_rc 0 "DBT_TARGET_PATH" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "$Q"
check "the manifest under DBT_TARGET_PATH" "'dataset orders reads analytics.orders: relation from ' + 'target/manifest.json' not in ds and any('build_artifacts/manifest.json' in x for x in ds)"
# a YAML file below the project but outside its model-paths is not the
# project's: no vars (currency has no default there), no manifest
mkdir -p "$WORK/p/notes"; cp "$SRC/models/marts/orders.yml" "$WORK/p/notes/"
expect_rc 0 "YAML outside model-paths, given alone" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p/notes"
# a description's var() without a value is left out of the text (it only documents)
grep -q "amounts in EUR" "$WORK/out" && bad "outside part read with the project's vars" || ok "not read as part of the project"
expect_rc 0 "the project's vars in descriptions" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
grep -q "amounts in EUR" "$WORK/out" && ok "var() renders in a description" || bad "var in description: $(head -c 300 "$WORK/out")"
# the manifest names a relation the database lacks: an error suggesting dbt
# build, or --schema when given
fresh; sed -i 's/"schema": "analytics"/"schema": "prod_analytics"/' "$WORK/p/target/manifest.json"
expect_rc 3 "manifest relation missing" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" "$Q"
grep -q "prod_analytics.orders (named by target/manifest.json)" "$WORK/err" && grep -q "dbt build" "$WORK/err" && ok "names the manifest's relation and dbt build" \
  || bad "manifest relation missing: $(cat "$WORK/err")"
expect_rc 0 "manifest relation missing, --schema analytics" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --schema analytics --format json "$Q"
check "--schema settles a manifest of another target, said so" \
  "any('target/manifest.json names prod_analytics.orders' in x and '--schema analytics' in x for x in ds) and rows == [{'order_total': '265.75'}]"

# the same name in raw (seeds) and analytics (models), none in main: ambiguous
# until --schema or the manifest says
cat > "$WORK/amb.sql" <<SQL
ATTACH '$DB' AS s (READ_ONLY);
CREATE SCHEMA raw; CREATE SCHEMA analytics; CREATE SCHEMA analytics_marts;
CREATE TABLE raw.orders AS SELECT * FROM s.raw.orders;
CREATE TABLE raw.customers AS SELECT * FROM s.raw.customers;
CREATE TABLE analytics.orders AS SELECT * FROM s.analytics.orders;
CREATE TABLE analytics.customers AS SELECT * FROM s.analytics.customers;
SQL
"$DPGEN" demo --sql "$WORK/amb.sql" --out "$WORK/amb.duckdb" 2>/dev/null || bad "build amb"
fresh; rm "$WORK/p/target/manifest.json"
expect_rc 1 "seeds and models of one name, no manifest, no --schema" -- "$DPGEN" generate --db "$WORK/amb.duckdb" --models "$WORK/p" "$Q"
grep -q "raw.customers" "$WORK/err" && grep -q "analytics.customers" "$WORK/err" && grep -q -- "--schema NAME" "$WORK/err" \
  && ok "ambiguity names the candidates and --schema" || bad "ambiguity message: $(cat "$WORK/err")"
expect_rc 0 "ambiguity settled by --schema" -- "$DPGEN" generate --db "$WORK/amb.duckdb" --models "$WORK/p" --schema analytics --format json "$Q"
check "analytics chosen" "rows == [{'order_total': '265.75'}]"
cp "$SRC/target/manifest.json" "$WORK/p/target/"
expect_rc 0 "ambiguity settled by the manifest" -- "$DPGEN" generate --db "$WORK/amb.duckdb" --models "$WORK/p" --format json "$Q"
check "analytics chosen" "rows == [{'order_total': '265.75'}]"
# dbt's custom schema: --schema analytics, the models built in analytics_marts
cat > "$WORK/custom.sql" <<SQL
ATTACH '$DB' AS s (READ_ONLY);
CREATE SCHEMA raw; CREATE SCHEMA analytics_marts;
CREATE TABLE raw.orders AS SELECT * FROM s.raw.orders;
CREATE TABLE raw.customers AS SELECT * FROM s.raw.customers;
CREATE TABLE analytics_marts.orders AS SELECT * FROM s.analytics.orders;
CREATE TABLE analytics_marts.customers AS SELECT * FROM s.analytics.customers;
SQL
"$DPGEN" demo --sql "$WORK/custom.sql" --out "$WORK/custom.duckdb" 2>/dev/null || bad "build custom"
rm "$WORK/p/target/manifest.json"
expect_rc 0 "custom schema of --schema" -- "$DPGEN" generate --db "$WORK/custom.duckdb" --models "$WORK/p" --schema analytics --format json "$Q"
check "analytics_marts chosen as dbt's custom schema" \
  "'dataset orders reads analytics_marts.orders: --schema analytics (dbt\\'s custom schema analytics_marts)' in ds"

# versioned models: ref('orders', v=1) is relation orders_v1 (dbt's name for
# version 1), never orders; with the manifest, ref('orders') is the latest
cat > "$WORK/ver.sql" <<SQL
ATTACH '$DB' AS s (READ_ONLY);
CREATE SCHEMA analytics;
CREATE TABLE analytics.orders_v1 AS SELECT * FROM s.analytics.orders WHERE order_id <= 2;
CREATE TABLE analytics.orders_v2 AS SELECT * FROM s.analytics.orders;
CREATE TABLE analytics.orders AS SELECT * FROM s.main.orders;
CREATE TABLE analytics.customers AS SELECT * FROM s.analytics.customers;
SQL
"$DPGEN" demo --sql "$WORK/ver.sql" --out "$WORK/ver.duckdb" 2>/dev/null || bad "build ver"
fresh; rm "$WORK/p/target/manifest.json"
sed -i "s/model: \"{{ ref('orders') }}\"/model: ref('orders', v=1)/" "$WORK/p/models/marts/orders.yml"
expect_rc 0 "ref('orders', v=1)" -- "$DPGEN" generate --db "$WORK/ver.duckdb" --models "$WORK/p" --format json "$Q"
check "version 1 is orders_v1" "'dataset orders reads analytics.orders_v1: the only schema with the table' in ds and rows == [{'order_total': '35.50'}]"
python3 - "$SRC/target/manifest.json" "$WORK/p/target/manifest.json" <<'PY'
import copy, json, sys
m = json.load(open(sys.argv[1]))
base = m["nodes"].pop("model.shop_analytics.orders")
for v in (1, 2):
    n = copy.deepcopy(base)
    n.update({"unique_id": f"model.shop_analytics.orders.v{v}", "alias": f"orders_v{v}", "version": v, "latest_version": 2,
              "relation_name": f'"shop"."analytics"."orders_v{v}"'})
    m["nodes"][n["unique_id"]] = n
json.dump(m, open(sys.argv[2], "w"))
PY
expect_rc 0 "ref('orders', v=1) with the manifest" -- "$DPGEN" generate --db "$WORK/ver.duckdb" --models "$WORK/p" --format json "$Q"
check "the manifest's version 1" "'dataset orders reads analytics.orders_v1: relation from target/manifest.json' in ds"
sed -i "s/model: ref('orders', v=1)/model: ref('orders')/" "$WORK/p/models/marts/orders.yml"
expect_rc 0 "ref('orders') with versions in the manifest" -- "$DPGEN" generate --db "$WORK/ver.duckdb" --models "$WORK/p" --format json "$Q"
check "the latest version, not the table named orders" "'dataset orders reads analytics.orders_v2: relation from target/manifest.json' in ds and rows == [{'order_total': '265.75'}]"

# a target/semantic_manifest.json older than the YAML was written before the
# last edit: the YAML is read (this one is empty: loading it would fail)
fresh; echo '{}' > "$WORK/p/target/semantic_manifest.json"; touch -d '2001-01-01' "$WORK/p/target/semantic_manifest.json"
expect_rc 0 "stale semantic manifest" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "$Q"
check "the newer YAML is read" "rows == [{'order_total': '265.75'}]"

# only model-paths are read: YAML under target/, dbt_packages/, logs/,
# analyses/ (a duplicate or broken semantic model) is not loaded
fresh
mkdir -p "$WORK/p/target/compiled/shop_analytics/models/marts" "$WORK/p/dbt_packages/metrics_pkg/models" \
  "$WORK/p/logs" "$WORK/p/analyses"
cp "$SRC/models/marts/orders.yml" "$WORK/p/target/compiled/shop_analytics/models/marts/"
cp "$SRC/models/marts/orders.yml" "$WORK/p/dbt_packages/metrics_pkg/models/"
printf 'semantic_models:\n  - name: phantom\n    model: ref(\x27phantom\x27)\n' > "$WORK/p/analyses/phantom.yml"
printf 'semantic_models: [unclosed\n' > "$WORK/p/logs/broken.yml"
expect_rc 0 "YAML outside model-paths is not loaded" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
grep -q '"phantom"' "$WORK/out" && bad "analyses/ was loaded" || ok "no phantom model"
# model-paths other than models/: the models/ folder is not read then
fresh; mv "$WORK/p/models" "$WORK/p/semantic"; mkdir "$WORK/p/models"
printf 'semantic_models: [unclosed\n' > "$WORK/p/models/broken.yml"
sed -i 's/model-paths: \["models"\]/model-paths: ["semantic"]/' "$WORK/p/dbt_project.yml"
expect_rc 0 "model-paths: [semantic]" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "$Q"
check "loaded from semantic/" "rows == [{'order_total': '265.75'}]"

# Jinja: var() from the project (30, not the default 50), env_var() from the
# environment, and what is not supported named with file:line:col
fresh
DBT_SHOP_CHANNEL=retail expect_rc 0 "env_var set" -- "$DPGEN" catalog show orders --db "$DB" --models "$WORK/p"
grep -q "Orders placed in the retail shop" "$WORK/out" && ok "env_var() reads the environment" || bad "env_var: $(head -c 300 "$WORK/out")"
expect_rc 0 "env_var default" -- "$DPGEN" catalog show orders --db "$DB" --models "$WORK/p"
grep -q "Orders placed in the online shop" "$WORK/out" && ok "env_var() default" || bad "env_var default: $(head -c 300 "$WORK/out")"
expect_rc 0 "filter template kept for the compiler" -- "$DPGEN" generate --db "$DB" --models "$WORK/p" --format json "completed order total"
check "MetricFlow's Dimension() in a filter still compiles" "rows == [{'completed_order_total': '260.50'}]"
O="$WORK/p/models/marts/orders.yml"
sed -i "s/{{ var('large_order_threshold', 50) }} then/{{ var('big_threshold') }} then/" "$O"
expect_rc 1 "var without value or default" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
line=$(grep -n "big_threshold" "$O" | cut -d: -f1)
grep -q "orders.yml:$line:[0-9]*: var 'big_threshold' is not defined" "$WORK/err" && ok "undefined var named with file:line" \
  || bad "undefined var: $(cat "$WORK/err") (line $line)"
fresh
sed -i "s/    description: \"Orders placed in the {{ env_var('DBT_SHOP_CHANNEL', 'online') }} shop, one row per order.\"/    description: '{{ doc(\"orders\") }}'/" "$O"
expect_rc 0 "doc() in a semantic model" -- "$DPGEN" catalog show orders --db "$DB" --models "$WORK/p"
grep -q "as the docs block says" "$WORK/out" && ok "doc() renders the project's docs block" || bad "doc(): $(head -c 300 "$WORK/out")"
# any other Jinja in a description is left out; in an expr it is refused with file:line:col
fresh
sed -i "s/{{ var('large_order_threshold', 50) }} then/{{ adapter.quote('x') }} then/" "$O"
expect_rc 1 "a macro in an expr" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
line=$(grep -n "adapter.quote" "$O" | head -1 | cut -d: -f1)
grep -q "orders.yml:$line:[0-9]*: Jinja '{{ adapter.quote('x') }}' is not supported; dbt parse renders it into target/semantic_manifest.json, which dpgen can read with --manifest" "$WORK/err" \
  && ok "unsupported Jinja named with file:line:col" || bad "macro in expr: $(cat "$WORK/err") (line $line)"
fresh
sed -i "s/      {{ Dimension('order__status') }} = 'completed'/      {{ Dimension('order__status') }} = '{{ var(\"done_status\", \"completed\") }}'/" "$O"
expect_rc 1 "var() in a metric filter" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
grep -q "is not supported in a filter: dbt leaves filters to MetricFlow" "$WORK/err" && ok "filters take only MetricFlow's templates" \
  || bad "filter var: $(cat "$WORK/err")"
fresh
sed -i 's/        expr: amount$/        expr: "{% if true %}amount{% endif %}"/' "$O"
expect_rc 1 "{% if %} in an expr" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/p"
grep -q "orders.yml:[0-9]*:[0-9]*: Jinja '{% if true %}' is not supported" "$WORK/err" && ok "{% %} refused" \
  || bad "{% %}: $(cat "$WORK/err")"
finish
