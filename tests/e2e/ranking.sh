#!/usr/bin/env bash
# Discovery ranking: each factor (coverage, quality, freshness, popularity) is
# computed, explained in the spec, and decides between datasets that could
# serve the same phrase.
. "$(dirname "$0")/lib.inc"
cat > "$WORK/data.sql" <<'SQL'
CREATE SCHEMA bronze;
CREATE TABLE bronze.sales AS SELECT i AS sale_id, 1 + i % 10 AS store_id, 1 + i % 7 AS depot_id,
  DATE '2025-01-01' + CAST(i % 180 AS INTEGER) AS sold_on, (i % 50) * 1.5 AS amount FROM range(1, 5001) t(i);
-- stores: complete, fresh
CREATE TABLE bronze.stores AS SELECT i AS store_id, ['north', 'south'][1 + i % 2] AS region,
  DATE '2025-06-30' AS opened_on FROM range(1, 11) t(i);
-- depots: regions mostly missing, stale
CREATE TABLE bronze.depots AS SELECT i AS depot_id, CASE WHEN i < 3 THEN ['north', 'south'][1 + i % 2] END AS region,
  DATE '2020-01-01' AS opened_on FROM range(1, 8) t(i);
SQL
cat > "$WORK/models.yml" <<'YML'
semantic_models:
  - name: sales
    model: ref('sales')
    defaults: {agg_time_dimension: sold_on}
    entities:
      - {name: sale, type: primary, expr: sale_id}
      - {name: store, type: foreign, expr: store_id}
      - {name: depot, type: foreign, expr: depot_id}
    dimensions:
      - {name: sold_on, type: time, type_params: {time_granularity: day}}
    measures:
      - {name: amount, agg: sum}
  - name: stores
    model: ref('stores')
    defaults: {agg_time_dimension: opened_on}
    entities: [{name: store, type: primary, expr: store_id}]
    dimensions:
      - {name: region, type: categorical}
      - {name: opened_on, type: time, type_params: {time_granularity: day}}
  - name: depots
    model: ref('depots')
    defaults: {agg_time_dimension: opened_on}
    entities: [{name: depot, type: primary, expr: depot_id}]
    dimensions:
      - {name: region, type: categorical}
      - {name: opened_on, type: time, type_params: {time_granularity: day}}
metrics:
  - {name: amount, label: Sales amount, type: simple, type_params: {measure: amount}}
YML
"$DPGEN" demo --sql "$WORK/data.sql" --out "$WORK/r.duckdb" 2>/dev/null || bad "build"
expect_rc 0 "region could be either dataset's" -- "$DPGEN" generate --db "$WORK/r.duckdb" --models "$WORK/models.yml" \
  --format json "amount by region"
python3 - "$WORK/out" <<'PY' && ok "quality and freshness pick stores.region; every factor explained" || bad "ranking: $(head -c 600 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "stores.region" in [c["expression"] for c in d["data_model"]["columns"]], d["data_model"]["columns"]
c = {x["dataset"]: x for x in d["discovery"]["candidates"]}
assert set(c) >= {"sales", "stores", "depots"}, c.keys()
assert c["stores"]["factors"]["quality"] > c["depots"]["factors"]["quality"]
assert c["stores"]["factors"]["freshness"] > c["depots"]["factors"]["freshness"]
assert c["sales"]["factors"]["coverage"] > c["depots"]["factors"]["coverage"]
assert c["stores"]["score"] > c["depots"]["score"]
for x in c.values():
    for k in ("coverage", "quality", "freshness", "popularity"):
        assert k in x["explanation"].replace("x0.", "") or k in x["explanation"], x["explanation"]
    w = x["factors"]
    assert abs(x["score"] - (0.4 * w["coverage"] + 0.3 * w["quality"] + 0.2 * w["freshness"] + 0.1 * w["popularity"])) < 1e-6
PY
finish
