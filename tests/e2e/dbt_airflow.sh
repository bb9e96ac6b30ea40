#!/usr/bin/env bash
# The dbt project and Airflow DAG of `generate --out`, as a data engineer
# deploys them (dbt-core 1.10.5+, dbt-duckdb or dbt-postgres, Airflow 2.x
# and 3.x), for the seed request, the showcase requests and the postgres
# dialect:
#   - sources.yml: freshness for each time source, a DATE column cast to
#     TIMESTAMP (dbt refuses a date); the source database named (DuckDB);
#   - profiles.yml: every path an env_var() with a relative default, the
#     source attached read-only, the product in its own database; no
#     absolute path anywhere in dbt/ or airflow/;
#   - each quality rule exactly once (generic test or singular test, the
#     rule id in its meta), the source rules on the sources;
#   - contract types from data_model, not-null keys as constraints;
#   - the DAG compiles, imports against stub Airflow 2.x and 3.x packages,
#     runs deps -> source freshness -> build in that order inside the
#     project folder, and finds the project beside it in a dags folder.
# (test_exports runs each test's SQL in DuckDB against the rule results.)
. "$(dirname "$0")/lib.inc"
python3 -c "import yaml" 2>/dev/null || { echo "skip: needs PyYAML"; exit 77; }
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"

n=0
for req in "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign." \
  "Daily sales by region and product category" \
  "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support tickets and average satisfaction" \
  "top 10 products by units sold" \
  "Orders, revenue and support tickets by customer region" \
  "pg:Daily sales by region and product category"; do
  n=$((n + 1))
  dialect=duckdb
  case "$req" in pg:*) dialect=postgres; req=${req#pg:} ;; esac
  out="$WORK/export$n"
  expect_rc 0 "export ($dialect): $req" -- "$DPGEN" generate --no-record --dialect "$dialect" --out "$out" "$req"
  python3 "$DP_SOURCE_DIR/tests/e2e/dbt_airflow.py" "$out" "$dialect" "$WORK" >"$WORK/py.out" 2>&1 \
    && ok "export $n ($dialect): dbt project and DAG deployable" \
    || bad "export $n ($dialect): $(tail -5 "$WORK/py.out")"
done

# the checks can fail: a DAG importing only from Airflow 2's paths fails the
# 3.x stubs, and a rule emitted twice is found
out="$WORK/export1"
dag=$(ls "$out"/airflow/*_dag.py)
cp -r "$out" "$WORK/broken"
sed -i 's/from airflow.sdk import DAG/from airflow.sdk_missing import DAG/; s/    from airflow import DAG/    from airflow.missing import DAG/' \
  "$WORK/broken/airflow/$(basename "$dag")"
python3 "$DP_SOURCE_DIR/tests/e2e/dbt_airflow.py" "$WORK/broken" duckdb "$WORK" >/dev/null 2>&1 \
  && bad "a DAG that cannot import DAG passes" || ok "a DAG that cannot import DAG fails"
rm -rf "$WORK/broken" && cp -r "$out" "$WORK/broken"
t=$(ls "$WORK"/broken/dbt/tests/*.sql | head -1)
cp "$t" "${t%.sql}_again.sql"
python3 "$DP_SOURCE_DIR/tests/e2e/dbt_airflow.py" "$WORK/broken" duckdb "$WORK" >/dev/null 2>&1 \
  && bad "a rule emitted twice passes" || ok "a rule emitted twice fails"
rm -rf "$WORK/broken" && cp -r "$out" "$WORK/broken"
sed -i 's|source.duckdb|/srv/data/source.duckdb|' "$WORK/broken/dbt/profiles.yml"
python3 "$DP_SOURCE_DIR/tests/e2e/dbt_airflow.py" "$WORK/broken" duckdb "$WORK" >/dev/null 2>&1 \
  && bad "an absolute path passes" || ok "an absolute path fails"
finish
