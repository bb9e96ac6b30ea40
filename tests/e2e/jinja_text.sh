#!/usr/bin/env bash
# Catalog text (descriptions, labels) with Jinja delimiters is copied into
# the dbt project and the Airflow DAG with no live delimiter left: rendered
# as Jinja (as dbt and Airflow do), every file renders, calls nothing the
# catalog wrote, and the text itself is still there, neutralised.
. "$(dirname "$0")/lib.inc"
H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr db"
EVIL="{{ run_query('drop table x') }} {% macro m() %} {# hidden #}"
# the models' text (which the catalog loader renders as dbt would) and the
# glossary's (which it copies as written: owner, definitions)
sed -e "s/^\( *\)description: \(.*\)\$/\1description: \"\2 $EVIL\"/" \
  -e "s/^\( *\)label: \(.*\)\$/\1label: \"\2 $EVIL\"/" "$H/semantic_models.yml" >"$WORK/models.yml"
sed -e "s/^\( *\)definition: \(.*\)\$/\1definition: \"\2 $EVIL\"/" \
  -e "s/^\( *\)owner: \(.*\)\$/\1owner: \"\2 $EVIL\"/" "$H/glossary.yml" >"$WORK/glossary.yml"
grep -q "run_query" "$WORK/models.yml" && grep -q "run_query" "$WORK/glossary.yml" || bad "the test catalog has no Jinja text"
CAT=(--db "$WORK/hr.duckdb" --models "$WORK/models.yml" --glossary "$WORK/glossary.yml")
n=0
for req in "Monthly headcount by department" "Total absence days by reason each quarter"; do
  n=$((n + 1))
  expect_rc 0 "export: $req" -- "$DPGEN" generate --no-record "${CAT[@]}" --out "$WORK/e$n" "$req"
  grep -rq "run_query" "$WORK/e$n/airflow" && ok "export $n: the catalog's text reached the DAG" ||
    bad "export $n: no catalog text in the DAG (nothing tested)"
  python3 - "$WORK/e$n" <<'PY' && ok "export $n: every dbt and Airflow file renders with no catalog Jinja" || bad "export $n: live Jinja from catalog text"
import glob, os, sys, jinja2
root = sys.argv[1]
calls = []
env = jinja2.Environment()
ctx = {"run_query": lambda *a: calls.append(a), "source": lambda *a: "", "ref": lambda *a: "",
       "config": lambda *a, **k: "", "env_var": lambda *a: "", "var": {"value": {}}, "params": {}, "target": {}}
files = [f for f in glob.glob(root + "/dbt/**/*", recursive=True) + glob.glob(root + "/airflow/*")
         if os.path.isfile(f) and not f.endswith(("profiles.yml", "generate_schema_name.sql"))]
assert files
for f in files:
    text = open(f).read()
    for d in ("{{ run_query", "{% macro", "{# hidden"):
        assert d not in text, (f, d)
    try:
        env.from_string(text).render(**ctx)
    except jinja2.TemplateSyntaxError as e:
        raise SystemExit("%s: %s" % (f, e))
assert not calls, calls
PY
done
finish
