#!/usr/bin/env bash
# Per-dataset join paths (tests/data/joins): two measures that reach the
# grouping dimension by different paths (1, 2 and 3 hops) are each joined
# by their own, with the path of each measure in the spec; a dimension a
# dataset reaches by two paths of the same length is asked about, naming
# both paths, never picked.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/joins"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/j.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
cat > "$WORK/cases.json" <<'JSON'
[
 {"request": "buyers and revenue per buyer by country",
  "gold": "WITH b AS (SELECT c.country, count(DISTINCT b.buyer_id) AS n FROM bronze.buyers b LEFT JOIN bronze.cities c USING (city_id) GROUP BY 1), s AS (SELECT c.country, sum(s.amount) AS amt FROM bronze.sales s LEFT JOIN bronze.stores st USING (store_id) LEFT JOIN bronze.cities c ON c.city_id = st.city_id GROUP BY 1) SELECT coalesce(b.country, s.country) AS country, b.n AS buyers, s.amt / nullif(b.n, 0) AS revenue_per_buyer FROM b FULL JOIN s ON b.country IS NOT DISTINCT FROM s.country"},
 {"request": "refunds and buyers by country",
  "gold": "WITH r AS (SELECT c.country, sum(r.refund_amount) AS refunds FROM bronze.refunds r LEFT JOIN bronze.sales s USING (sale_id) LEFT JOIN bronze.stores st ON st.store_id = s.store_id LEFT JOIN bronze.cities c ON c.city_id = st.city_id GROUP BY 1), b AS (SELECT c.country, count(DISTINCT b.buyer_id) AS buyers FROM bronze.buyers b LEFT JOIN bronze.cities c USING (city_id) GROUP BY 1) SELECT coalesce(r.country, b.country) AS country, r.refunds, b.buyers FROM r FULL JOIN b ON r.country IS NOT DISTINCT FROM b.country"},
 {"request": "monthly refunds and revenue in France",
  "gold": "WITH r AS (SELECT date_trunc('month', r.refunded_on) AS m, sum(r.refund_amount) AS refunds FROM bronze.refunds r JOIN bronze.sales s USING (sale_id) JOIN bronze.stores st ON st.store_id = s.store_id JOIN bronze.cities c ON c.city_id = st.city_id WHERE c.country = 'France' GROUP BY 1), s AS (SELECT date_trunc('month', s.sold_on) AS m, sum(s.amount) AS revenue FROM bronze.sales s JOIN bronze.stores st USING (store_id) JOIN bronze.cities c ON c.city_id = st.city_id WHERE c.country = 'France' GROUP BY 1) SELECT CAST(coalesce(r.m, s.m) AS DATE) AS month, r.refunds, s.revenue FROM r FULL JOIN s ON r.m = s.m"},
 {"request": "refunds_last_7_days by month and country",
  "gold": "WITH r AS (SELECT r.refunded_on AS day, c.country, r.refund_amount AS amt FROM bronze.refunds r LEFT JOIN bronze.sales s USING (sale_id) LEFT JOIN bronze.stores st ON st.store_id = s.store_id LEFT JOIN bronze.cities c ON c.city_id = st.city_id), s AS (SELECT CAST(g AS DATE) AS day FROM generate_series(TIMESTAMP '2025-01-15', TIMESTAMP '2025-03-18', INTERVAL 1 DAY) t(g)), d AS (SELECT s.day, r.country, sum(r.amt) AS v FROM s JOIN r ON r.day <= s.day AND r.day > s.day - 7 GROUP BY 1, 2) SELECT CAST(date_trunc('month', day) AS DATE) AS month, country, arg_min(v, day) AS refunds_last_7_days FROM d GROUP BY 1, 2"},
 {"request": "weekly revenue to date by country",
  "gold": "WITH r AS (SELECT s.sold_on AS day, c.country, s.amount FROM bronze.sales s LEFT JOIN bronze.stores st USING (store_id) LEFT JOIN bronze.cities c ON c.city_id = st.city_id), s AS (SELECT CAST(g AS DATE) AS day FROM generate_series(TIMESTAMP '2025-01-06', TIMESTAMP '2025-03-16', INTERVAL 1 DAY) t(g)), d AS (SELECT s.day, r.country, sum(r.amount) AS v FROM s JOIN r ON r.day <= s.day GROUP BY 1, 2) SELECT CAST(date_trunc('week', day) AS DATE) AS week, country, arg_max(v, day) AS revenue_to_date FROM d GROUP BY 1, 2"},
 {"request": "monthly average_monthly_revenue_to_date",
  "gold": "WITH s AS (SELECT CAST(g AS DATE) AS day FROM generate_series(TIMESTAMP '2025-01-06', TIMESTAMP '2025-03-31', INTERVAL 1 DAY) t(g)), d AS (SELECT s.day, sum(x.amount) AS v FROM s JOIN bronze.sales x ON x.sold_on <= s.day AND x.sold_on >= date_trunc('month', s.day) GROUP BY 1) SELECT CAST(date_trunc('month', day) AS DATE) AS month, avg(v) AS average_monthly_revenue_to_date FROM d GROUP BY 1"},
 {"request": "deliveries by country", "clarify": true, "gold": ""},
 {"request": "deliveries by city", "clarify": true, "gold": ""},
 {"request": "deliveries in France", "clarify": true, "gold": ""}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/j.duckdb" "$D/semantic_models.yml" "$WORK/cases.json" "$WORK" \
  && ok "gold SQL and refusals" || bad "gold SQL and refusals"
M="$D/semantic_models.yml"
# the path of each measure, in the spec (JSON and YAML)
"$DPGEN" generate --db "$WORK/j.duckdb" --models "$M" --no-record --format json "refunds and buyers by country" >"$WORK/s.json" 2>"$WORK/err"
python3 - "$WORK/s.json" <<'PY' && ok "join_paths name each measure's own path" || bad "join_paths: $(cat "$WORK/err" | tail -1)"
import json, sys
jp = json.load(open(sys.argv[1]))["transformation"]["join_paths"]
got = {(p["measure"], p["to"]): p["path"] for p in jp}
want = {("refund_amount", "cities"): "refunds -[sale]-> sales -[store]-> stores -[city]-> cities",
        ("buyer_count", "cities"): "buyers -[city]-> cities"}
assert got == want, got
PY
"$DPGEN" generate --db "$WORK/j.duckdb" --models "$M" --no-record "buyers and revenue per buyer by country" >"$WORK/s.yaml" 2>"$WORK/err"
grep -q "path: sales -\[store\]-> stores -\[city\]-> cities" "$WORK/s.yaml" && ok "YAML spec names the path" || bad "YAML spec lacks the path"
# a name written with underscores is one word: no range read inside it
"$DPGEN" intent --db "$WORK/j.duckdb" --models "$M" "refunds_last_7_days by month" >"$WORK/i.json" 2>"$WORK/err"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['metrics'] == ['refunds_last_7_days'] and d['time_range'] is None, d" "$WORK/i.json" \
  && ok "refunds_last_7_days is a metric, not a range" || bad "refunds_last_7_days: $(head -c 300 "$WORK/i.json")"
# the entity before the dimension names the path; both in one report are asked about
cat > "$WORK/via.json" <<'JSON'
[
 {"request": "deliveries by store country",
  "gold": "SELECT c.country, count(d.delivery_id) AS deliveries FROM bronze.deliveries d LEFT JOIN bronze.stores s USING (store_id) LEFT JOIN bronze.cities c ON c.city_id = s.city_id GROUP BY 1"},
 {"request": "deliveries by buyer country",
  "gold": "SELECT c.country, count(d.delivery_id) AS deliveries FROM bronze.deliveries d LEFT JOIN bronze.buyers b USING (buyer_id) LEFT JOIN bronze.cities c ON c.city_id = b.city_id GROUP BY 1"},
 {"request": "deliveries and revenue by store country",
  "gold": "WITH d AS (SELECT c.country, count(d.delivery_id) AS n FROM bronze.deliveries d LEFT JOIN bronze.stores s USING (store_id) LEFT JOIN bronze.cities c ON c.city_id = s.city_id GROUP BY 1), r AS (SELECT c.country, sum(x.amount) AS v FROM bronze.sales x LEFT JOIN bronze.stores s USING (store_id) LEFT JOIN bronze.cities c ON c.city_id = s.city_id GROUP BY 1) SELECT coalesce(d.country, r.country) AS country, d.n AS deliveries, r.v AS revenue FROM d FULL JOIN r ON d.country IS NOT DISTINCT FROM r.country"},
 {"request": "deliveries by store country and buyer country", "clarify": true, "gold": ""},
 {"request": "deliveries by buyer__city__country",
  "gold": "SELECT c.country, count(d.delivery_id) AS deliveries FROM bronze.deliveries d LEFT JOIN bronze.buyers b USING (buyer_id) LEFT JOIN bronze.cities c ON c.city_id = b.city_id GROUP BY 1"},
 {"request": "revenue per buyer by buyer country", "clarify": true, "gold": ""},
 {"request": "refunds by metric_time__month and store__city__country",
  "gold": "SELECT CAST(date_trunc('month', r.refunded_on) AS DATE) AS month, c.country, sum(r.refund_amount) AS refunds FROM bronze.refunds r LEFT JOIN bronze.sales s USING (sale_id) LEFT JOIN bronze.stores st ON st.store_id = s.store_id LEFT JOIN bronze.cities c ON c.city_id = st.city_id GROUP BY 1, 2"},
 {"request": "store_deliveries_france",
  "gold": "SELECT count(d.delivery_id) AS store_deliveries_france FROM bronze.deliveries d JOIN bronze.stores s USING (store_id) JOIN bronze.cities c ON c.city_id = s.city_id WHERE c.country = 'France'"},
 {"request": "buyer_deliveries_france by month",
  "gold": "SELECT CAST(date_trunc('month', d.delivered_on) AS DATE) AS month, count(d.delivery_id) AS buyer_deliveries_france FROM bronze.deliveries d JOIN bronze.buyers b USING (buyer_id) JOIN bronze.cities c ON c.city_id = b.city_id WHERE c.country = 'France' GROUP BY 1"},
 {"request": "city_deliveries_france", "clarify": true, "gold": ""}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/j.duckdb" "$D/semantic_models.yml" "$WORK/via.json" "$WORK" \
  && ok "paths named by an entity" || bad "paths named by an entity"
"$DPGEN" generate --db "$WORK/j.duckdb" --models "$M" --no-record --format json "deliveries by buyer country" >"$WORK/v.json" 2>"$WORK/err"
python3 -c "import json,sys; jp=json.load(open(sys.argv[1]))['transformation']['join_paths']; assert [p['path'] for p in jp] == ['deliveries -[buyer]-> buyers -[city]-> cities'], jp" "$WORK/v.json" \
  && ok "the named path is the one in the spec" || bad "named path: $(tail -1 "$WORK/err")"
# the refusal names both paths
"$DPGEN" generate --db "$WORK/j.duckdb" --models "$M" --no-record "deliveries by country" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc = 3 ] && grep -q "deliveries -\[store\]-> stores -\[city\]-> cities" "$WORK/err" &&
   grep -q "deliveries -\[buyer\]-> buyers -\[city\]-> cities" "$WORK/err" &&
   grep -q "'store country' or 'buyer country'" "$WORK/err"; then ok "two equal paths: both named (exit 3)"
else bad "two equal paths: exit $rc: $(cat "$WORK/err")"; fi
finish
