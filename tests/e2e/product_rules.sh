#!/usr/bin/env bash
# Rules on the product itself (issue 12): the funnel on the product's own
# component measure columns, orphan rows (an entity its dataset lacks keeps
# its group), the first and last periods the sources cover only in part,
# and grain columns with a NULL group (no not-null, no primary key, the
# spec says why). Each rule's status and failing rows against a hand count.
. "$(dirname "$0")/lib.inc"
RC="$DP_SOURCE_DIR/tests/e2e/rulecount.py"
# the demo: data 2025-01-01 (a Wednesday) .. 2025-06-30 (a Monday)
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || { bad "build demo"; finish; exit 1; }
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
cat > "$WORK/demo.json" <<'JSON'
[
 {"request": "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
  "args": ["--as-of", "2025-07-16"],
  "primary_keys": ["week", "campaign_id"], "unique_key": ["week", "campaign_id"],
  "not_null": {"week": true, "campaign_id": true},
  "rules": [
   {"type": "funnel_order", "status": "passed", "desc": ["row of the product", "clicks than impressions"],
    "count": "SELECT count(*) FROM (SELECT date_trunc('week', event_date) AS w, campaign_id, sum(clicks) AS c, sum(impressions) AS i FROM bronze.marketing_events GROUP BY ALL) AS g WHERE c > i"},
   {"type": "funnel_order", "status": "passed", "desc": ["row of the product", "conversions than clicks"],
    "count": "SELECT count(*) FROM product WHERE conversions > clicks"},
   {"type": "funnel_order", "status": "failed", "desc": ["no source row"],
    "count": "SELECT count(*) FROM bronze.marketing_events WHERE clicks > impressions"},
   {"type": "orphan_rows", "column": "campaign_id", "status": "failed", "desc": ["marketing_campaigns"],
    "count": "SELECT count(*) FROM (SELECT DISTINCT date_trunc('week', e.event_date), e.campaign_id FROM bronze.marketing_events AS e LEFT JOIN bronze.marketing_campaigns AS m USING (campaign_id) WHERE m.campaign_id IS NULL AND e.campaign_id IS NOT NULL) AS o"},
   {"type": "orphan_rows", "column": "campaign_id", "status": "failed", "desc": ["NULL in the columns taken from it (campaign_name, objective, channel, region)"],
    "count": "SELECT count(*) FROM product WHERE campaign_name IS NULL AND channel IS NULL AND campaign_id NOT IN (SELECT campaign_id FROM bronze.marketing_campaigns)"},
   {"type": "partial_period", "column": "week", "status": "failed",
    "desc": ["first week (2024-12-30)", "starts on 2025-01-01, a Wednesday", "last week (2025-06-30)", "ends on 2025-06-30, a Monday"],
    "count": "SELECT count(*) FROM product WHERE week IN (DATE '2024-12-30', DATE '2025-06-30')"},
   {"type": "range", "column": "ctr", "status": "passed"},
   {"type": "non_negative", "column": "impressions", "status": "passed"}
  ]},
 {"request": "weekly ctr and clicks by campaign", "args": ["--as-of", "2025-07-16"],
  "rules": [{"type": "funnel_order", "status": "passed", "desc": ["row of the product", "its columns clicks and impressions"],
             "count": "SELECT count(*) FROM product WHERE clicks > impressions"}]},
 {"request": "quarterly clicks", "args": ["--as-of", "2025-07-16"],
  "rules": [{"type": "partial_period", "column": "quarter", "status": "passed",
             "desc": ["every quarter is whole: marketing_events.event_date covers 2025-01-01 to 2025-06-30"], "count": "SELECT 0"}]},
 {"request": "yearly clicks", "args": ["--as-of", "2025-07-16"],
  "rules": [{"type": "partial_period", "column": "year", "status": "failed", "desc": ["the last year (2025-01-01) is partial"],
             "count": "SELECT count(*) FROM product"}]},
 {"request": "monthly clicks by campaign in March 2025", "args": ["--as-of", "2025-07-16"],
  "rules": [{"type": "partial_period", "column": "month", "status": "passed", "desc": ["every month is whole"],
             "count": "SELECT 0"}]},
 {"request": "weekly clicks in March 2025", "args": ["--as-of", "2025-07-16"],
  "rules": [{"type": "partial_period", "column": "week", "status": "failed",
             "desc": ["the request's range starts on 2025-03-01, a Saturday", "the request's range ends on 2025-03-31"],
             "count": "SELECT count(*) FROM product WHERE week IN (DATE '2025-02-24', DATE '2025-03-31')"}]}
]
JSON
python3 "$RC" "$DPGEN" "$WORK/demo.duckdb" - "$WORK/demo.json" "$WORK" && ok "demo: product rules" || bad "demo: product rules"
# ranges of rates only: the ratios that are no share (cpa, roas) have none
"$DPGEN" generate --as-of 2025-07-16 --no-record --format json "weekly ctr, cpa and roas by campaign" >"$WORK/s.json" 2>"$WORK/err"
python3 - "$WORK/s.json" <<'PY' && ok "range rules on rates only" || bad "range rules: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
ranged = sorted(r["column"] for r in d["quality"]["rules"] if r["type"] == "range")
assert ranged == ["ctr"], ranged
roles = {c["name"]: c["role"] for c in d["data_model"]["columns"]}
assert roles.get("clicks") == "measure" and roles.get("spend") == "measure", roles
PY

