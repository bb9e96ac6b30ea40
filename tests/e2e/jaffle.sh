#!/usr/bin/env bash
# dbt-labs/jaffle-sl-template's semantic models, loaded unchanged over
# tests/data/jaffle/data.sql (the tables its dbt models build, with data
# written for the tests): every metric by itself, by metric_time month and by
# one dimension, against hand-written SQL that follows MetricFlow's
# semantics. The project is not in the repository: DPGEN_JAFFLE_DIR names a
# checkout (the folder holding models/), else the git mirror the `fetch` tool
# makes (DPGEN_JAFFLE_MIRROR, default the nearest .mirror/dbt-labs+jaffle-sl-template/repo
# above the source); with neither the test is skipped (exit 77).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/jaffle"
MIRROR=${DPGEN_JAFFLE_MIRROR:-}
if [ -z "$MIRROR" ]; then # the nearest .mirror above the source
  d=$(cd "$DP_SOURCE_DIR" && pwd) # absolute: dirname of "." is "." for ever
  while [ "$d" != "/" ] && [ -z "$MIRROR" ]; do
    d=$(dirname "$d")
    [ -d "$d/.mirror/dbt-labs+jaffle-sl-template/repo" ] && MIRROR="$d/.mirror/dbt-labs+jaffle-sl-template/repo"
  done
fi
if [ -n "${DPGEN_JAFFLE_DIR:-}" ] && [ -d "$DPGEN_JAFFLE_DIR/models" ]; then
  PROJECT=$DPGEN_JAFFLE_DIR
elif [ -d "$MIRROR" ] && git --git-dir="$MIRROR" rev-parse -q --verify HEAD >/dev/null 2>&1; then
  PROJECT="$WORK/jaffle"
  mkdir -p "$PROJECT"
  git --git-dir="$MIRROR" archive HEAD models | tar -x -C "$PROJECT" || { bad "git archive of $MIRROR"; finish; exit 1; }
else
  echo "skip: no jaffle-sl-template (set DPGEN_JAFFLE_DIR or fetch github:dbt-labs/jaffle-sl-template)"
  exit 77
fi
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/j.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
M="$PROJECT/models"
# loads unchanged: every semantic model and metric of the project
"$DPGEN" catalog list --db "$WORK/j.duckdb" --models "$M" >"$WORK/list.json" 2>"$WORK/err"
python3 - "$WORK/list.json" <<'PY' && ok "project loads: 5 semantic models, 18 metrics" || bad "load: $(tail -2 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
names = {m["name"] for m in d["metrics"]}
assert len(d["datasets"]) == 5, [x["name"] for x in d["datasets"]]
want = {"customers_with_orders", "new_customer", "revenue", "order_cost", "median_revenue", "food_revenue",
        "food_revenue_pct", "revenue_growth_mom", "order_gross_profit", "cumulative_revenue", "order_total",
        "large_order", "orders", "orders_fill_nulls_with_zero", "twice_orders_fill_nulls_with_0", "food_orders",
        "orders_last_7_days", "average_revenue"}
