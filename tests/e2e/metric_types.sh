#!/usr/bin/env bash
# The compiler against hand-written gold queries on a tiny catalog built for
# the traps: every metric type, fan-out (orders beside order lines), chasm
# (two facts sharing a dimension), NULL and orphan groups, a zero
# denominator, multi-hop joins, filters, ranking, time ranges.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/compiler"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/c.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
cat > "$WORK/cases.json" <<'JSON'
[
 {"request": "monthly orders and revenue",
  "gold": "WITH r AS (SELECT date_trunc('month', ordered_on) AS m, sum(qty * price) AS revenue FROM bronze.items GROUP BY 1), o AS (SELECT date_trunc('month', ordered_on) AS m, count(DISTINCT order_id) AS orders FROM bronze.orders GROUP BY 1) SELECT CAST(coalesce(r.m, o.m) AS DATE) AS month, o.orders, r.revenue FROM r FULL JOIN o ON r.m = o.m"},
 {"request": "average order value by region",
  "gold": "WITH r AS (SELECT c.region, sum(i.qty * i.price) AS rev FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1), n AS (SELECT c.region, count(DISTINCT o.order_id) AS n FROM bronze.orders o LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1) SELECT coalesce(r.region, n.region) AS region, r.rev / nullif(n.n, 0) AS aov FROM r FULL JOIN n ON r.region IS NOT DISTINCT FROM n.region"},
 {"request": "orders and visits by region",
  "gold": "WITH o AS (SELECT c.region, count(DISTINCT o.order_id) AS orders FROM bronze.orders o LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1), v AS (SELECT c.region, count(v.visit_id) AS visits FROM bronze.visits v LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1) SELECT coalesce(o.region, v.region) AS region, o.orders, v.visits FROM o FULL JOIN v ON o.region IS NOT DISTINCT FROM v.region"},
 {"request": "revenue per unit by status",
  "gold": "SELECT o.status, sum(i.qty * i.price) / nullif(sum(i.qty), 0) AS revenue_per_unit FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) GROUP BY 1"},
 {"request": "revenue by customer tier",
  "gold": "SELECT c.tier, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1"},
 {"request": "monthly median price and highest price",
  "gold": "SELECT CAST(date_trunc('month', ordered_on) AS DATE) AS month, median(price) AS median_price, max(price) AS max_price FROM bronze.items GROUP BY 1"},
 {"request": "completion rate and completed orders per month",
  "gold": "SELECT CAST(date_trunc('month', ordered_on) AS DATE) AS month, sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) / count(DISTINCT order_id) AS done_share, count(DISTINCT order_id) FILTER (WHERE status = 'done') AS completed_orders FROM bronze.orders GROUP BY 1"},
 {"request": "monthly cumulative revenue",
  "gold": "WITH days AS (SELECT CAST(unnest(generate_series(CAST((SELECT min(ordered_on) FROM bronze.items) AS TIMESTAMP), CAST((SELECT max(ordered_on) FROM bronze.items) AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS d), v AS (SELECT d, (SELECT sum(qty * price) FROM bronze.items WHERE CAST(ordered_on AS DATE) <= d) AS r, (SELECT count(*) FROM bronze.items WHERE CAST(ordered_on AS DATE) <= d) AS n FROM days) SELECT CAST(date_trunc('month', d) AS DATE) AS month, arg_min(r, d) AS revenue_to_date FROM v WHERE n > 0 GROUP BY 1"},
 {"request": "weekly rolling 30 day visits",
  "gold": "WITH d AS (SELECT visited_on AS day, count(*) AS n FROM bronze.visits GROUP BY 1), s AS (SELECT CAST(g AS DATE) AS day FROM generate_series(CAST((SELECT min(day) FROM d) AS TIMESTAMP), CAST((SELECT max(day) FROM d) AS TIMESTAMP) + INTERVAL 29 DAY, INTERVAL 1 DAY) t(g)), c AS (SELECT s.day, sum(d.n) AS v FROM s JOIN d ON d.day <= s.day AND d.day > s.day - 30 GROUP BY 1) SELECT CAST(date_trunc('week', day) AS DATE) AS week, arg_min(v, day) AS visits_30d FROM c GROUP BY 1"},
 {"request": "daily rolling 30 day visits in January 2025",
  "gold": "WITH s AS (SELECT CAST(g AS DATE) AS day FROM generate_series(TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-31', INTERVAL 1 DAY) t(g)) SELECT s.day, count(v.visit_id) AS visits_30d FROM s JOIN bronze.visits v ON v.visited_on <= s.day AND v.visited_on > s.day - 30 GROUP BY 1"},
 {"request": "monthly revenue to date at month end",
  "gold": "WITH days AS (SELECT CAST(unnest(generate_series(CAST((SELECT min(ordered_on) FROM bronze.items) AS TIMESTAMP), CAST(date_trunc('year', (SELECT max(ordered_on) FROM bronze.items)) AS TIMESTAMP) + INTERVAL 1 YEAR - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS d), v AS (SELECT d, (SELECT sum(qty * price) FROM bronze.items WHERE CAST(ordered_on AS DATE) <= d AND year(ordered_on) = year(d)) AS r, (SELECT count(*) FROM bronze.items WHERE CAST(ordered_on AS DATE) <= d AND year(ordered_on) = year(d)) AS n FROM days) SELECT CAST(date_trunc('month', d) AS DATE) AS month, arg_max(r, d) AS revenue_to_month_end FROM v WHERE n > 0 GROUP BY 1"},
 {"request": "weekly rolling 30 day visitors",
  "gold": "WITH days AS (SELECT CAST(unnest(generate_series(CAST((SELECT min(visited_on) FROM bronze.visits) AS TIMESTAMP), CAST((SELECT max(visited_on) FROM bronze.visits) AS TIMESTAMP) + INTERVAL 29 DAY, INTERVAL 1 DAY)) AS DATE) AS d), v AS (SELECT d, (SELECT count(DISTINCT customer_id) FROM bronze.visits WHERE visited_on <= d AND visited_on > d - 30) AS n FROM days) SELECT CAST(date_trunc('week', d) AS DATE) AS week, arg_min(n, d) AS visitors_30d FROM v WHERE n > 0 GROUP BY 1"},
 {"request": "monthly rolling 30 day highest price",
  "gold": "WITH days AS (SELECT CAST(unnest(generate_series(CAST((SELECT min(ordered_on) FROM bronze.items) AS TIMESTAMP), CAST((SELECT max(ordered_on) FROM bronze.items) AS TIMESTAMP) + INTERVAL 29 DAY, INTERVAL 1 DAY)) AS DATE) AS d), v AS (SELECT d, (SELECT max(price) FROM bronze.items WHERE ordered_on <= d AND ordered_on > d - 30) AS n FROM days) SELECT CAST(date_trunc('month', d) AS DATE) AS month, arg_min(n, d) AS max_price_30d FROM v WHERE n IS NOT NULL GROUP BY 1"},
 {"request": "weekly mean rolling 30 day visits",
  "gold": "WITH days AS (SELECT CAST(unnest(generate_series(CAST((SELECT min(visited_on) FROM bronze.visits) AS TIMESTAMP), CAST((SELECT max(visited_on) FROM bronze.visits) AS TIMESTAMP) + INTERVAL 29 DAY, INTERVAL 1 DAY)) AS DATE) AS d), v AS (SELECT d, (SELECT count(*) FROM bronze.visits WHERE CAST(visited_on AS DATE) <= d AND CAST(visited_on AS DATE) > d - 30) AS n FROM days) SELECT CAST(date_trunc('week', d) AS DATE) AS week, avg(n) AS visits_30d_mean FROM v WHERE n > 0 GROUP BY 1"},
 {"request": "monthly revenue growth",
  "gold": "WITH r AS (SELECT CAST(date_trunc('month', ordered_on) AS DATE) AS m, sum(qty * price) AS rev FROM bronze.items GROUP BY 1), p AS (SELECT CAST(m + INTERVAL 1 MONTH AS DATE) AS m, rev FROM r) SELECT coalesce(r.m, p.m) AS month, r.rev - p.rev AS revenue_growth FROM r FULL JOIN p ON r.m = p.m"},
 {"request": "revenue for gold customers by month",
  "gold": "SELECT CAST(date_trunc('month', i.ordered_on) AS DATE) AS month, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id WHERE c.tier = 'gold' GROUP BY 1"},
 {"request": "top 2 customers by revenue", "ordered": true,
  "gold": "SELECT o.customer_id, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) GROUP BY 1 ORDER BY 2 DESC LIMIT 2"},
 {"request": "revenue in February 2025 by region",
  "gold": "SELECT c.region, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id WHERE i.ordered_on >= DATE '2025-02-01' AND i.ordered_on < DATE '2025-03-01' GROUP BY 1"},
 {"request": "total revenue and visits",
  "gold": "SELECT (SELECT sum(qty * price) FROM bronze.items) AS revenue, (SELECT count(visit_id) FROM bronze.visits) AS visits"},
 {"request": "revenue excluding north",
  "gold": "SELECT sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id WHERE c.region IS NULL OR c.region <> 'north'"},
 {"request": "revenue by tier excluding north and south",
  "gold": "SELECT c.tier, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id WHERE c.region IS NULL OR c.region NOT IN ('north', 'south') GROUP BY 1"},
 {"request": "top 1 tier by revenue for each region",
  "gold": "WITH r AS (SELECT c.region, c.tier, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1, 2) SELECT region, tier, revenue FROM (SELECT *, row_number() OVER (PARTITION BY region ORDER BY revenue DESC NULLS LAST, tier) AS rn FROM r) AS x WHERE rn <= 1"},
 {"request": "revenue by region above 8",
  "gold": "WITH r AS (SELECT c.region, sum(i.qty * i.price) AS revenue FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1) SELECT region, revenue FROM r WHERE revenue > 8"},
 {"request": "revenue for customer 1",
  "gold": "SELECT sum(i.qty * i.price) AS revenue FROM bronze.items i JOIN bronze.orders o USING (order_id) WHERE o.customer_id = 1"},
 {"request": "completed orders by region",
  "gold": "SELECT c.region, count(DISTINCT o.order_id) AS completed_orders FROM bronze.orders o LEFT JOIN bronze.customers c USING (customer_id) WHERE o.status = 'done' GROUP BY 1"},
 {"request": "cumulative revenue", "gold": "SELECT sum(qty * price) AS revenue_to_date FROM bronze.items"},
 {"request": "rolling 30 day visits", "clarify": true, "gold": ""},
 {"request": "weekly revenue growth", "clarify": true, "gold": ""},
 {"request": "daily revenue growth", "clarify": true, "gold": ""},
 {"request": "monthly churn by region", "clarify": true, "gold": ""}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/c.duckdb" "$D/semantic_models.yml" "$WORK/cases.json" "$WORK"
