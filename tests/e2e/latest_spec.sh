#!/bin/bash
# dbt's latest Semantic Layer YAML spec (semantic models on `models:`,
# metrics without type_params): tests/data/latest declares the logistics
# test catalog that way, so both must give the same SQL for every request;
# the parts only the latest spec has (model-level switches, input_metric)
# are checked on their own.
. "$(dirname "$0")/lib.inc"
DB="$WORK/logistics.duckdb"
"$DPGEN" demo --sql "$DP_SOURCE_DIR/tests/data/logistics/data.sql" --out "$DB" >/dev/null 2>&1 || { bad "build logistics db"; finish; exit; }
LEGACY="$DP_SOURCE_DIR/tests/data/logistics/semantic_models.yml"
LATEST="$DP_SOURCE_DIR/tests/data/latest"
sql_of() { # MODELS REQUEST -> the transformation SQL, or the exit status
  "$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$1" --format json "$2" 2>/dev/null |
    python3 -c "import json,sys; print(json.load(sys.stdin)['transformation']['sql'])" 2>/dev/null || echo "failed"
}
while IFS= read -r q; do
  case "$q" in '!'*|'') continue ;; esac
  a=$(sql_of "$LEGACY" "$q"); b=$(sql_of "$LATEST" "$q")
  if [ "$a" != failed ] && [ "$a" = "$b" ]; then ok "same SQL: $q"; else bad "SQL differs or failed: $q"; fi
done < "$DP_SOURCE_DIR/tests/data/logistics/requests.txt"
for q in "cost per shipment by carrier" "loss rate by warehouse region" "average delivery days by service level" "shipping cost by warehouse"; do
  a=$(sql_of "$LEGACY" "$q"); b=$(sql_of "$LATEST" "$q")
  if [ "$a" != failed ] && [ "$a" = "$b" ]; then ok "same SQL: $q"; else bad "SQL differs or failed: $q"; fi
done
# MetricFlow's names for the report's time, as a dbt user writes a group by
for pair in "metric_time__month:monthly" "metric_time:daily" "metric_time__quarter:quarterly"; do
  a=$(sql_of "$LATEST" "shipping cost by carrier type by ${pair%%:*}"); b=$(sql_of "$LATEST" "${pair##*:} shipping cost by carrier type")
  if [ "$a" != failed ] && [ "$a" = "$b" ]; then ok "by ${pair%%:*} is ${pair##*:}"; else bad "by ${pair%%:*} differs from ${pair##*:}"; fi
done
# two time grains are the user's to choose between, not the finer one's
expect_rc 3 "two time grains are asked about" -- "$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$LATEST" "weekly shipping cost by month"
grep -q "second time grain" "$WORK/err" && ok "names the second time grain" || bad "two grains: $(tail -1 "$WORK/err")"
# a label written whole is that metric: its words are no range, share or grouping
metric_of() { # REQUEST -> the intent's metrics and grain and range, or the exit status
  "$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$LATEST" --format json "$1" 2>/dev/null |
    python3 -c "import json,sys; i=json.load(sys.stdin)['intent']; print(','.join(i['metrics']), i.get('time_grain'), i.get('time_range'))" 2>/dev/null || echo "refused"
}
for pair in "monthly Shipping Cost (Last 28 Days)|cost_last_28d month None" "Lost Shipments|lost_shipments None None" \
            "Lost Shipments %|lost_pct None None" "monthly cost_last_28d|cost_last_28d month None"; do
  got=$(metric_of "${pair%%|*}")
  [ "$got" = "${pair##*|}" ] && ok "label read whole: ${pair%%|*}" || bad "label '${pair%%|*}': got '$got', want '${pair##*|}'"
