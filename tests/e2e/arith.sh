#!/usr/bin/env bash
# Explicit arithmetic over catalog metrics (issue 10, item 11) against
# hand-written gold queries: each metric aggregated at the grain on its own
# (through its own joins, so one-to-many joins never multiply it), divided
# after aggregation, NULL when the denominator is 0; on the compiler test
# catalog (a zero denominator, a chasm between two facts), the demo and HR.
. "$(dirname "$0")/lib.inc"
C="$DP_SOURCE_DIR/tests/data/compiler"
"$DPGEN" demo --sql "$C/data.sql" --out "$WORK/c.duckdb" 2>/dev/null || { bad "build compiler catalog"; finish; exit 1; }
cat > "$WORK/compiler.json" <<'JSON'
[
 {"request": "revenue divided by units by status",
  "gold": "SELECT o.status, sum(i.qty * i.price) / nullif(sum(i.qty), 0) AS revenue_divided_by_units FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) GROUP BY 1"},
 {"request": "revenue divided by visits by region",
  "gold": "WITH r AS (SELECT c.region, sum(i.qty * i.price) AS rev FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1), v AS (SELECT c.region, count(v.visit_id) AS n FROM bronze.visits v LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1) SELECT coalesce(r.region, v.region) AS region, r.rev / nullif(v.n, 0) AS revenue_divided_by_visits FROM r FULL JOIN v ON r.region IS NOT DISTINCT FROM v.region"},
 {"request": "average basket, which is revenue divided by orders, by month",
  "gold": "WITH r AS (SELECT date_trunc('month', ordered_on) AS m, sum(qty * price) AS rev FROM bronze.items GROUP BY 1), o AS (SELECT date_trunc('month', ordered_on) AS m, count(DISTINCT order_id) AS n FROM bronze.orders GROUP BY 1) SELECT CAST(coalesce(r.m, o.m) AS DATE) AS month, r.rev / nullif(o.n, 0) AS average_basket FROM r FULL JOIN o ON r.m = o.m"},
 {"request": "completed orders as a share of orders by region",
  "gold": "SELECT c.region, count(DISTINCT o.order_id) FILTER (WHERE o.status = 'done') / nullif(count(DISTINCT o.order_id), 0) AS completed_orders_as_a_share_of_orders FROM bronze.orders o LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1"},
 {"request": "monthly ratio of visits to orders",
  "gold": "WITH v AS (SELECT date_trunc('month', visited_on) AS m, count(visit_id) AS n FROM bronze.visits GROUP BY 1), o AS (SELECT date_trunc('month', ordered_on) AS m, count(DISTINCT order_id) AS n FROM bronze.orders GROUP BY 1) SELECT CAST(coalesce(v.m, o.m) AS DATE) AS month, v.n / nullif(o.n, 0) AS ratio_of_visits_to_orders FROM v FULL JOIN o ON v.m = o.m"},
 {"request": "revenue per unit by status",
  "gold": "SELECT o.status, sum(i.qty * i.price) / nullif(sum(i.qty), 0) AS revenue_per_unit FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) GROUP BY 1"},
 {"request": "revenue per visit by region",
  "gold": "WITH r AS (SELECT c.region, sum(i.qty * i.price) AS rev FROM bronze.items i LEFT JOIN bronze.orders o USING (order_id) LEFT JOIN bronze.customers c ON c.customer_id = o.customer_id GROUP BY 1), v AS (SELECT c.region, count(v.visit_id) AS n FROM bronze.visits v LEFT JOIN bronze.customers c USING (customer_id) GROUP BY 1) SELECT coalesce(r.region, v.region) AS region, r.rev / nullif(v.n, 0) AS revenue_per_visit FROM r FULL JOIN v ON r.region IS NOT DISTINCT FROM v.region"},
 {"request": "revenue divided by widgets by month", "clarify": true, "gold": ""}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/c.duckdb" "$C/semantic_models.yml" "$WORK/compiler.json" "$WORK" \
  && ok "compiler catalog: defined ratios equal their gold SQL" || bad "compiler catalog: defined ratios"

H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr"
cat > "$WORK/hr.json" <<'JSON'
[
 {"request": "payroll cost per hire by department", "ordered": true,
  "gold": "WITH p AS (SELECT e.department_id, sum(p.gross_pay) AS s FROM bronze.payroll p LEFT JOIN bronze.employees e USING (employee_id) GROUP BY 1), h AS (SELECT department_id, count(DISTINCT employee_id) AS n FROM bronze.employees GROUP BY 1) SELECT coalesce(p.department_id, h.department_id) AS department_id, p.s / nullif(h.n, 0) AS payroll_cost_per_hire FROM p FULL JOIN h ON p.department_id IS NOT DISTINCT FROM h.department_id ORDER BY 1"}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/hr.duckdb" "$H/semantic_models.yml" "$WORK/hr.json" "$WORK" \
  && ok "hr: payroll cost per hire equals its gold SQL" || bad "hr: payroll cost per hire"

"$DPGEN" demo --scale 0.02 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
cat > "$WORK/demo.json" <<'JSON'
[
 {"request": "spend per buyer by month",
  "gold": "WITH s AS (SELECT date_trunc('month', event_date) AS m, sum(spend) AS s FROM bronze.marketing_events GROUP BY 1), b AS (SELECT date_trunc('month', order_date) AS m, count(DISTINCT customer_id) AS n FROM bronze.orders GROUP BY 1) SELECT CAST(coalesce(s.m, b.m) AS DATE) AS month, s.s / nullif(b.n, 0) AS spend_per_buyer FROM s FULL JOIN b ON s.m = b.m"}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/demo.duckdb" "$DP_SOURCE_DIR/catalog/demo/semantic_models.yml" "$WORK/demo.json" "$WORK" \
  && ok "demo: spend per buyer equals its gold SQL" || bad "demo: spend per buyer"

# the exports carry the defined metric: spec, dbt, ODCS
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
expect_rc 0 "demo: exports of a defined metric" -- "$DPGEN" generate --as-of 2025-07-16 --no-record --out "$WORK/product" "spend per buyer by month"
grep -q '"defined_in": "request"' "$WORK/product/spec.json" && ok "spec says the metric is defined in the request" || bad "spec defined_in"
grep -rq "spend_per_buyer" "$WORK/product/dbt" && ok "dbt model has the defined metric" || bad "dbt model"
finish
