#!/usr/bin/env bash
# Values come from the data: identifiers and names in a request ("campaign
# CMP-0012", a customer's name, "carrier CAR-03") are looked up in the key and
# name-like columns of the entity's dataset at request time. Found: a filter on
# that column, and an answer that differs from the unfiltered one. Not found:
# exit 3 naming the closest existing values, never a report of everything.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
gen() { "$DPGEN" generate --as-of 2025-07-16 --format json "$@"; }

# check FILE PYTHON-ASSERTIONS: d is the spec, sql its SQL, rows its row count,
# col(name) the sample's values of a column as floats
check() {
  local f=$1 what=$2 code=$3
  python3 - "$f" "$code" <<'PY' && ok "$what" || bad "$what: $(head -c 400 "$f")"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["transformation"]
sql, rows = t["sql"], t["test_run"]["rows"]
def col(name):
    return [float(r[name]) for r in t["test_run"]["sample_rows"] if r.get(name) is not None]
exec(sys.argv[2])
PY
}

# --- an existing key, written after its entity -----------------------------
expect_rc 0 "demo: daily spend in May (unfiltered)" -- gen "daily spend in May 2025"
cp "$WORK/out" "$WORK/all.json"
expect_rc 0 "demo: daily spend for an existing campaign id" -- gen "daily spend for campaign CMP-0005 in May 2025"
cp "$WORK/out" "$WORK/one.json"
check "$WORK/one.json" "demo: the campaign id is a filter on the campaign key" \
  'assert "campaign_id = '"'"'CMP-0005'"'"'" in sql, sql; assert rows > 0'
python3 - "$WORK/all.json" "$WORK/one.json" <<'PY' && ok "demo: one campaign's daily spend is less than everyone's" || bad "demo: filtered spend not below the total"
import json, sys
a, o = (json.load(open(f))["transformation"]["test_run"] for f in sys.argv[1:3])
sa = {r["day"]: float(r["spend"]) for r in a["sample_rows"]}
so = {r["day"]: float(r["spend"] or 0) for r in o["sample_rows"]}
assert so and all(so[k] < sa[k] for k in so if k in sa), (sa, so)
PY
expect_rc 0 "demo: the id in lower case is the same campaign" -- gen "spend for campaign cmp-0005"
check "$WORK/out" "demo: the stored spelling is the filter value" 'assert "'"'"'CMP-0005'"'"'" in sql, sql'

# --- an identifier with no entity word before it ----------------------------
expect_rc 0 "demo: an id alone is looked up in every dataset's keys" -- gen "spend for CMP-0005 by month"
check "$WORK/out" "demo: the id alone filters the campaign key" 'assert "'"'"'CMP-0005'"'"'" in sql, sql'

# --- a name ------------------------------------------------------------------
expect_rc 0 "demo: orders of all customers by month" -- gen "orders by month"
cp "$WORK/out" "$WORK/all_orders.json"
expect_rc 0 "demo: orders of a customer named in the request" -- gen "orders by customer Amara Okafor by month"
check "$WORK/out" "demo: the name is a filter on the name column" \
  'assert "'"'"'Amara Okafor'"'"'" in sql, sql; assert rows > 0'
python3 - "$WORK/all_orders.json" "$WORK/out" <<'PY' && ok "demo: one customer's orders are fewer than everyone's" || bad "demo: customer filter did not narrow"
import json, sys
a, o = (json.load(open(f))["transformation"]["test_run"] for f in sys.argv[1:3])
tot = lambda t: sum(float(v) for r in t["sample_rows"] for k, v in r.items() if k != "month" and v is not None)
assert tot(o) < tot(a), (tot(o), tot(a))
PY

# --- several ids, exclusions, a name without its entity word ---------------
expect_rc 0 "demo: two ids joined by 'and'" -- gen "spend for CMP-0005 and CMP-0006 by month"
check "$WORK/out" "demo: two ids of one column are an IN list, not two equalities" \
  'assert "campaign_id IN ('"'"'CMP-0005'"'"', '"'"'CMP-0006'"'"')" in sql, sql; assert rows > 0'
expect_rc 0 "demo: ids excluded" -- gen "spend by month excluding campaigns CMP-0005 and CMP-0006"
check "$WORK/out" "demo: both ids are excluded" 'assert "NOT IN ('"'"'CMP-0005'"'"', '"'"'CMP-0006'"'"')" in sql, sql'
expect_rc 0 "demo: a proper name after 'for', no entity word" -- gen "orders for Amara Okafor by month"
check "$WORK/out" "demo: the name alone filters the name column" 'assert "'"'"'Amara Okafor'"'"'" in sql, sql'
expect_rc 0 "demo: a proper name opening the request" -- gen "Amara Okafor orders by month"
check "$WORK/out" "demo: the opening name filters the name column" 'assert "'"'"'Amara Okafor'"'"'" in sql, sql'

