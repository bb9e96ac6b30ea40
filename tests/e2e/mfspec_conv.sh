#!/usr/bin/env bash
# Conversion metrics and semi-additive measures against hand-written gold
# queries of MetricFlow's semantics, on tests/data/mfspec_conv (see its
# data.sql for the traps). Conversions: a purchase counts for the latest
# visit of the same user on or before its day, within [visit day, visit day
# + 7 days), constant properties equal, once; grouped by that visit; the
# rate divides by the visits of the group (NULL when no purchase converted).
# Balances: the rows on the last day (per period, after filters; per
# product for stock counts), summed.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/mfspec_conv"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/c.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
# the gold's building blocks: visits and purchases by day, each purchase's visit
V="v AS (SELECT v.*, CAST(visited_at AS DATE) AS d, CAST(date_trunc('month', visited_at) AS DATE) AS month, CAST(date_trunc('week', visited_at) AS DATE) AS week, u.segment FROM bronze.visits v LEFT JOIN bronze.users u USING (user_id))"
VADS="v AS (SELECT * FROM (${V#v AS }) AS x WHERE channel = 'ads')"
P="p AS (SELECT p.*, CAST(purchased_at AS DATE) AS d FROM bronze.purchases p)"
M7="m AS (SELECT p.purchase_id, p.amount, (SELECT v.visit_id FROM v WHERE v.user_id = p.user_id AND v.d <= p.d AND p.d - v.d < 7 ORDER BY v.d DESC LIMIT 1) AS visit_id FROM p)"
MALL="m AS (SELECT p.purchase_id, p.amount, (SELECT v.visit_id FROM v WHERE v.user_id = p.user_id AND v.d <= p.d ORDER BY v.d DESC LIMIT 1) AS visit_id FROM p)"
MDEV="m AS (SELECT p.purchase_id, p.amount, (SELECT v.visit_id FROM v WHERE v.user_id = p.user_id AND v.d <= p.d AND p.d - v.d < 7 AND v.device = p.device ORDER BY v.d DESC LIMIT 1) AS visit_id FROM p)"
MV="mv AS (SELECT v.*, m.purchase_id, m.amount FROM m JOIN v USING (visit_id))"
B="b AS (SELECT b.*, a.account_type, CAST(date_trunc('month', snapshot_date) AS DATE) AS month FROM bronze.balances b JOIN bronze.accounts a USING (account_id))"
cat > "$WORK/cases.json" <<JSON
[
 {"request": "monthly conversion rate",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.month, (SELECT count(*) FROM mv WHERE mv.month = v.month) * 1.0 / count(*) AS visit_to_purchase_rate FROM v GROUP BY v.month"},
 {"request": "conversion rate by channel",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.channel, (SELECT count(*) FROM mv WHERE mv.channel = v.channel) * 1.0 / count(*) AS visit_to_purchase_rate FROM v GROUP BY v.channel"},
 {"request": "conversion rate by segment and month",
  "gold": "WITH $V, $P, $M7, $MV, c AS (SELECT month, segment, count(*) AS n FROM mv GROUP BY 1, 2), s AS (SELECT month, segment, count(*) AS n FROM v GROUP BY 1, 2) SELECT s.month, s.segment, c.n * 1.0 / s.n AS visit_to_purchase_rate FROM s LEFT JOIN c ON c.month = s.month AND c.segment IS NOT DISTINCT FROM s.segment"},
 {"request": "converted purchases by channel",
  "gold": "WITH $V, $P, $M7, $MV SELECT channel, count(*) AS purchase_conversions FROM mv GROUP BY 1"},
 {"request": "lifetime visit conversion by month",
  "gold": "WITH $V, $P, $MALL, $MV SELECT v.month, (SELECT count(*) FROM mv WHERE mv.month = v.month) * 1.0 / count(*) AS lifetime_conversion_rate FROM v GROUP BY v.month"},
 {"request": "same device conversion by channel",
  "gold": "WITH $V, $P, $MDEV, $MV SELECT v.channel, (SELECT count(*) FROM mv WHERE mv.channel = v.channel) * 1.0 / count(*) AS same_device_conversion_rate FROM v GROUP BY v.channel"},
 {"request": "converted amount by month",
  "gold": "WITH $V, $P, $M7, $MV SELECT month, sum(amount) AS converted_amount FROM mv GROUP BY 1"},
 {"request": "conversion rate for the search channel",
  "gold": "WITH $V, $P, $M7, $MV SELECT (SELECT count(*) FROM mv WHERE channel = 'search') * 1.0 / count(*) AS visit_to_purchase_rate FROM v WHERE channel = 'search'"},
 {"request": "conversion rate in January 2025",
  "gold": "WITH $V, $P, $M7, $MV SELECT (SELECT count(*) FROM mv WHERE month = DATE '2025-01-01') * 1.0 / count(*) AS visit_to_purchase_rate FROM v WHERE month = DATE '2025-01-01'"},
 {"request": "weekly conversion rate",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.week, (SELECT nullif(count(*), 0) FROM mv WHERE mv.week = v.week) * 1.0 / count(*) AS visit_to_purchase_rate FROM v GROUP BY v.week"},
 {"request": "ads conversion rate by month",
  "gold": "WITH $VADS, $P, $M7, $MV, c AS (SELECT month, count(*) AS n FROM mv GROUP BY 1) SELECT s.month, c.n * 1.0 / s.n AS ads_conversion_rate FROM (SELECT month, count(*) AS n FROM v GROUP BY 1) s LEFT JOIN c USING (month)"},
 {"request": "visitor conversion rate by month",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.month, (SELECT count(DISTINCT user_id) FROM mv WHERE mv.month = v.month) * 1.0 / count(DISTINCT user_id) AS visitor_conversion_rate FROM v GROUP BY v.month"},
 {"request": "conversion percent by channel",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.channel, (SELECT count(*) FROM mv WHERE mv.channel = v.channel) * 100.0 / count(*) AS conversion_percent FROM v GROUP BY v.channel"},
 {"request": "conversion rate and lifetime visit conversion by month",
  "gold": "WITH $V, $P, $M7, $MV, mall AS (SELECT p.purchase_id, (SELECT v.visit_id FROM v WHERE v.user_id = p.user_id AND v.d <= p.d ORDER BY v.d DESC LIMIT 1) AS visit_id FROM p), mva AS (SELECT v.* FROM mall JOIN v USING (visit_id)) SELECT v.month, (SELECT count(*) FROM mv WHERE mv.month = v.month) * 1.0 / count(*) AS visit_to_purchase_rate, (SELECT count(*) FROM mva WHERE mva.month = v.month) * 1.0 / count(*) AS lifetime_conversion_rate FROM v GROUP BY v.month"},
 {"request": "conversion rate by user",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.user_id, (SELECT nullif(count(*), 0) FROM mv WHERE mv.user_id = v.user_id) * 1.0 / count(*) AS visit_to_purchase_rate FROM v GROUP BY v.user_id"},
 {"request": "savings balance by month",
  "gold": "WITH $B, k AS (SELECT * FROM b WHERE account_type = 'savings') SELECT month, sum(balance) AS savings_balance FROM k WHERE snapshot_date = (SELECT max(snapshot_date) FROM k k2 WHERE k2.month = k.month) GROUP BY 1"},
 {"request": "weekly converted purchases",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.week, (SELECT nullif(count(*), 0) FROM mv WHERE mv.week = v.week) AS purchase_conversions FROM v GROUP BY v.week"},
 {"request": "weekly zero filled conversions",
  "gold": "WITH $V, $P, $M7, $MV SELECT v.week, (SELECT count(*) FROM mv WHERE mv.week = v.week) AS zero_filled_conversions FROM v GROUP BY v.week"},
 {"request": "same month conversion",
  "gold": "WITH $V, $P SELECT (SELECT count(*) FROM p WHERE EXISTS (SELECT 1 FROM v WHERE v.user_id = p.user_id AND v.month = date_trunc('month', p.purchased_at))) * 1.0 / (SELECT count(*) FROM v) AS same_month_conversion_rate"},
 {"request": "balance by month",
  "gold": "WITH $B SELECT month, sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b b2 WHERE b2.month = b.month) GROUP BY 1"},
 {"request": "total balance",
  "gold": "WITH $B SELECT sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b)"},
 {"request": "balance by account type",
  "gold": "WITH $B SELECT account_type, sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b) GROUP BY 1"},
 {"request": "balance by account type and month",
  "gold": "WITH $B SELECT month, account_type, sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b b2 WHERE b2.month = b.month) GROUP BY 1, 2"},
 {"request": "balance by account",
  "gold": "WITH $B SELECT account_id, sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b) GROUP BY 1"},
 {"request": "opening balance by month",
  "gold": "WITH $B SELECT month, sum(balance) AS opening_balance FROM b WHERE snapshot_date = (SELECT min(snapshot_date) FROM b b2 WHERE b2.month = b.month) GROUP BY 1"},
 {"request": "balance and opening balance by month",
  "gold": "WITH $B SELECT month, sum(balance) FILTER (WHERE snapshot_date = (SELECT max(snapshot_date) FROM b b2 WHERE b2.month = b.month)) AS balance, sum(balance) FILTER (WHERE snapshot_date = (SELECT min(snapshot_date) FROM b b2 WHERE b2.month = b.month)) AS opening_balance FROM b GROUP BY 1"},
 {"request": "balance in February 2025",
  "gold": "WITH $B SELECT sum(balance) AS balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b WHERE month = DATE '2025-02-01')"},
 {"request": "balance for checking accounts by month",
  "gold": "WITH $B, k AS (SELECT * FROM b WHERE account_type = 'checking') SELECT month, sum(balance) AS balance FROM k WHERE snapshot_date = (SELECT max(snapshot_date) FROM k k2 WHERE k2.month = k.month) GROUP BY 1"},
 {"request": "stock on hand",
  "gold": "SELECT sum(on_hand) AS stock_on_hand FROM bronze.stock_counts s WHERE counted_on = (SELECT max(counted_on) FROM bronze.stock_counts s2 WHERE s2.product_id = s.product_id)"},
 {"request": "monthly stock on hand",
  "gold": "WITH s AS (SELECT *, CAST(date_trunc('month', counted_on) AS DATE) AS month FROM bronze.stock_counts) SELECT month, sum(on_hand) AS stock_on_hand FROM s WHERE counted_on = (SELECT max(counted_on) FROM s s2 WHERE s2.product_id = s.product_id AND s2.month = s.month) GROUP BY 1"},
 {"request": "ledger balance",
  "gold": "WITH $B SELECT sum(balance) AS ledger_balance FROM b WHERE snapshot_date = (SELECT max(snapshot_date) FROM b)"},
 {"request": "ledger balance by month", "clarify": true, "gold": ""},
 {"request": "monthly cumulative balance", "clarify": true, "gold": ""},
 {"request": "monthly conversion rate change", "clarify": true, "gold": ""},
 {"request": "desktop purchase conversions", "clarify": true, "gold": ""},
 {"request": "stock on hand by category",
  "gold": "SELECT p.category, sum(on_hand) AS stock_on_hand FROM bronze.stock_counts s JOIN bronze.products p USING (product_id) WHERE counted_on = (SELECT max(counted_on) FROM bronze.stock_counts s2 WHERE s2.product_id = s.product_id) GROUP BY 1"}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/c.duckdb" "$D/semantic_models.yml" "$WORK/cases.json" "$WORK" && ok "gold SQL" || bad "gold SQL"
# malformed conversion and semi-additive parameters are named with file:line
# (the catalog, or the element once broken elements are disabled, is refused)
bad_catalog() { # NAME REQUEST EXPECTED-MESSAGE, the catalog in $WORK/NAME.yml
  "$DPGEN" generate --db "$WORK/c.duckdb" --models "$WORK/$1.yml" --format json "$2" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  if [ $rc -ne 0 ] && grep -q "$1.yml:[0-9]*:[0-9]*: $3" "$WORK/err"; then ok "$1 refused: $3"; else bad "$1: exit $rc, $(tail -2 "$WORK/err")"; fi
}
{ cat "$D/semantic_models.yml"; cat <<'YML'
  - name: broken_conversion
    label: Broken conversion
    type: conversion
    type_params:
      conversion_type_params: {base_measure: visit_count, conversion_measure: purchase_count, entity: user, constant_properties: {base_property: device}}
YML
} >"$WORK/props.yml"
bad_catalog props "broken conversion" "metric 'broken_conversion': 'type_params.conversion_type_params.constant_properties' is a mapping; expected a list"
sed 's/window_groupings: \[product\]/window_groupings: [{name: product}]/' "$D/semantic_models.yml" >"$WORK/groupings.yml"
bad_catalog groupings "stock on hand" "semantic model 'stock_counts': 'measures\[0\]\.non_additive_dimension.window_groupings' is a list holding a mapping; expected a list of text"
sed 's/window_choice: max, window_groupings/window_choice: last, window_groupings/' "$D/semantic_models.yml" >"$WORK/choice.yml"
bad_catalog choice "stock on hand" "measure 'on_hand': window_choice 'last' is neither min nor max"
{ cat "$D/semantic_models.yml"; cat <<'YML'
  - name: newer_conversion
    label: Newer conversion
    type: conversion
    type_params:
      conversion_type_params: {base_metric: visits, conversion_metric: purchases, entity: user}
YML
} >"$WORK/newer.yml"
# newer MetricFlow names the simple metrics instead of their measures: the same conversion
"$DPGEN" generate --db "$WORK/c.duckdb" --models "$WORK/newer.yml" --format json "monthly newer conversion" >"$WORK/newer.json" 2>"$WORK/err"
python3 - "$WORK/newer.json" <<'PY' && ok "base_metric/conversion_metric read the simple metrics' measures" || bad "newer conversion: $(tail -1 "$WORK/err")"
import json, sys
sql = json.load(open(sys.argv[1]))["transformation"]["sql"]
assert "visit_count" in sql and "purchase_count" in sql, sql
PY

# the spec says how each is computed (the target's formula and the SQL's header)
"$DPGEN" generate --db "$WORK/c.duckdb" --models "$D/semantic_models.yml" "same device conversion and balance by month" >"$WORK/out" 2>"$WORK/err"
grep -q "same_device_conversion_rate = conversion_rate of visit_count to purchase_count by user within 7 days with constant properties" "$WORK/out" &&
  grep -q "balance = sum(balance) at the last snapshot_date (of each reported period)" "$WORK/out" &&
  ok "formulas name the window, the constant properties and the last day" || bad "formulas: $(grep -m3 ' = ' "$WORK/out")"

# every request of the catalog as a whole spec: executed SQL, every quality
# rule run (the rules read the conversion and semi-additive columns too)
while IFS= read -r line; do
  [ -z "$line" ] && continue
  req=${line#! }
  if [ "$req" != "$line" ]; then want=3; else want=0; fi
  expect_rc $want "spec: $req" -- "$DPGEN" generate --db "$WORK/c.duckdb" --models "$D/semantic_models.yml" --format json "$req"
  if [ $want = 0 ]; then
    python3 - "$WORK/out" <<'PY' && ok "spec complete: $req" || bad "spec incomplete: $req"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["transformation"]
assert t["test_run"]["ran"] and t["test_run"]["rows"] > 0
assert t["test_run"]["schema_check"]["matches"], t["test_run"]["schema_check"]
assert all(r["result"]["status"] in ("passed", "failed") for r in d["quality"]["rules"]), [r for r in d["quality"]["rules"] if r["result"]["status"] not in ("passed", "failed")]
PY
  fi
done < "$D/requests.txt"
finish
