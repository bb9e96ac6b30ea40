#!/usr/bin/env bash
# Time spines against hand-written gold queries (issue 11): join_to_timespine
# and fill_nulls_with (every period of the spine, empty ones filled; a
# request's filter on a grouped column applied again after the join, so the
# empty periods go),
# cumulative periods from the spine, offset_to_grain (the value at the start
# of the month), offset_window through the spine (a month back from a day: a
# day the month before lacks is no match, so 31 January is nobody's "month
# ago"; 14 days by quarter: per day, then by quarter), and the refusals
# without a spine. Data with gaps: no rows in December, February or June.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/mfspec_time"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/t.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
SP="bronze.time_spine_daily"
SPM="bronze.time_spine_monthly"
cat > "$WORK/cases.json" <<JSON
[
 {"request": "monthly padded sales",
  "gold": "SELECT m AS month, coalesce((SELECT sum(amount) FROM bronze.sales WHERE date_trunc('month', sold_on) = m), 0) AS padded_sales FROM (SELECT date_month AS m FROM $SPM) AS p"},
 {"request": "weekly spined sales in January 2025",
  "gold": "SELECT w AS week, (SELECT sum(amount) FROM bronze.sales WHERE date_trunc('week', sold_on) = w AND sold_on >= DATE '2025-01-01' AND sold_on < DATE '2025-02-01') AS spined_sales FROM (SELECT DISTINCT CAST(date_trunc('week', date_day) AS DATE) AS w FROM $SP WHERE date_day >= DATE '2025-01-01' AND date_day < DATE '2025-02-01') AS p"},
 {"request": "monthly padded sales by channel",
  "gold": "WITH a AS (SELECT CAST(date_trunc('month', sold_on) AS DATE) AS m, channel, sum(amount) AS s FROM bronze.sales GROUP BY 1, 2), p AS (SELECT date_month AS m FROM $SPM) SELECT p.m AS month, a.channel, coalesce(a.s, 0) AS padded_sales FROM p LEFT JOIN a ON a.m = p.m"},
 {"request": "monthly padded sales by channel for web",
  "gold": "SELECT CAST(date_trunc('month', sold_on) AS DATE) AS month, channel, sum(amount) AS padded_sales FROM bronze.sales WHERE channel = 'web' GROUP BY 1, 2"},
 {"request": "monthly padded sales for web",
  "gold": "SELECT m AS month, coalesce((SELECT sum(amount) FROM bronze.sales WHERE date_trunc('month', sold_on) = m AND channel = 'web'), 0) AS padded_sales FROM (SELECT date_month AS m FROM $SPM) AS p"},
 {"request": "monthly sales and padded sales",
  "gold": "SELECT m AS month, (SELECT sum(amount) FROM bronze.sales WHERE date_trunc('month', sold_on) = m) AS sales, coalesce((SELECT sum(amount) FROM bronze.sales WHERE date_trunc('month', sold_on) = m), 0) AS padded_sales FROM (SELECT date_month AS m FROM $SPM) AS p"},
 {"request": "monthly padded count",
  "gold": "SELECT m AS month, (SELECT count(*) FROM bronze.sales WHERE date_trunc('month', sold_on) = m) AS padded_count FROM (SELECT date_month AS m FROM $SPM) AS p"},
 {"request": "monthly zeroed count",
  "gold": "SELECT CAST(date_trunc('month', sold_on) AS DATE) AS month, count(*) AS zeroed_count FROM bronze.sales GROUP BY 1"},
 {"request": "daily running sales in February 2025",
  "gold": "SELECT date_day AS day, coalesce((SELECT sum(amount) FROM bronze.sales WHERE sold_on <= date_day), 0) AS running_sales FROM $SP WHERE date_day >= DATE '2025-02-01' AND date_day < DATE '2025-03-01'"},
 {"request": "daily running sales in December 2024",
  "gold": "SELECT date_day AS day, 0 AS running_sales FROM $SP WHERE date_day >= DATE '2024-12-01' AND date_day < DATE '2025-01-01'"},
 {"request": "daily month start gain in March 2025",
  "gold": "WITH d AS (SELECT sold_on AS day, sum(amount) AS s FROM bronze.sales GROUP BY 1), cur AS (SELECT day, s FROM d WHERE day >= DATE '2025-03-01' AND day < DATE '2025-04-01'), st AS (SELECT date_day AS day, d.s FROM $SP JOIN d ON d.day = date_trunc('month', date_day) WHERE date_day >= DATE '2025-03-01' AND date_day < DATE '2025-04-01') SELECT coalesce(cur.day, st.day) AS day, cur.s - st.s AS month_start_gain FROM cur FULL JOIN st ON cur.day = st.day"},
 {"request": "weekly month start sales in March 2025",
  "gold": "SELECT date_day AS week, (SELECT sum(amount) FROM bronze.sales WHERE sold_on = date_trunc('month', date_day)) AS month_start_sales FROM $SP WHERE date_day >= DATE '2025-03-01' AND date_day < DATE '2025-04-01' AND dayofweek(date_day) = 1 AND EXISTS (SELECT 1 FROM bronze.sales WHERE sold_on = date_trunc('month', date_day))"},
 {"request": "monthly sales growth",
  "gold": "WITH a AS (SELECT CAST(date_trunc('month', sold_on) AS DATE) AS m, sum(amount) AS s FROM bronze.sales GROUP BY 1), p AS (SELECT date_month AS m FROM $SPM), prev AS (SELECT p.m, a.s FROM p JOIN a ON a.m = p.m - INTERVAL 1 MONTH) SELECT coalesce(a.m, prev.m) AS month, a.s - prev.s AS sales_mom FROM a FULL JOIN prev ON a.m = prev.m"},
 {"request": "monthly sales growth in April 2025",
  "gold": "SELECT DATE '2025-04-01' AS month, (SELECT sum(amount) FROM bronze.sales WHERE sold_on >= DATE '2025-04-01' AND sold_on < DATE '2025-05-01') - (SELECT sum(amount) FROM bronze.sales WHERE sold_on >= DATE '2025-03-01' AND sold_on < DATE '2025-04-01') AS sales_mom"},
 {"request": "daily lagged sales in February 2025",
  "gold": "SELECT date_day AS day, (SELECT sum(amount) FROM bronze.sales WHERE sold_on = CAST(date_day - INTERVAL 1 MONTH AS DATE)) AS prior_month_sales FROM $SP WHERE date_day >= DATE '2025-02-01' AND date_day < DATE '2025-03-01' AND EXISTS (SELECT 1 FROM bronze.sales WHERE sold_on = CAST(date_day - INTERVAL 1 MONTH AS DATE))"},
 {"request": "quarterly sales two weeks ago",
  "gold": "SELECT CAST(date_trunc('quarter', date_day) AS DATE) AS quarter, sum(s.amount) AS sales_two_weeks_ago FROM $SP JOIN bronze.sales s ON s.sold_on = date_day - 14 GROUP BY 1"},
 {"request": "monthly padded growth",
  "gold": "WITH a AS (SELECT CAST(date_trunc('month', sold_on) AS DATE) AS m, sum(amount) AS s FROM bronze.sales GROUP BY 1), p AS (SELECT date_month AS m FROM $SPM) SELECT p.m AS month, coalesce(a.s, 0) - coalesce(b.s, 0) AS padded_mom FROM p LEFT JOIN a ON a.m = p.m LEFT JOIN a AS b ON b.m = p.m - INTERVAL 1 MONTH"},
 {"request": "padded sales",
  "gold": "SELECT sum(amount) AS padded_sales FROM bronze.sales"},
 {"request": "sales by fiscal quarter",
  "gold": "SELECT ts.fiscal_quarter_start AS fiscal_quarter, sum(s.amount) AS sales FROM bronze.sales s LEFT JOIN $SP ts ON ts.date_day = s.sold_on GROUP BY 1"},
 {"request": "sales by fiscal quarter and channel",
  "gold": "SELECT ts.fiscal_quarter_start AS fiscal_quarter, s.channel, sum(s.amount) AS sales FROM bronze.sales s LEFT JOIN $SP ts ON ts.date_day = s.sold_on GROUP BY 1, 2"},
 {"request": "padded sales per retail week in January 2025",
  "gold": "SELECT w AS retail_week, coalesce((SELECT sum(s.amount) FROM bronze.sales s JOIN $SP ts ON ts.date_day = s.sold_on WHERE ts.retail_week_start = w AND s.sold_on >= DATE '2025-01-01' AND s.sold_on < DATE '2025-02-01'), 0) AS padded_sales FROM (SELECT DISTINCT retail_week_start AS w FROM $SP WHERE date_day >= DATE '2025-01-01' AND date_day < DATE '2025-02-01') AS p"},
 {"request": "running sales by fiscal quarter", "clarify": true, "gold": ""},
 {"request": "sales growth by fiscal quarter", "clarify": true, "gold": ""},
 {"request": "sales by fiscal quarter and month", "clarify": true, "gold": ""},
 {"request": "monthly shifted sales", "clarify": true, "gold": ""}
]
JSON
python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/t.duckdb" "$D/semantic_models.yml" "$WORK/cases.json" "$WORK"
rc=$?
[ $rc = 0 ] && ok "gold queries" || bad "gold queries"