expect_rc 0 "demo: framing before a name" -- gen "Show Amara Okafor orders by month"
check "$WORK/out" "demo: the framing word is no part of the name" 'assert "= '"'"'Amara Okafor'"'"'" in sql, sql'
expect_rc 0 "demo: capitalised framing names nothing" -- gen "Monthly Revenue for Board Review"
check "$WORK/out" "demo: no filter from framing words" 'assert "Board" not in sql, sql'

expect_rc 0 "demo: 'customer whose name is ...'" -- gen "orders of the customer whose name is Amara Okafor by month"
check "$WORK/out" "demo: the name after 'whose name is' filters the name column" \
  'assert "= '"'"'Amara Okafor'"'"'" in sql, sql'
expect_rc 0 "demo: 'customer with id 7'" -- gen "orders by month for customer with id 7"
check "$WORK/out" "demo: the id after 'with id' filters the customer key" 'assert "customer_id = '"'"'7'"'"'" in sql, sql'

# --- words after an entity that name none of it -----------------------------
expect_rc 0 "demo: 'Customer 360' is a kind of table, not customer 360" -- \
  gen "Customer 360 table: for each customer, orders and revenue"
check "$WORK/out" "demo: no filter on a customer key" 'assert "WHERE" not in sql or "360" not in sql, sql'
expect_rc 3 "demo: 'customer lifetime value' is a metric the catalog lacks" -- gen "customer lifetime value by segment"
grep -q "metric 'lifetime value'" "$WORK/err" && ok "demo: asked as a metric, not as a customer's name" \
  || bad "demo: $(cat "$WORK/err")"
# a name several customers share names none of them: asked, never summed
expect_rc 3 "demo: a name four customers share is asked about" -- gen "orders for Lucas Smith by month"
grep -q "Lucas Smith (4 of them)" "$WORK/err" && ok "demo: the question says how many share the name" \
  || bad "demo: shared name message: $(cat "$WORK/err")"
expect_rc 3 "demo: a misspelt name is refused" -- gen "orders for Lucas Smyth by month"
grep -q "closest: Lucas Smith" "$WORK/err" && ok "demo: the refusal offers the stored spelling first" \
  || bad "demo: $(cat "$WORK/err")"
expect_rc 3 "demo: a name alone like nothing in the data" -- gen "orders for Zorro Quux by month"
grep -q "closest: none like it in the data" "$WORK/err" && ok "demo: no unrelated values offered for a name said alone" \
  || bad "demo: $(cat "$WORK/err")"
expect_rc 3 "demo: an id alone that does not exist is refused" -- gen "spend for CMP-0999 by month"
grep -q "closest: CMP-0" "$WORK/err" && ok "demo: the refusal names the closest ids" || bad "demo: $(cat "$WORK/err")"

# --- missing values: a clarification with the closest values ---------------
expect_rc 3 "demo: a campaign id that does not exist is refused" -- gen "daily spend for campaign CMP-0999 in May 2025"
grep -q "closest" "$WORK/err" && grep -q "CMP-0" "$WORK/err" && ok "demo: the refusal names the closest ids" \
  || bad "demo: no closest ids in: $(cat "$WORK/err")"
expect_rc 3 "demo: a number that is no campaign key is refused" -- gen "spend for campaign 42"
grep -q "CMP-00" "$WORK/err" && ok "demo: the refusal names existing campaign ids" || bad "demo: $(cat "$WORK/err")"
expect_rc 3 "demo: a customer name that does not exist is refused" -- gen "orders by customer Zorro Quuxington by month"
grep -q "closest" "$WORK/err" && ok "demo: the refusal names the closest names" || bad "demo: $(cat "$WORK/err")"
expect_rc 3 "demo: refusal as JSON" -- gen "spend for campaign CMP-0999"
python3 - "$WORK/out" "$WORK/err" <<'PY' && ok "demo: no spec printed for a missing id" || bad "demo: refusal printed a spec"
import sys
out = open(sys.argv[1]).read()
assert "transformation" not in out, out[:300]
PY

# --- text is data: quotes, SQL and accents in a looked-up value -------------
expect_rc 3 "demo: quotes and SQL in an id are a value to look up, nothing else" -- \
  gen "spend for campaign CMP-0'); DROP TABLE bronze.marketing_campaigns; --"
expect_rc 0 "demo: the data is still there" -- gen "spend for campaign CMP-0005"
expect_rc 3 "demo: an accented name the data lacks" -- gen "orders for customer José Müller by month"
grep -q "closest" "$WORK/err" && ok "demo: accented name refused with the closest names" || bad "demo: $(cat "$WORK/err")"