done
# the project root (dbt_project.yml's own `models:` is configuration, not models)
expect_rc 0 "the project root loads" -- "$DPGEN" catalog list --db "$DB" --models "$LATEST"
grep -q '"stg_carriers"' "$WORK/out" && bad "a model without semantic_model became a dataset" || ok "a model without semantic_model is not a dataset"
grep -q '"retired_metric"' "$WORK/out" && bad "a metric with enabled: false was loaded" || ok "config: {enabled: false} switches a metric off"
# input_metric reads the simple metric's measure; a derived input keeps its filter
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$LATEST" --format json "monthly cumulative shipping cost" >"$WORK/cum.json" 2>"$WORK/err"
python3 - "$WORK/cum.json" <<'PY' && ok "cumulative over input_metric compiles to a running sum" || bad "cumulative over input_metric: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
sql = d["transformation"]["sql"]
assert "cumulative" in sql and "shipping_cost" in sql, sql
PY
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$LATEST" --format json "express shipping cost by carrier" >"$WORK/der.json" 2>"$WORK/err"
python3 - "$WORK/der.json" <<'PY' && ok "a derived input's filter is applied" || bad "derived input filter: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "'express'" in d["transformation"]["sql"], d["transformation"]["sql"]
PY
# primary_entity: a dataset with no key column is named by it in filters
mkdir -p "$WORK/pe"
cat > "$WORK/pe/m.yml" <<'YML'
semantic_models:
  - name: moves
    model: ref('shipments')
    primary_entity: move
    defaults: {agg_time_dimension: ship_date}
    dimensions:
      - {name: ship_date, type: time, type_params: {time_granularity: day}}
      - {name: service_level, type: categorical}
    measures:
      - {name: move_count, agg: sum, expr: 1}
metrics:
  - name: express_moves
    label: Express moves
    type: simple
    type_params: {measure: move_count}
    filter: "{{ Dimension('move__service_level') }} = 'express'"
  - name: later_moves
    label: Later moves
    type: simple
    type_params: {measure: move_count}
    filter: "{{ TimeDimension('metric_time', 'month') }} >= '2025-03-01'"
  - name: earlier_moves
    label: Earlier moves
    type: simple
    type_params: {measure: move_count}
    filter: "{{ Dimension('move__ship_date__month') }} < '2025-03-01'"
  - name: old_moves
    type: simple
    type_params: {measure: move_count}
    config: {enabled: false}
YML
expect_rc 0 "legacy catalog list" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/pe"
grep -q '"old_moves"' "$WORK/out" && bad "a legacy metric with enabled: false was loaded" || ok "legacy config: {enabled: false} too"
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$WORK/pe" --format json "monthly express moves" >"$WORK/pe.json" 2>"$WORK/err"
python3 - "$WORK/pe.json" <<'PY' && ok "a filter names the dataset by its primary_entity" || bad "primary_entity filter: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "'express'" in d["transformation"]["sql"], d["transformation"]["sql"]
PY
# metric_time and a grain written as a suffix in filters: the two parts add up
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$WORK/pe" --format json "later moves and earlier moves" >"$WORK/mt.json" 2>"$WORK/err"
python3 - "$WORK/mt.json" "$DPGEN" "$DB" "$WORK/pe" <<'PY' && ok "metric_time and entity__dim__grain filters" || bad "metric_time filters: $(tail -1 "$WORK/err")"
import json, sys, subprocess
d = json.load(open(sys.argv[1]))
sql = d["transformation"]["sql"]
assert "date_trunc('month'" in sql, sql
row = d["transformation"]["test_run"]["sample_rows"][0]
later, earlier = int(row["later_moves"]), int(row["earlier_moves"])
assert later > 0 and earlier > 0 and later + earlier == 4000, row  # the logistics data has 4000 shipments
PY
# an entity path in a filter: the last entity's dimension, joined on the way
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$LATEST" --format json "us carrier shipping cost by carrier" >"$WORK/path.json" 2>"$WORK/err"
python3 - "$WORK/path.json" <<'PY' && ok "an entity path names the last entity's dimension" || bad "entity path filter: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "home_country" in d["transformation"]["sql"] and "'US'" in d["transformation"]["sql"]
rows = [r for r in d["transformation"]["test_run"]["sample_rows"] if r.get("us_carrier_cost") not in (None, "", "NULL")]
assert 1 <= len(rows) <= 3, rows  # the data has three carriers based in the US
PY
# two datasets keyed by one entity: a filter finds the dimension in either
mkdir -p "$WORK/homes"
cat > "$WORK/homes/m.yml" <<'YML'
semantic_models:
  - name: shipment_facts
    model: ref('shipments')
    defaults: {agg_time_dimension: ship_date}
    entities: [{name: shipment, type: primary, expr: shipment_id}]
    dimensions: [{name: ship_date, type: time, type_params: {time_granularity: day}}]
    measures: [{name: shipped, agg: count, expr: shipment_id}]
  - name: shipment_flags
    model: ref('shipments')
    entities: [{name: shipment, type: primary, expr: shipment_id}]
    dimensions: [{name: is_lost, type: categorical, expr: "CASE WHEN status = 'lost' THEN 1 ELSE 0 END"}]