# Rows the spine adds are no failure of the row-count rule.
expect_rc 0 "daily padded sales" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$D/semantic_models.yml" "daily padded sales"
grep -q "error-severity rule" "$WORK/err" && bad "daily padded sales: a rule failed: $(cat "$WORK/err")" || ok "daily padded sales: every error rule passes"

# By a custom granularity, the freshness rule compares custom periods.
expect_rc 0 "sales by fiscal quarter (rules)" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$D/semantic_models.yml" --format json "sales by fiscal quarter"
python3 - "$WORK/out" <<'PY' && ok "by fiscal quarter: the freshness rule passes on the spine's period" || bad "by fiscal quarter: freshness rule"
import json, sys
rules = json.load(open(sys.argv[1]))["quality"]["rules"]
f = [r for r in rules if r["description"].startswith("the newest fiscal_quarter")]
assert f and all(r["result"]["status"] == "passed" for r in f), f
PY

# An offset whose earlier periods are empty says so, not that the range is.
expect_rc 0 "lagged sales in March (February is empty)" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$D/semantic_models.yml" "daily lagged sales in March 2025"
grep -q "reads earlier periods only (sales 1 month earlier)" "$WORK/err" && ok "empty offset: the earlier period named" || bad "empty offset warning: $(cat "$WORK/err")"
expect_rc 0 "month start gain and lagged sales in March" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$D/semantic_models.yml" "daily month start gain and lagged sales in March 2025"
grep -q "prior_month_sales is NULL on every row: it reads sales 1 month earlier" "$WORK/err" && ok "NULL offset column: the earlier period named" || bad "NULL offset warning: $(cat "$WORK/err")"