assert want <= names, want - names
PY
# Gold SQL runs on the same file with `USE src`: the marts are main.<name>.
# MONTH(x): the month of a day; metric_time is each measure's agg_time_dimension.
cat > "$WORK/cases.json" <<'JSON'
[
 {"request": "customers_with_orders", "gold": "SELECT count(DISTINCT customer_id) AS customers_with_orders FROM orders"},
 {"request": "customers_with_orders by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, count(DISTINCT customer_id) AS customers_with_orders FROM orders GROUP BY 1"},
 {"request": "customers_with_orders by customer__customer_type", "gold": "SELECT c.customer_type, count(DISTINCT o.customer_id) AS customers_with_orders FROM orders o LEFT JOIN customers c USING (customer_id) GROUP BY 1"},

 {"request": "new_customer", "gold": "SELECT count(DISTINCT o.customer_id) AS new_customer FROM orders o LEFT JOIN customers c USING (customer_id) WHERE c.customer_type = 'new'"},
 {"request": "new_customer by month", "gold": "SELECT CAST(date_trunc('month', CAST(o.ordered_at AS DATE)) AS DATE) AS month, count(DISTINCT o.customer_id) AS new_customer FROM orders o LEFT JOIN customers c USING (customer_id) WHERE c.customer_type = 'new' GROUP BY 1"},
 {"request": "new_customer by location__location_name", "gold": "SELECT l.location_name, count(DISTINCT o.customer_id) AS new_customer FROM orders o LEFT JOIN customers c USING (customer_id) LEFT JOIN stg_locations l ON l.location_id = o.location_id WHERE c.customer_type = 'new' GROUP BY 1"},

 {"request": "revenue", "gold": "SELECT sum(product_price) AS revenue FROM order_items"},
 {"request": "revenue by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(product_price) AS revenue FROM order_items GROUP BY 1"},
 {"request": "revenue by product__product_type", "gold": "SELECT p.product_type, sum(i.product_price) AS revenue FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "order_cost", "gold": "SELECT sum(order_cost) AS order_cost FROM orders"},
 {"request": "order_cost by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(order_cost) AS order_cost FROM orders GROUP BY 1"},
 {"request": "order_cost by location__location_name", "gold": "SELECT l.location_name, sum(o.order_cost) AS order_cost FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1"},

 {"request": "median_revenue", "gold": "SELECT quantile_cont(product_price, 0.5) AS median_revenue FROM order_items"},
 {"request": "median_revenue by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, quantile_cont(product_price, 0.5) AS median_revenue FROM order_items GROUP BY 1"},
 {"request": "median_revenue by product__product_type", "gold": "SELECT p.product_type, quantile_cont(i.product_price, 0.5) AS median_revenue FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "food_revenue", "gold": "SELECT sum(CASE WHEN is_food_item = 1 THEN product_price ELSE 0 END) AS food_revenue FROM order_items"},
 {"request": "food_revenue by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(CASE WHEN is_food_item = 1 THEN product_price ELSE 0 END) AS food_revenue FROM order_items GROUP BY 1"},
 {"request": "food_revenue by product__product_type", "gold": "SELECT p.product_type, sum(CASE WHEN i.is_food_item = 1 THEN i.product_price ELSE 0 END) AS food_revenue FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "food_revenue_pct", "gold": "SELECT CAST(sum(CASE WHEN is_food_item = 1 THEN product_price ELSE 0 END) AS DOUBLE) / nullif(sum(product_price), 0) AS food_revenue_pct FROM order_items"},
 {"request": "food_revenue_pct by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, CAST(sum(CASE WHEN is_food_item = 1 THEN product_price ELSE 0 END) AS DOUBLE) / nullif(sum(product_price), 0) AS food_revenue_pct FROM order_items GROUP BY 1"},
 {"request": "food_revenue_pct by product__product_type", "gold": "SELECT p.product_type, CAST(sum(CASE WHEN i.is_food_item = 1 THEN i.product_price ELSE 0 END) AS DOUBLE) / nullif(sum(i.product_price), 0) AS food_revenue_pct FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "revenue_growth_mom", "clarify": true, "gold": ""},
 {"request": "revenue_growth_mom by month",
  "gold": "WITH r AS (SELECT date_trunc('month', CAST(ordered_at AS DATE)) AS m, sum(product_price) AS v FROM order_items GROUP BY 1), sp AS (SELECT DISTINCT date_trunc('month', date_day) AS m FROM time_spine), pr AS (SELECT sp.m, r.v FROM sp JOIN r ON sp.m - INTERVAL 1 MONTH = r.m), j AS (SELECT coalesce(r.m, pr.m) AS m, coalesce(r.v, 0) AS cur, coalesce(pr.v, 0) AS pv FROM r FULL JOIN pr ON r.m = pr.m) SELECT CAST(m AS DATE) AS month, CAST(cur - pv AS DOUBLE) * 100 / pv AS revenue_growth_mom FROM j"},
 {"request": "revenue_growth_mom by month and product__product_type",
  "gold": "WITH r AS (SELECT date_trunc('month', CAST(i.ordered_at AS DATE)) AS m, p.product_type AS t, sum(i.product_price) AS v FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1, 2), sp AS (SELECT DISTINCT date_trunc('month', date_day) AS m FROM time_spine), pr AS (SELECT sp.m, r.t, r.v FROM sp JOIN r ON sp.m - INTERVAL 1 MONTH = r.m), j AS (SELECT coalesce(r.m, pr.m) AS m, coalesce(r.t, pr.t) AS t, coalesce(r.v, 0) AS cur, coalesce(pr.v, 0) AS pv FROM r FULL JOIN pr ON r.m = pr.m AND r.t IS NOT DISTINCT FROM pr.t) SELECT CAST(m AS DATE) AS month, t AS product_type, CAST(cur - pv AS DOUBLE) * 100 / pv AS revenue_growth_mom FROM j"},

 {"request": "revenue_growth_mom by week", "clarify": true, "gold": ""},
 {"request": "revenue_growth_mom by quarter",
  "gold": "WITH d AS (SELECT CAST(ordered_at AS DATE) AS d, sum(product_price) AS v FROM order_items GROUP BY 1), cur AS (SELECT date_trunc('quarter', d) AS q, sum(v) AS v FROM d GROUP BY 1), prev AS (SELECT date_trunc('quarter', s.date_day) AS q, sum(d.v) AS v FROM time_spine s JOIN d ON CAST(s.date_day - INTERVAL 1 MONTH AS DATE) = d.d GROUP BY 1), j AS (SELECT coalesce(cur.q, prev.q) AS q, coalesce(cur.v, 0) AS c, coalesce(prev.v, 0) AS p FROM cur FULL JOIN prev ON cur.q = prev.q) SELECT CAST(q AS DATE) AS quarter, CAST(c - p AS DOUBLE) * 100 / p AS revenue_growth_mom FROM j"},
 {"request": "order_gross_profit", "gold": "SELECT (SELECT sum(product_price) FROM order_items) - (SELECT sum(order_cost) FROM orders) AS order_gross_profit"},
 {"request": "order_gross_profit by month",
  "gold": "WITH r AS (SELECT date_trunc('month', CAST(ordered_at AS DATE)) AS m, sum(product_price) AS v FROM order_items GROUP BY 1), o AS (SELECT date_trunc('month', CAST(ordered_at AS DATE)) AS m, sum(order_cost) AS v FROM orders GROUP BY 1) SELECT CAST(coalesce(r.m, o.m) AS DATE) AS month, coalesce(r.v, 0) - o.v AS order_gross_profit FROM r FULL JOIN o ON r.m = o.m"},
 {"request": "order_gross_profit by location__location_name",
  "gold": "WITH r AS (SELECT l.location_name AS n, sum(i.product_price) AS v FROM order_items i LEFT JOIN orders o USING (order_id) LEFT JOIN stg_locations l ON l.location_id = o.location_id GROUP BY 1), c AS (SELECT l.location_name AS n, sum(o.order_cost) AS v FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1) SELECT coalesce(r.n, c.n) AS location_name, coalesce(r.v, 0) - c.v AS order_gross_profit FROM r FULL JOIN c ON r.n IS NOT DISTINCT FROM c.n"},

 {"request": "cumulative_revenue", "gold": "SELECT sum(product_price) AS cumulative_revenue FROM order_items"},
 {"request": "cumulative_revenue by month",
  "gold": "WITH d AS (SELECT CAST(ordered_at AS DATE) AS day, sum(product_price) AS v FROM order_items GROUP BY 1), s AS (SELECT date_day AS day FROM time_spine WHERE date_day <= DATE '2025-04-30'), c AS (SELECT s.day, sum(d.v) AS v FROM s JOIN d ON d.day <= s.day GROUP BY 1) SELECT CAST(date_trunc('month', day) AS DATE) AS month, arg_min(v, day) AS cumulative_revenue FROM c GROUP BY 1"},
 {"request": "cumulative_revenue by month and product__product_type",
  "gold": "WITH d AS (SELECT CAST(i.ordered_at AS DATE) AS day, p.product_type AS t, sum(i.product_price) AS v FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1, 2), s AS (SELECT date_day AS day FROM time_spine WHERE date_day <= DATE '2025-04-30'), c AS (SELECT s.day, d.t, sum(d.v) AS v FROM s JOIN d ON d.day <= s.day GROUP BY 1, 2) SELECT CAST(date_trunc('month', day) AS DATE) AS month, t AS product_type, arg_min(v, day) AS cumulative_revenue FROM c GROUP BY 1, 2"},
 {"request": "cumulative_revenue by product__product_type",
  "gold": "SELECT p.product_type, sum(i.product_price) AS cumulative_revenue FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "order_total", "gold": "SELECT sum(order_total) AS order_total FROM orders"},
 {"request": "order_total by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(order_total) AS order_total FROM orders GROUP BY 1"},
 {"request": "order_total by location__location_name", "gold": "SELECT l.location_name, sum(o.order_total) AS order_total FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1"},

 {"request": "large_order", "gold": "SELECT sum(1) AS large_order FROM orders WHERE order_total >= 20"},
 {"request": "large_order by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(1) AS large_order FROM orders WHERE order_total >= 20 GROUP BY 1"},
 {"request": "large_order by location__location_name", "gold": "SELECT l.location_name, sum(1) AS large_order FROM orders o LEFT JOIN stg_locations l USING (location_id) WHERE o.order_total >= 20 GROUP BY 1"},

 {"request": "orders", "gold": "SELECT sum(1) AS orders FROM orders"},
 {"request": "orders by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(1) AS orders FROM orders GROUP BY 1"},
 {"request": "orders by location__location_name", "gold": "SELECT l.location_name, sum(1) AS orders FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1"},

 {"request": "orders_fill_nulls_with_zero", "gold": "SELECT sum(1) AS orders_fill_nulls_with_zero FROM orders"},
 {"request": "orders_fill_nulls_with_zero by month",
  "gold": "WITH sp AS (SELECT DISTINCT date_trunc('month', date_day) AS m FROM time_spine), o AS (SELECT date_trunc('month', CAST(ordered_at AS DATE)) AS m, sum(1) AS n FROM orders GROUP BY 1) SELECT CAST(sp.m AS DATE) AS month, coalesce(o.n, 0) AS orders_fill_nulls_with_zero FROM sp LEFT JOIN o ON o.m = sp.m"},
 {"request": "orders_fill_nulls_with_zero by location__location_name", "gold": "SELECT l.location_name, sum(1) AS orders_fill_nulls_with_zero FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1"},

 {"request": "twice_orders_fill_nulls_with_0", "gold": "SELECT 2 * sum(1) AS twice_orders_fill_nulls_with_0 FROM orders"},
 {"request": "twice_orders_fill_nulls_with_0 by month",
  "gold": "WITH sp AS (SELECT DISTINCT date_trunc('month', date_day) AS m FROM time_spine), o AS (SELECT date_trunc('month', CAST(ordered_at AS DATE)) AS m, sum(1) AS n FROM orders GROUP BY 1) SELECT CAST(sp.m AS DATE) AS month, 2 * coalesce(o.n, 0) AS twice_orders_fill_nulls_with_0 FROM sp LEFT JOIN o ON o.m = sp.m"},
 {"request": "twice_orders_fill_nulls_with_0 by location__location_name", "gold": "SELECT l.location_name, 2 * sum(1) AS twice_orders_fill_nulls_with_0 FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1"},

 {"request": "food_orders", "gold": "SELECT sum(1) AS food_orders FROM orders WHERE is_food_order = true"},
 {"request": "food_orders by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(1) AS food_orders FROM orders WHERE is_food_order = true GROUP BY 1"},
 {"request": "food_orders by location__location_name", "gold": "SELECT l.location_name, sum(1) AS food_orders FROM orders o LEFT JOIN stg_locations l USING (location_id) WHERE o.is_food_order = true GROUP BY 1"},

 {"request": "orders_last_7_days", "clarify": true, "gold": ""},
 {"request": "orders_last_7_days by month",
  "gold": "WITH d AS (SELECT CAST(ordered_at AS DATE) AS day, sum(1) AS v FROM orders GROUP BY 1), c AS (SELECT s.date_day AS day, sum(d.v) AS v FROM time_spine s JOIN d ON d.day <= s.date_day AND d.day > s.date_day - INTERVAL 7 DAY GROUP BY 1) SELECT CAST(date_trunc('month', day) AS DATE) AS month, arg_min(v, day) AS orders_last_7_days FROM c GROUP BY 1"},
 {"request": "orders_last_7_days by month and location__location_name",
  "gold": "WITH d AS (SELECT CAST(o.ordered_at AS DATE) AS day, l.location_name AS n, sum(1) AS v FROM orders o LEFT JOIN stg_locations l USING (location_id) GROUP BY 1, 2), c AS (SELECT s.date_day AS day, d.n, sum(d.v) AS v FROM time_spine s JOIN d ON d.day <= s.date_day AND d.day > s.date_day - INTERVAL 7 DAY GROUP BY 1, 2) SELECT CAST(date_trunc('month', day) AS DATE) AS month, n AS location_name, arg_min(v, day) AS orders_last_7_days FROM c GROUP BY 1, 2"},
 {"request": "orders_last_7_days by location__location_name", "clarify": true, "gold": ""},

 {"request": "revenue by metric_time__month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(product_price) AS revenue FROM order_items GROUP BY 1"},
 {"request": "orders by metric_time__week and customer__customer_type", "gold": "SELECT CAST(date_trunc('week', CAST(o.ordered_at AS DATE)) AS DATE) AS week, c.customer_type, sum(1) AS orders FROM orders o LEFT JOIN customers c USING (customer_id) GROUP BY 1, 2"},
 {"request": "revenue by order_id__customer__customer_type", "gold": "SELECT c.customer_type, sum(i.product_price) AS revenue FROM order_items i LEFT JOIN orders o USING (order_id) LEFT JOIN customers c ON c.customer_id = o.customer_id GROUP BY 1"},
 {"request": "average_revenue", "gold": "SELECT avg(product_price) AS average_revenue FROM order_items"},
 {"request": "average_revenue by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, avg(product_price) AS average_revenue FROM order_items GROUP BY 1"},
 {"request": "average_revenue by product__product_type", "gold": "SELECT p.product_type, avg(i.product_price) AS average_revenue FROM order_items i LEFT JOIN stg_products p USING (product_id) GROUP BY 1"},

 {"request": "weekly revenue for food items", "gold": "SELECT CAST(date_trunc('week', CAST(ordered_at AS DATE)) AS DATE) AS week, sum(product_price) AS revenue FROM order_items WHERE is_food_item = 1 GROUP BY 1"},
 {"request": "food orders vs total orders by month", "gold": "SELECT CAST(date_trunc('month', CAST(ordered_at AS DATE)) AS DATE) AS month, sum(1) FILTER (WHERE is_food_order = true) AS food_orders, sum(1) AS orders FROM orders GROUP BY 1"}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/j.duckdb" "$M" "$WORK/cases.json" "$WORK" \
  && ok "every metric by itself, by month and by a dimension" || bad "metrics against their gold SQL"
finish