# --- the clarification lists the closest values; choosing one answers --------
expect_rc 3 "demo: a missing key, clarification as JSON" -- gen "spend by month for campaign CMP-0999"
python3 - "$WORK/out" "$DP_SOURCE_DIR/schemas/dpgen-spec-1.0.json" > "$WORK/choice" <<'PY' \
  && ok "demo: the candidates are the closest keys, as --choose names" || bad "demo: candidates $(head -c 600 "$WORK/out")"
import json, sys
c = json.load(open(sys.argv[1]))["clarification"]
cands = c["candidates"]["campaign CMP-0999"]
assert cands and all(x["kind"] == "value" and x["name"].startswith("marketing_campaigns.campaign=CMP-0") for x in cands), cands
assert cands == sorted(cands, key=lambda x: -x["score"]), cands
try:
    import jsonschema
    schema = json.load(open(sys.argv[2]))
    jsonschema.validate(c and {"clarification": c}, {**schema, "$ref": "#/definitions/clarification_result"})
except ImportError:
    pass
print(cands[0]["name"])
PY
choice=$(cat "$WORK/choice")
expect_rc 0 "demo: --choose the first candidate" -- gen --no-record --choose "campaign CMP-0999=$choice" "spend by month for campaign CMP-0999"
check "$WORK/out" "demo: the chosen key is the filter" 'assert "campaign_id = '"'"'"+"'"${choice#*=}"'"+"'"'"'" in sql, sql'
expect_rc 3 "demo: a misspelt name, clarification as JSON" -- gen "orders by month for customer Lucas Smyth"
python3 - "$WORK/out" <<'PY' && ok "demo: the closest names as name-column values" || bad "demo: $(head -c 600 "$WORK/out")"
import json, sys
cands = json.load(open(sys.argv[1]))["clarification"]["candidates"]["customer Lucas Smyth"]
assert cands[0]["name"] == "customers.customer_name=Lucas Smith", cands
PY

# --- the same on catalogs the code was not tuned on --------------------------
H=tests/data/hr
"$DPGEN" demo --sql "$DP_SOURCE_DIR/$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr"
hr() { gen --db "$WORK/hr.duckdb" --models "$DP_SOURCE_DIR/$H/semantic_models.yml" --glossary "$DP_SOURCE_DIR/$H/glossary.yml" "$@"; }
expect_rc 0 "hr: an existing employee key" -- hr "Monthly absence days of employee 5"
check "$WORK/out" "hr: the key filter is in the SQL" 'assert "employee_id = '"'"'5'"'"'" in sql, sql'
expect_rc 3 "hr: an employee key that does not exist" -- hr "Monthly absence days of employee 9999"
grep -q "closest" "$WORK/err" && ok "hr: the refusal names the closest keys" || bad "hr: $(cat "$WORK/err")"
expect_rc 0 "hr: an employee named in the request" -- hr "Monthly payroll cost for employee Tom Berg"
check "$WORK/out" "hr: the name filters the name column" 'assert "full_name = '"'"'Tom Berg'"'"'" in sql, sql'
expect_rc 3 "hr: an employee name that does not exist" -- hr "Monthly payroll cost for employee Zorro Quux"
grep -q "closest" "$WORK/err" && ok "hr: the refusal names the closest names" || bad "hr: $(cat "$WORK/err")"

expect_rc 3 "hr: a value of a dimension named before it, missing" -- hr "Average salary for job level L9"
grep -q "closest: L1" "$WORK/err" && ok "hr: the refusal names the dimension's values" || bad "hr: $(cat "$WORK/err")"

L=tests/data/logistics
"$DPGEN" demo --sql "$DP_SOURCE_DIR/$L/data.sql" --out "$WORK/lg.duckdb" 2>/dev/null || bad "build logistics"
lg() { gen --db "$WORK/lg.duckdb" --models "$DP_SOURCE_DIR/$L/semantic_models.yml" --glossary "$DP_SOURCE_DIR/$L/glossary.yml" "$@"; }
expect_rc 0 "logistics: shipping cost by month (unfiltered)" -- lg "shipping cost by month"
cp "$WORK/out" "$WORK/lg_all.json"
expect_rc 0 "logistics: a carrier id after its entity" -- lg "shipping cost by month for carrier CAR-03"
check "$WORK/out" "logistics: the carrier key filter is in the SQL" 'assert "carrier_id = '"'"'CAR-03'"'"'" in sql, sql'
python3 - "$WORK/lg_all.json" "$WORK/out" <<'PY' && ok "logistics: one carrier's cost is below all carriers'" || bad "logistics: carrier filter did not narrow"
import json, sys
a, o = (json.load(open(f))["transformation"]["test_run"] for f in sys.argv[1:3])
sa = {r["month"]: float(r["shipping_cost"]) for r in a["sample_rows"]}
so = {r["month"]: float(r["shipping_cost"] or 0) for r in o["sample_rows"]}
assert so and all(so[k] < sa[k] for k in so if k in sa), (sa, so)
PY
expect_rc 0 "logistics: a carrier id alone" -- lg "shipping cost by month for CAR-03"
check "$WORK/out" "logistics: the id alone filters the carrier key" 'assert "'"'"'CAR-03'"'"'" in sql, sql'
expect_rc 3 "logistics: a carrier id that does not exist" -- lg "shipping cost for carrier CAR-42"
grep -q "closest" "$WORK/err" && grep -q "CAR-0" "$WORK/err" && ok "logistics: the refusal names the closest carrier ids" \
  || bad "logistics: $(cat "$WORK/err")"