# Without a spine: what needs one is refused, saying so; the rest answers.
sed '/^models:/,/^semantic_models:/{/^semantic_models:/!d}' "$D/semantic_models.yml" > "$WORK/nospine.yml"
for r in "monthly padded sales" "monthly running sales" "daily month start gain" "daily lagged sales" "quarterly sales two weeks ago"; do
  expect_rc 3 "no spine: $r" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/nospine.yml" "$r"
  grep -q "time spine" "$WORK/err" && ok "no spine: '$r' names the time spine" || bad "no spine: '$r': $(cat "$WORK/err")"
done
for r in "monthly sales growth" "monthly zeroed count" "padded sales"; do
  expect_rc 0 "no spine: $r" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/nospine.yml" "$r"
done

# The spine configured but not built: a problem of the catalog, and a refusal naming it.
sed 's/name: time_spine_/name: unbuilt_spine_/' "$D/semantic_models.yml" > "$WORK/unbuilt.yml"
expect_rc 3 "unbuilt spine" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/unbuilt.yml" "monthly padded sales"
grep -q "unbuilt_spine_daily' is not in the database" "$WORK/err" && ok "unbuilt spine named" || bad "unbuilt spine: $(cat "$WORK/err")"
expect_rc 0 "unbuilt spine: other requests answer" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/unbuilt.yml" "monthly sales"

