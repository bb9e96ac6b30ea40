#!/usr/bin/env bash
# Product names a data engineer would choose: the request's own noun phrase
# (before "report", "table", ... or a title before a colon) wins over the
# list of metrics, with the grain, groupings and ranking it does not say
# appended; without one, the metrics and the grouping. The modeling decision
# says which, and the export files carry the name.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
gen() { "$DPGEN" generate --as-of 2025-07-16 --no-record --format json "$@"; }
# name REQUEST WANT [DECISION-PART]: the product's name, and the modeling
# decision that says why
name() {
  local req=$1 want=$2 why=${3:-}
  expect_rc 0 "$req" -- gen "$req"
  python3 - "$WORK/out" "$want" "$why" <<'PY' && ok "  named $want" || bad "  name of '$req': $(head -c 300 "$WORK/out")"
import json, re, sys
d = json.load(open(sys.argv[1]))
name, want, why = d["metadata"]["name"], sys.argv[2], sys.argv[3]
assert name == want, name
assert d["data_model"]["target_table"] == "gold." + name, d["data_model"]["target_table"]
assert re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name), name
ds = [x for s in d["execution"]["stages"] if s["stage"] == "modeling" for x in s["decisions"]]
said = [x for x in ds if x.startswith(name + ": named ")]
assert len(said) == 1 and why in said[0], ds
PY
}
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
name "$SEED" weekly_marketing_performance_by_campaign \
  "named after the request's phrase 'weekly marketing performance report' and the grouping campaign"
name "Build a customer 360 table with orders and revenue for each customer" customer_360 \
  "named after the request's phrase 'customer 360 table'"
name "Customer 360 table: for each customer, orders and revenue" customer_360 "'Customer 360 table'"
# an SQL reserved word is never a table's whole name (read unquoted by contract checks)
name "Build an all table with revenue" all_table "'all table'"
name "Recommendation features per user and product: views, clicks and purchases" \
  recommendation_features_by_user_and_product "'Recommendation features' and the grouping user and product"
# the grain the phrase lacks is added; a year that starts it moves last
name "Create a marketing performance report with CTR per week for each campaign" \
  weekly_marketing_performance_by_campaign "and the grain weekly, the grouping campaign"
name "2025 revenue report by region" revenue_2025_by_region "'2025 revenue report'"
# two requests apart keep two names apart; the same request, the same name
name "weekly revenue report" weekly_revenue "'weekly revenue report'"
name "weekly revenue report by region" weekly_revenue_by_region "the grouping region"
# no phrase of its own: the metrics and the grouping, as before
name "revenue by region last month" revenue_by_region "the request names no product"
name "Create a monthly report of revenue by region" monthly_revenue_by_region "the request names no product"
name "Create a sales report for each region, with revenue" sales_by_region "'sales report'"
# at most 63 characters, cut at a word, never ending on "_by" or "_and"
name "Create a weekly customer revenue performance tracking overview for each region and sales channel with revenue" \
  weekly_customer_revenue_performance_tracking_by_region "and the grouping region and sales_channel"
# a title that is only a period names nothing
name "2025: revenue by region" revenue_by_region "the request names no product"
# a number inside the name is part of it, but one before a catalog word is
# still asked about, never dropped
expect_rc 3 "a number before a catalog word is still asked" -- gen "Give me 5 campaigns report with clicks"
grep -q "'5' is a number" "$WORK/err" && ok "  names the number" || bad "  5: $(cat "$WORK/err")"
# the export files use the name
expect_rc 0 "export of a named product" -- "$DPGEN" generate --as-of 2025-07-16 --no-record --out "$WORK/o" \
  "Build a customer 360 table with orders and revenue for each customer"
for f in dbt/models/customer_360.sql customer_360.odcs.yaml gx/customer_360_suite.json airflow/customer_360_dag.py; do
  [ -s "$WORK/o/$f" ] && ok "  writes $f" || bad "  lacks $f: $(cd "$WORK/o" && find . -type f | head -20)"
done
finish