# orphans and NULL key groups (tests/data/orphans): visits 2025-01-08 (Wed) .. 2025-02-25 (Tue)
D="$DP_SOURCE_DIR/tests/data/orphans"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/o.duckdb" 2>/dev/null || { bad "build orphans"; finish; exit 1; }
cat > "$WORK/orphans.json" <<'JSON'
[
 {"request": "weekly tap rate by item", "no_error_failed": false,
  "primary_keys": [], "unique_key": ["week", "item_id"],
  "not_null": {"week": true, "item_id": false}, "no_rule": [["not_null", "item_id"]],
  "rules": [
   {"type": "funnel_order", "status": "failed", "desc": ["row of the product"],
    "count": "SELECT count(*) FROM (SELECT date_trunc('week', visit_date), item_id, sum(taps) AS t, sum(views) AS v FROM raw.visits GROUP BY ALL) AS g WHERE t > v"},
   {"type": "orphan_rows", "column": "item_id", "status": "failed", "desc": ["missing from items"],
    "count": "SELECT count(DISTINCT date_trunc('week', visit_date)) FROM raw.visits WHERE item_id = 'I9'"},
   {"type": "unique_key", "status": "passed", "desc": ["NULL counted as one value"], "count": "SELECT 0"},
   {"type": "partial_period", "column": "week", "status": "failed",
    "desc": ["first week (2025-01-06)", "starts on 2025-01-08, a Wednesday", "last week (2025-02-24)", "ends on 2025-02-25, a Tuesday"],
    "count": "SELECT count(*) FROM product WHERE week IN (DATE '2025-01-06', DATE '2025-02-24')"}
  ]},
 {"request": "monthly visits by item",
  "primary_keys": [], "unique_key": ["month", "item_id"], "not_null": {"month": true, "item_id": false},
  "rules": [
   {"type": "orphan_rows", "column": "item_id", "status": "failed",
    "count": "SELECT count(*) FROM product AS p WHERE p.item_id IS NOT NULL AND p.item_id NOT IN (SELECT item_id FROM raw.items)"},
   {"type": "partial_period", "column": "month", "status": "failed",
    "desc": ["first month (2025-01-01)", "last month (2025-02-01)"],
    "count": "SELECT count(*) FROM product WHERE month IN (DATE '2025-01-01', DATE '2025-02-01')"}
  ]},
 {"request": "visits by category",
  "primary_keys": [], "unique_key": ["category"], "not_null": {"category": false}, "no_rule": [["not_null", "category"]],
  "rules": [{"type": "unique_key", "status": "passed", "count": "SELECT count(*) FROM (SELECT category FROM product GROUP BY ALL HAVING count(*) > 1) AS d"}]},
 {"request": "visits by item name",
  "primary_keys": [], "not_null": {"item_name": false}}
]
JSON
python3 "$RC" "$DPGEN" "$WORK/o.duckdb" "$D/semantic_models.yml" "$WORK/orphans.json" "$WORK" && ok "orphans: product rules" || bad "orphans: product rules"
# the NULL group's key note counts the NULL rows of the test result
"$DPGEN" generate --db "$WORK/o.duckdb" --models "$D/semantic_models.yml" --no-record --format json "visits by category" >"$WORK/c.json" 2>"$WORK/err"
python3 - "$WORK/c.json" <<'PY' && ok "key note: one NULL category row, through a LEFT JOIN of items" || bad "key note: $(tail -1 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
col = [c for c in d["data_model"]["columns"] if c["name"] == "category"][0]
assert col["key_note"].startswith("1 row(s) of the test run have no category") and "no row in items" in col["key_note"], col
assert not any(c.startswith("PRIMARY KEY") for c in d["data_model"]["constraints"]), d["data_model"]["constraints"]
PY
# the README of the product says why it has no primary key
"$DPGEN" generate --db "$WORK/o.duckdb" --models "$D/semantic_models.yml" --no-record --out "$WORK/o_out" "visits by category" >/dev/null 2>"$WORK/err"
grep -q 'Primary key: none (`category`: 1 row(s) of the test run have no category' "$WORK/o_out/README.md" \
  && ok "README: no primary key, and why" || bad "README grain: $(grep -A2 '## Grain' "$WORK/o_out/README.md")"