# What a real project may also have: an hourly spine (not used; the project
# loads and the daily spine answers), a custom granularity named like a
# standard grain (MetricFlow refuses it; it is left out, the others stay).
python3 - "$D/semantic_models.yml" "$WORK/extra.yml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("models:\n", "models:\n  - name: time_spine_hourly\n    time_spine:\n      standard_granularity_column: date_hour\n    columns:\n      - name: date_hour\n        granularity: hour\n", 1)
s = s.replace("        - name: retail_week\n", "        - name: month\n          column_name: retail_week_start\n        - name: retail_week\n", 1)
open(sys.argv[2], "w").write(s)
PY
expect_rc 0 "hourly spine and a custom grain named month: loads" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/extra.yml" --format json "padded sales per retail week in January 2025"
python3 - "$WORK/out" <<'PY' && ok "the daily spine answers by retail week" || bad "extra spines: wrong answer"
import json, sys
t = json.load(open(sys.argv[1]))["transformation"]
assert t["test_run"]["rows"] == 5 and "time_spine_daily" in t["sql"], t["sql"]
PY
expect_rc 0 "a custom grain named month is no grain: 'by month' is the calendar's" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$WORK/extra.yml" --format json "sales by month"
grep -q "date_trunc('month'" "$WORK/out" && ok "by month: date_trunc" || bad "by month read as the custom grain"

# The spine's name in two schemas: the default schema's, or the --schema given.
cat > "$WORK/amb.sql" <<SQL
ATTACH '$WORK/t.duckdb' AS src (READ_ONLY);
CREATE SCHEMA bronze;
CREATE TABLE bronze.sales AS SELECT * FROM src.bronze.sales;
CREATE TABLE bronze.time_spine_daily AS SELECT * FROM src.bronze.time_spine_daily WHERE date_day < DATE '2025-03-01';
CREATE TABLE main.time_spine_daily AS SELECT * FROM src.bronze.time_spine_daily;
SQL
"$DPGEN" demo --sql "$WORK/amb.sql" --out "$WORK/amb.duckdb" >/dev/null 2>&1 || bad "ambiguous build"
sed '/time_spine_monthly/,/granularity: month/d' "$D/semantic_models.yml" > "$WORK/amb.yml"
expect_rc 0 "spine in two schemas" -- "$DPGEN" generate --db "$WORK/amb.duckdb" --models "$WORK/amb.yml" --format json "monthly padded sales"
grep -q 'FROM main.time_spine_daily' "$WORK/out" && ok "spine in two schemas: main's" || bad "spine in two schemas: not main's"
expect_rc 0 "spine in two schemas, --schema bronze" -- "$DPGEN" generate --db "$WORK/amb.duckdb" --models "$WORK/amb.yml" --schema bronze --format json "monthly padded sales"
grep -q 'FROM bronze.time_spine_daily' "$WORK/out" && ok "spine in two schemas: --schema settles it" || bad "spine in two schemas: --schema ignored"

# The legacy spine: a relation named metricflow_time_spine with date_day, no YAML.
cat > "$WORK/legacy.sql" <<SQL
ATTACH '$WORK/t.duckdb' AS src (READ_ONLY);
CREATE SCHEMA bronze;
CREATE TABLE bronze.sales AS SELECT * FROM src.bronze.sales;
CREATE TABLE bronze.metricflow_time_spine AS SELECT date_day FROM src.bronze.time_spine_daily;
SQL
"$DPGEN" demo --sql "$WORK/legacy.sql" --out "$WORK/legacy.duckdb" >/dev/null 2>&1 || bad "legacy build"
expect_rc 0 "legacy spine" -- "$DPGEN" generate --db "$WORK/legacy.duckdb" --models "$WORK/nospine.yml" --format json "monthly padded sales"
python3 - "$WORK/out" <<'PY' && ok "legacy spine: 7 months, empty ones 0" || bad "legacy spine rows"
import json, sys
t = json.load(open(sys.argv[1]))["transformation"]
assert "metricflow_time_spine" in t["sql"], t["sql"]
rows = t["test_run"]["sample_rows"]
assert t["test_run"]["rows"] == 7 and float(rows[0]["padded_sales"]) == 0, rows
PY
finish