expect_rc 3 "logistics: a warehouse id that does not exist" -- lg "shipping cost for warehouse WH-77"
grep -q "WH-0" "$WORK/err" && ok "logistics: the refusal names existing warehouse ids" || bad "logistics: $(cat "$WORK/err")"
# --- an id held by two datasets: both are candidates, one is chosen and said -
cat > "$WORK/two.sql" <<'SQL'
CREATE SCHEMA bronze;
-- more than the profile keeps as frequent values: only a look-up finds them
CREATE TABLE bronze.stores AS SELECT printf('S-%03d', i) AS store_code, 'Store ' || i AS store_label,
  ['North', 'South'][1 + i % 2] || ' Plaza ' || i AS store_title, ['North', 'South'][1 + i % 2] AS area
  FROM range(1, 301) t(i);
CREATE TABLE bronze.depots AS SELECT printf('S-%03d', i) AS depot_code FROM range(251, 551) t(i);
CREATE TABLE bronze.sales AS SELECT i AS sale_id, printf('S-%03d', 1 + i % 300) AS store_code,
  printf('S-%03d', 251 + i % 300) AS depot_code, DATE '2025-01-01' + CAST(i % 90 AS INTEGER) AS sold_on,
  (i % 7) * 2.5 AS amount FROM range(1, 6001) t(i);
SQL
cat > "$WORK/two.yml" <<'YML'
semantic_models:
  - name: sales
    model: ref('sales')
    defaults: {agg_time_dimension: sold_on}
    entities:
      - {name: sale, type: primary, expr: sale_id}
      - {name: store, type: foreign, expr: store_code}
      - {name: depot, type: foreign, expr: depot_code}
    dimensions:
      - {name: sold_on, type: time, type_params: {time_granularity: day}}
    measures:
      - {name: amount, agg: sum}
  - name: stores
    model: ref('stores')
    entities: [{name: store, type: primary, expr: store_code}]
    dimensions:
      - {name: store_label, type: categorical}
      - {name: store_title, type: categorical}
      - {name: area, type: categorical}
  - name: depots
    model: ref('depots')
    entities: [{name: depot, type: primary, expr: depot_code}]
metrics:
  - {name: amount, label: Sales amount, type: simple, type_params: {measure: amount}}
YML
"$DPGEN" demo --sql "$WORK/two.sql" --out "$WORK/two.duckdb" 2>/dev/null || bad "build two"
two() { gen --db "$WORK/two.duckdb" --models "$WORK/two.yml" "$@"; }
# an id a store and a depot both have names two different things: asked,
# never one picked by the profile's quality
expect_rc 3 "two datasets: an id both hold is asked about" -- two "amount by month for S-260"
grep -q "stores.store" "$WORK/err" && grep -q "depots.depot" "$WORK/err" && ok "two datasets: both candidates named" \
  || bad "two datasets: $(cat "$WORK/err")"
expect_rc 0 "two datasets: an id only one holds" -- two "amount by month for S-400"
python3 - "$WORK/out" <<'PY' && ok "two datasets: the one that holds it" || bad "two datasets: $(head -c 400 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["intent"]["filters"][0]["dimension_candidates"] == ["depots.depot"], d["intent"]["filters"]
PY
expect_rc 0 "two datasets: a label written as a name" -- two "amount by month for Store 280"
check "$WORK/out" "two datasets: the label column" 'assert "store_label = '"'"'Store 280'"'"'" in sql, sql'
# a name holding a word the profile knows as a value ("North" is an area)
expect_rc 0 "two datasets: a title-case name with a value word in it, entity after" -- \
  two "amount by month for the North Plaza 280 store"
check "$WORK/out" "two datasets: the whole name, not the area" \
  'assert "store_title = '"'"'North Plaza 280'"'"'" in sql, sql; assert "area" not in sql, sql'
expect_rc 0 "two datasets: the area alone is still a value" -- two "amount by month for the North area"
check "$WORK/out" "two datasets: the area filter" 'assert "area = '"'"'North'"'"'" in sql, sql'
finish