# a custom granularity (tests/data/mfspec_time): the fiscal quarters of the spine
T="$DP_SOURCE_DIR/tests/data/mfspec_time"
"$DPGEN" demo --sql "$T/data.sql" --out "$WORK/t.duckdb" 2>/dev/null || { bad "build mfspec_time"; finish; exit 1; }
cat > "$WORK/time.json" <<'JSON'
[
 {"request": "sales by fiscal quarter",
  "rules": [{"type": "partial_period", "column": "fiscal_quarter", "status": "failed", "desc": ["first fiscal_quarter", "last fiscal_quarter"],
             "count": "SELECT count(*) FROM product WHERE fiscal_quarter IN (DATE '2024-11-01', DATE '2025-05-01')"}]},
 {"request": "sales by fiscal quarter in March 2025",
  "rules": [{"type": "partial_period", "column": "fiscal_quarter", "status": "failed",
             "desc": ["the request's range starts on 2025-03-01", "the request's range ends on 2025-03-31"],
             "count": "SELECT count(*) FROM product WHERE fiscal_quarter = DATE '2025-02-01'"}]}
]
JSON
python3 "$RC" "$DPGEN" "$WORK/t.duckdb" "$T/semantic_models.yml" "$WORK/time.json" "$WORK" && ok "custom grain: partial fiscal quarters" || bad "custom grain: partial fiscal quarters"

# the wide product's catalog (tests/data/wide): a filtered numerator (returned sales) and a store the stores lack
W="$DP_SOURCE_DIR/tests/data/wide"
"$DPGEN" demo --sql "$W/data.sql" --out "$WORK/w.duckdb" 2>/dev/null || { bad "build wide"; finish; exit 1; }
cat > "$WORK/wide.json" <<'JSON'
[
 {"request": "monthly return rate by store",
  "rules": [
   {"type": "funnel_order", "status": "passed", "desc": ["its columns returned_sales and sale_count"],
    "count": "SELECT count(*) FROM (SELECT date_trunc('month', sold_on) AS m, store_id, count(*) FILTER (WHERE returned) AS r, count(*) AS n FROM bronze.sales GROUP BY ALL) AS g WHERE r > n"},
   {"type": "non_negative", "column": "returned_sales", "status": "passed", "desc": ["its filter"]},
   {"type": "orphan_rows", "column": "store_id", "status": "failed", "desc": ["missing from stores"],
    "count": "SELECT count(DISTINCT date_trunc('month', sold_on)) FROM bronze.sales WHERE store_id NOT IN (SELECT store_id FROM bronze.stores)"}
  ]}
]
JSON
python3 "$RC" "$DPGEN" "$WORK/w.duckdb" "$W/semantic_models.yml" "$WORK/wide.json" "$WORK" && ok "wide: product rules" || bad "wide: product rules"

# a catalog the rules were not written for (tests/data/logistics): shipments 2024-07-01 (a Monday) .. 2025-06-30
L="$DP_SOURCE_DIR/tests/data/logistics"
"$DPGEN" demo --sql "$L/data.sql" --out "$WORK/l.duckdb" 2>/dev/null || { bad "build logistics"; finish; exit 1; }
cat > "$WORK/logistics.json" <<'JSON'
[
 {"request": "Weekly on-time delivery rate by carrier",
  "primary_keys": ["week", "carrier_id"], "not_null": {"week": true, "carrier_id": true},
  "rules": [
   {"type": "orphan_rows", "column": "carrier_id", "status": "failed",
    "count": "SELECT count(*) FROM product AS p LEFT JOIN bronze.carriers AS c USING (carrier_id) WHERE c.carrier_id IS NULL"},
   {"type": "partial_period", "column": "week", "status": "failed", "desc": ["the last week (2025-06-30)", "ends on 2025-06-30, a Monday"],
    "count": "SELECT count(*) FROM product WHERE week = DATE '2025-06-30'"}
  ]},
 {"request": "monthly shipments by warehouse",
  "primary_keys": ["month", "warehouse_id"], "not_null": {"month": true, "warehouse_id": true},
  "rules": [
   {"type": "orphan_rows", "column": "warehouse_id", "status": "passed",
    "count": "SELECT count(*) FROM product AS p LEFT JOIN bronze.warehouses AS w USING (warehouse_id) WHERE w.warehouse_id IS NULL"},
   {"type": "partial_period", "column": "month", "status": "passed", "desc": ["every month is whole"], "count": "SELECT 0"}
  ]},
 {"request": "weekly shipments by carrier type",
  "primary_keys": [], "unique_key": ["week", "carrier_type"], "not_null": {"week": true, "carrier_type": false},
  "no_rule": [["not_null", "carrier_type"]],
  "rules": [{"type": "unique_key", "status": "passed", "desc": ["NULL counted as one value"],
             "count": "SELECT count(*) FROM (SELECT week, carrier_type FROM product GROUP BY ALL HAVING count(*) > 1) AS d"}]}
]
JSON
python3 "$RC" "$DPGEN" "$WORK/l.duckdb" "$L/semantic_models.yml" "$WORK/logistics.json" "$WORK" && ok "logistics: product rules" || bad "logistics: product rules"
finish
