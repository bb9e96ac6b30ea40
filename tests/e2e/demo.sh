#!/usr/bin/env bash
# The demo: the seed request and the showcase requests, answered with an
# executed spec; the demo's injected defects show up as failed rules.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
expect_rc 0 "seed request (yaml)" -- "$DPGEN" generate "$SEED"
for section in metadata business_context intent source_datasets data_model transformation quality sla lineage execution; do
  grep -q "^$section:" "$WORK/out" && ok "yaml has $section" || bad "yaml lacks $section"
done
expect_rc 0 "seed request (json)" -- "$DPGEN" generate --format json "$SEED"
python3 - "$WORK/out" <<'PY' && ok "seed spec content" || bad "seed spec content"
import json, sys
d = json.load(open(sys.argv[1]))
sql = d["transformation"]["sql"]
assert "NULLIF" in sql and "date_trunc('week'" in sql, sql
assert [m["name"] for m in d["business_context"]["metrics"]] == ["ctr", "cvr", "cpa", "roas"]
assert d["data_model"]["target_table"].startswith("gold.")
assert d["data_model"]["primary_keys"] == ["week", "campaign_id"]
assert d["transformation"]["test_run"]["rows"] > 0
assert d["metadata"]["version"] == "1.0.0"
rules = d["quality"]["rules"]
failed = {r["type"] for r in rules if r["result"]["status"] == "failed"}
assert {"funnel_order", "source_unique_key", "source_relationship", "source_non_negative"} <= failed, failed
for r in rules:
    if r["result"]["status"] == "failed":
        assert r["severity"] == "warn", r  # source defects warn; the product itself is sound
        assert r["result"]["failing_rows"] > 0 and r["result"]["examples"], r
assert d["quality"]["great_expectations_suite"]["expectations"]
assert len(d["execution"]["stages"]) == 6
PY
for req in "Daily sales by region and product category" \
  "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support tickets and average satisfaction" \
  "Revenue per day by customer region for the app channel in June 2025" \
  "top 10 products by units sold" \
  "Recommendation features per user and product: views, clicks, add to carts, purchases and average rating"; do
  expect_rc 0 "showcase: $req" -- "$DPGEN" generate --format json "$req"
done
expect_rc 0 "a second product on the same dataset" -- "$DPGEN" generate --format json "monthly spend and clicks by device"
python3 - "$WORK/out" <<'PY' && ok "rules earlier products adopted are marked as history" || bad "history"
import json, sys
d = json.load(open(sys.argv[1]))
h = [r for r in d["quality"]["rules"] if r.get("history")]
assert any(r["type"] == "source_unique_key" and r["history"]["adopted_by_earlier_products"] >= 1 for r in h), h
c = {x["dataset"]: x for x in d["discovery"]["candidates"]}
assert c["marketing_events"]["factors"]["popularity"] > 0, c
PY
# a metric that cannot be grouped as asked is replaced only by one its own
# words name: revenue per campaign is the campaigns' ad revenue, never the
# count of campaigns that "campaigns" pulls up
expect_rc 0 "revenue by campaign" -- "$DPGEN" generate --no-record --format json "Top 5 campaigns by revenue"
python3 - "$WORK/out" <<'PY' && ok "replacement metric answers to the request's words" || bad "replacement: $(head -c 300 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["intent"]["metrics"] == ["ad_revenue"], d["intent"]["metrics"]
ds = [x for s in d["execution"]["stages"] if s["stage"] == "discovery" for x in s["decisions"]]
assert any("chose ad_revenue" in x for x in ds), ds
PY
expect_rc 0 "markdown" -- "$DPGEN" generate --format markdown "$SEED"
grep -q "^## Quality rules" "$WORK/out" && ok "markdown has rules" || bad "markdown"
expect_rc 0 "export" -- "$DPGEN" generate --out "$WORK/export" "$SEED"
for f in spec.yaml spec.json README.md dbt/dbt_project.yml dbt/models/schema.yml sql/assertions.sql; do
  [ -s "$WORK/export/$f" ] && ok "export wrote $f" || bad "export lacks $f"
done
expect_rc 0 "intent json" -- "$DPGEN" intent "Show me the CTR on mobile in the US, week by week"
python3 -c "import json,sys; d=json.load(open('$WORK/out')); assert d['metrics']==['ctr'] and d['time_grain']=='week' and len(d['filters'])==2, d" \
  && ok "intent structure" || bad "intent structure"
expect_rc 0 "catalog search" -- "$DPGEN" catalog search "ad spend"
python3 -c "import json; d=json.load(open('$WORK/out')); assert d['results'][0]['name']=='spend', d['results'][:3]" \
  && ok "search finds ad spend as spend" || bad "search ad spend: $(head -c 300 "$WORK/out")"
expect_rc 0 "catalog show" -- "$DPGEN" catalog show marketing_events
expect_rc 0 "runs" -- "$DPGEN" runs
grep -q "weekly_marketing_performance_by_campaign" "$WORK/out" && ok "runs recorded" || bad "runs not recorded"
finish
