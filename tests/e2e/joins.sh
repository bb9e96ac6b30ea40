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
  "gold": "WITH b AS (SELECT c.country, count(DISTINCT b.buyer_id) AS n FROM shop.buyers b LEFT JOIN shop.cities c USING (city_id) GROUP BY 1), s AS (SELECT c.country, sum(s.amount) AS amt FROM shop.sales s LEFT JOIN shop.stores st USING (store_id) LEFT JOIN shop.cities c ON c.city_id = st.city_id GROUP BY 1) SELECT coalesce(b.country, s.country) AS country, b.n AS buyers, s.amt / nullif(b.n, 0) AS revenue_per_buyer FROM b FULL JOIN s ON b.country IS NOT DISTINCT FROM s.country"},
 {"request": "refunds and buyers by country",
  "gold": "WITH r AS (SELECT c.country, sum(r.refund_amount) AS refunds FROM shop.refunds r LEFT JOIN shop.sales s USING (sale_id) LEFT JOIN shop.stores st ON st.store_id = s.store_id LEFT JOIN shop.cities c ON c.city_id = st.city_id GROUP BY 1), b AS (SELECT c.country, count(DISTINCT b.buyer_id) AS buyers FROM shop.buyers b LEFT JOIN shop.cities c USING (city_id) GROUP BY 1) SELECT coalesce(r.country, b.country) AS country, r.refunds, b.buyers FROM r FULL JOIN b ON r.country IS NOT DISTINCT FROM b.country"},
 {"request": "monthly refunds and revenue in France",
  "gold": "WITH r AS (SELECT date_trunc('month', r.refunded_on) AS m, sum(r.refund_amount) AS refunds FROM shop.refunds r JOIN shop.sales s USING (sale_id) JOIN shop.stores st ON st.store_id = s.store_id JOIN shop.cities c ON c.city_id = st.city_id WHERE c.country = 'France' GROUP BY 1), s AS (SELECT date_trunc('month', s.sold_on) AS m, sum(s.amount) AS revenue FROM shop.sales s JOIN shop.stores st USING (store_id) JOIN shop.cities c ON c.city_id = st.city_id WHERE c.country = 'France' GROUP BY 1) SELECT CAST(coalesce(r.m, s.m) AS DATE) AS month, r.refunds, s.revenue FROM r FULL JOIN s ON r.m = s.m"},
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
# the refusal names both paths
"$DPGEN" generate --db "$WORK/j.duckdb" --models "$M" --no-record "deliveries by country" >/dev/null 2>"$WORK/err"
rc=$?
if [ $rc = 3 ] && grep -q "deliveries -\[store\]-> stores -\[city\]-> cities" "$WORK/err" &&
   grep -q "deliveries -\[buyer\]-> buyers -\[city\]-> cities" "$WORK/err"; then ok "two equal paths: both named (exit 3)"
else bad "two equal paths: exit $rc: $(cat "$WORK/err")"; fi
finish
