#!/usr/bin/env bash
# Knowledge-graph sources: a folder of CSV/Parquet files as the database,
# the profile cache and its refresh, ref() ambiguity, search from descriptions
# alone, learning (popularity and lineage from earlier products).
. "$(dirname "$0")/lib.inc"
H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr"
mkdir -p "$WORK/lake"
cat > "$WORK/export.sql" <<SQL
ATTACH '$WORK/hr.duckdb' AS hr (READ_ONLY);
COPY (SELECT * FROM hr.bronze.employees) TO '$WORK/lake/employees.parquet' (FORMAT parquet);
COPY (SELECT * FROM hr.bronze.departments) TO '$WORK/lake/departments.csv' (HEADER);
COPY (SELECT * FROM hr.bronze.payroll) TO '$WORK/lake/payroll.parquet' (FORMAT parquet);
COPY (SELECT * FROM hr.bronze.absences) TO '$WORK/lake/absences.csv' (HEADER);
SQL
"$DPGEN" demo --sql "$WORK/export.sql" --out "$WORK/scratch.duckdb" 2>"$WORK/err" || bad "export lake: $(cat "$WORK/err")"
expect_rc 0 "folder of Parquet/CSV files as --db" -- "$DPGEN" generate --db "$WORK/lake" --models "$H/semantic_models.yml" \
  --format json "Monthly headcount by department"
python3 -c "import json; d=json.load(open('$WORK/out')); assert d['transformation']['test_run']['rows'] > 0" \
  && ok "lake query ran" || bad "lake query"
CAT=(--db "$WORK/hr.duckdb" --models "$H/semantic_models.yml" --glossary "$H/glossary.yml")
expect_rc 0 "first run profiles" -- "$DPGEN" generate "${CAT[@]}" --format json "headcount by division"
python3 -c "import json; d=json.load(open('$WORK/out')); assert d['execution']['catalog']['profile_cached'] is False" \
  && ok "profile computed on first use" || bad "first profile"
expect_rc 0 "second run uses the cache" -- "$DPGEN" generate "${CAT[@]}" --format json "headcount by division"
python3 -c "
import json; d=json.load(open('$WORK/out'))
assert d['execution']['catalog']['profile_cached'] is True
c = {x['dataset']: x for x in d['discovery']['candidates']}
assert c['employees']['factors']['popularity'] == 1.0, c
" && ok "profile cached; popularity learned from the first product" || bad "cache/popularity: $(head -c 400 "$WORK/out")"
touch "$WORK/hr.duckdb"
expect_rc 0 "changed database refreshes the profile" -- "$DPGEN" generate "${CAT[@]}" --format json "headcount by division"
python3 -c "import json; d=json.load(open('$WORK/out')); assert d['execution']['catalog']['profile_cached'] is False" \
  && ok "profile refreshed after the file changed" || bad "refresh"
expect_rc 0 "catalog show lists products using a dataset" -- "$DPGEN" catalog show employees "${CAT[@]}"
grep -q "headcount_by_division" "$WORK/out" && ok "downstream lineage from the state" || bad "used_by: $(head -c 300 "$WORK/out")"
# ambiguity of ref(): the same table name in two schemas
cat > "$WORK/dup.sql" <<SQL
ATTACH '$WORK/hr.duckdb' AS hr (READ_ONLY);
CREATE SCHEMA bronze; CREATE SCHEMA silver;
CREATE TABLE bronze.employees AS SELECT * FROM hr.bronze.employees;
CREATE TABLE silver.employees AS SELECT * FROM hr.bronze.employees;
CREATE TABLE bronze.departments AS SELECT * FROM hr.bronze.departments;
CREATE TABLE bronze.payroll AS SELECT * FROM hr.bronze.payroll;
CREATE TABLE bronze.absences AS SELECT * FROM hr.bronze.absences;
SQL
"$DPGEN" demo --sql "$WORK/dup.sql" --out "$WORK/dup.duckdb" 2>/dev/null || bad "build dup"
expect_rc 1 "ambiguous ref" -- "$DPGEN" generate --db "$WORK/dup.duckdb" --models "$H/semantic_models.yml" "headcount"
grep -q "bronze.employees" "$WORK/err" && grep -q "silver.employees" "$WORK/err" && ok "ambiguity names the candidates" \
  || bad "ambiguity message: $(cat "$WORK/err")"
# MetricFlow's create_metric: a measure that is also a metric
cat > "$WORK/cm.yml" <<'YML'
semantic_models:
  - name: employees
    model: ref('employees')
    entities: [{name: employee, type: primary, expr: employee_id}]
    dimensions: [{name: job_level, type: categorical}]
    measures:
      - {name: employee_total, agg: count, expr: employee_id, create_metric: true, description: Employees on the books}
YML
expect_rc 0 "create_metric measure answers as a metric" -- "$DPGEN" generate --db "$WORK/hr.duckdb" --models "$WORK/cm.yml" \
  --format json "employee total by job level"
python3 -c "import json; d=json.load(open('$WORK/out')); assert [m['name'] for m in d['business_context']['metrics']]==['employee_total']" \
  && ok "create_metric" || bad "create_metric: $(head -c 300 "$WORK/out")"
# search from descriptions alone (no glossary): the benchmark's e-commerce catalog
B="$DP_SOURCE_DIR/../shared/bench/domains/ecommerce"
if [ -f "$B/data.sql" ]; then
  "$DPGEN" demo --sql "$B/data.sql" --out "$WORK/com.duckdb" 2>/dev/null || bad "build ecommerce"
  expect_rc 0 "search GMV" -- "$DPGEN" catalog search "GMV" --db "$WORK/com.duckdb" --models "$B/semantic_models.yml"
  python3 -c "import json; d=json.load(open('$WORK/out')); assert d['results'][0]['name']=='revenue', d" \
    && ok "GMV found as revenue from its description" || bad "GMV search: $(head -c 300 "$WORK/out")"
fi
M="$DP_SOURCE_DIR/../shared/bench/domains/marketing"
if [ -f "$M/data.sql" ]; then
  "$DPGEN" demo --sql "$M/data.sql" --out "$WORK/mkt.duckdb" 2>/dev/null || bad "build marketing"
  expect_rc 0 "search ad spend" -- "$DPGEN" catalog search "ad spend" --db "$WORK/mkt.duckdb" --models "$M/semantic_models.yml"
  python3 -c "import json; d=json.load(open('$WORK/out')); assert d['results'][0]['name']=='spend', d" \
    && ok "ad spend found as spend from its description" || bad "ad spend search: $(head -c 300 "$WORK/out")"
fi
finish