metrics:
  - name: lost_count
    label: Lost count
    type: simple
    type_params: {measure: shipped}
    filter: "{{ Dimension('shipment__is_lost') }} = 1"
YML
"$DPGEN" generate --no-record --as-of 2025-07-16 --db "$DB" --models "$WORK/homes" --format json "lost count" >"$WORK/homes.json" 2>"$WORK/err"
python3 - "$WORK/homes.json" <<'PY' && ok "a dimension of another dataset keyed by the same entity" || bad "shared primary entity: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "is_lost" in d["transformation"]["sql"] or "'lost'" in d["transformation"]["sql"]
assert int(d["transformation"]["test_run"]["sample_rows"][0]["lost_count"]) > 0
PY
# a constant dimension of a joined dataset ("1" where a row exists) is NULL
# where none joined, as MetricFlow's LEFT JOIN gives
cat > "$WORK/sub.sql" <<'SQL'
CREATE TABLE facts AS SELECT i AS fact_id, i * 10 AS amount, DATE '2025-01-01' + CAST(i AS INTEGER) AS day, i * 10 > 50 AS is_big FROM range(1, 11) t(i);
CREATE TABLE marked AS SELECT fact_id FROM facts WHERE fact_id <= 3;
SQL
"$DPGEN" demo --sql "$WORK/sub.sql" --out "$WORK/sub.duckdb" >/dev/null 2>&1
mkdir -p "$WORK/sub"
cat > "$WORK/sub/m.yml" <<'YML'
semantic_models:
  - name: facts
    model: ref('facts')
    defaults: {agg_time_dimension: day}
    entities: [{name: fact, type: primary, expr: fact_id}]
    dimensions: [{name: day, type: time, type_params: {time_granularity: day}}, {name: is_big, type: categorical}]
    measures: [{name: amount, agg: sum}]
  - name: marked
    model: ref('marked')
    entities: [{name: fact, type: primary, expr: fact_id}]
    dimensions: [{name: is_marked, type: categorical, expr: "1"}]
metrics:
  - name: marked_amount
    label: Marked amount
    type: simple
    type_params: {measure: amount}
    filter: "{{ Dimension('fact__is_marked') }} = 1"
  - {name: total_amount, label: Total amount, type: simple, type_params: {measure: amount}}
YML
"$DPGEN" generate --no-record --db "$WORK/sub.duckdb" --models "$WORK/sub" --format json "marked amount" >"$WORK/sub.json" 2>"$WORK/err"
python3 - "$WORK/sub.json" <<'PY' && ok "a constant dimension of a joined dataset is NULL where no row joined" || bad "constant joined dimension: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert float(d["transformation"]["test_run"]["sample_rows"][0]["marked_amount"]) == 60, d["transformation"]["test_run"]["sample_rows"]
PY
# data recorded by month is never cut inside a month: the range widens, said
mkdir -p "$WORK/monthly"
cat > "$WORK/monthly/m.yml" <<'YML'
semantic_models:
  - name: month_facts
    model: ref('facts')
    defaults: {agg_time_dimension: day}
    entities: [{name: fact, type: primary, expr: fact_id}]
    dimensions: [{name: day, type: time, type_params: {time_granularity: month}}]
    measures: [{name: booked, agg: sum, expr: amount}]
metrics:
  - {name: booked, label: Booked, type: simple, type_params: {measure: booked}}
YML
"$DPGEN" generate --no-record --as-of 2025-01-12 --db "$WORK/sub.duckdb" --models "$WORK/monthly" --format json "booked in the last 5 days" >"$WORK/mo.json" 2>"$WORK/err"
python3 - "$WORK/mo.json" <<'PY' && ok "a range widens to the months monthly data is recorded by" || bad "monthly range: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert float(d["transformation"]["test_run"]["sample_rows"][0]["booked"]) == 550, d["transformation"]["test_run"]["sample_rows"]
assert "widened to whole months" in json.dumps(d)
PY
# a yes/no column named for what it says: its words are the value true
"$DPGEN" generate --no-record --db "$WORK/sub.duckdb" --models "$WORK/sub" --format json "total amount for big facts" >"$WORK/big.json" 2>"$WORK/err"
python3 - "$WORK/big.json" <<'PY' && ok "'big facts' is is_big = true" || bad "yes/no column: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert float(d["transformation"]["test_run"]["sample_rows"][0]["total_amount"]) == 400, d["transformation"]["test_run"]["sample_rows"]
PY
# forms seen in projects: the grain inside the dimension block, the model's
# time in the semantic_model block, a metric written under its column
mkdir -p "$WORK/forms"
cat > "$WORK/forms/m.yml" <<'YML'
models:
  - name: facts
    semantic_model:
      enabled: true
      agg_time_dimension: day
    columns:
      - name: fact_id
        entity: {type: primary, name: fact}
      - name: day
        dimension: {type: time, granularity: day}
      - name: amount
        metrics:
          - {name: amount_total, label: Amount total, type: simple, agg: sum}
YML
"$DPGEN" generate --no-record --db "$WORK/sub.duckdb" --models "$WORK/forms" --format json "monthly amount total" >"$WORK/forms.json" 2>"$WORK/err"
python3 - "$WORK/forms.json" <<'PY' && ok "a metric under its column sums the column" || bad "column metric: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert float(d["transformation"]["test_run"]["sample_rows"][0]["amount_total"]) == 550, d["transformation"]["test_run"]["sample_rows"]
PY
# a ranking with nothing to group (the noun names a dataset, no dimension) is
# asked, never a one-row total cut to N rows
expect_rc 3 "a ranking of a dataset's name is asked" -- "$DPGEN" generate --no-record --db "$WORK/sub.duckdb" --models "$WORK/sub" "top 3 marked by amount"
grep -q "no grouping to rank" "$WORK/err" && ok "says there is nothing to rank" || bad "ranked nothing: $(tail -1 "$WORK/err")"
# dbt's metrics before 1.6 (the dbt_metrics package) are named as such
mkdir -p "$WORK/old"
cat > "$WORK/old/m.yml" <<'YML'
version: 2
metrics:
  - name: revenue
    label: Revenue
    model: ref('orders')
    calculation_method: sum
    expression: amount
    timestamp: order_date
    time_grains: [day, week, month]
YML
expect_rc 1 "a pre-1.6 metric" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/old"
grep -q "m.yml:3:5: metric 'revenue' is written in dbt's metrics spec before 1.6" "$WORK/err" && ok "names dbt's old metrics spec" || bad "old spec: $(cat "$WORK/err")"
# errors name the file and line
mkdir -p "$WORK/bad/models"
cat > "$WORK/bad/models/m.yml" <<'YML'
models:
  - name: shipments
    semantic_model: true
    agg_time_dimension: ship_date
    columns:
      - name: shipment_id
        entity: primery
YML
expect_rc 1 "an unknown entity type is an error" -- "$DPGEN" catalog list --db "$DB" --models "$WORK/bad/models"
grep -q "m.yml:7" "$WORK/err" && ok "the error names file:line" || bad "error without file:line: $(cat "$WORK/err")"
finish
