#!/usr/bin/env bash
# One broken element does not break the catalog (issue 11, item 3) and the
# dbt-style catalog commands (item 6). tests/data/broken is the HR catalog
# as a dbt project with deliberate problems: a typo in an entity's column, a
# semantic model whose table was never built, a metric on an unknown
# measure, a derived metric cycle, an expr that does not run, a filter on an
# unknown dimension, a derived expr naming a non-input. Requests that avoid
# them are answered exactly as on the unbroken twin (tests/data/hr); those
# that touch them exit 3 naming the element and why; `catalog check` lists
# every problem with file:line and exits 1 (0 on good catalogs).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/broken"
H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/broken.duckdb" 2>/dev/null || bad "build broken db"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr db"
# its glossary is the twin's with terms that map to elements it disables
B=(--db "$WORK/broken.duckdb" --models "$D" --glossary "$D/glossary.yml")
T=(--db "$WORK/hr.duckdb" --models "$H/semantic_models.yml" --glossary "$H/glossary.yml")

# --- catalog check: every problem at once, file:line, exit 1
expect_rc 1 "catalog check on the broken catalog" -- "$DPGEN" catalog check "${B[@]}"
for want in \
  "models/employees.yml:13: entity employees.department: uses column 'departmnt_id', which table .*employees does not have \[did you mean 'department_id'\?\]" \
  "models/trainings.yml:5: semantic_model trainings: is not built: the database has no table or view 'trainings' for ref\\('trainings'\\) \[run dbt build" \
  "models/metrics.yml:[0-9]+: metric bonus_total: refers to measure 'bonus', which the catalog does not define" \
  "models/metrics.yml:[0-9]+: metric staffing_index: refers to itself through staffing_index -> staffing_ratio -> staffing_index" \
  "models/metrics.yml:[0-9]+: metric staffing_ratio: refers to itself through" \
  "models/absences.yml:[0-9]+: dimension absences.absence_year: has expr 'year\(start_dte\)', which does not run on table" \
  "models/metrics.yml:[0-9]+: metric long_sick_days: has a filter naming dimension 'absence__reasn', which no semantic model has" \
  "models/metrics.yml:[0-9]+: metric pay_per_day: uses 'scheduled_dayz' in its expr, which is not one of its inputs"; do
  grep -Eq "$want" "$WORK/out" && ok "check lists: ${want:0:60}" || bad "check lacks '$want': $(cat "$WORK/out")"
done
grep -q "^8 problem(s)" "$WORK/out" && ok "check counts 8 problems" || bad "check summary: $(tail -1 "$WORK/out")"
# file order: absences.yml before employees.yml before metrics.yml before trainings.yml
awk -F: '/^[^ ]+\.yml:/{print $1}' "$WORK/out" | sort -c 2>/dev/null && ok "problems in file order" || bad "problems not sorted"
expect_rc 1 "catalog check --format json" -- "$DPGEN" catalog check "${B[@]}" --format json
python3 - "$WORK/out" <<'PY' && ok "check JSON: ok false, 8 problems with kind/name/reason/file/line, cascade listed" || bad "check JSON: $(head -c 400 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False
ps = d["problems"]
assert len(ps) == 8, len(ps)
assert all(p["file"] and p["line"] > 0 and p["reason"] and p["kind"] and p["name"] for p in ps)
names = {p["name"] for p in ps}
assert {"employees.department", "trainings", "bonus_total", "staffing_index", "staffing_ratio"} <= names, names
dis = {x["name"]: x["reason"] for x in d["disabled"]}
# cascade: the missing table disables its model's measure, the metric and the derived metric on it
assert "its semantic model 'trainings'" in dis["trainings.training_hours"], dis
assert "its measure 'training_hours'" in dis["training_hours"], dis
assert "its metric 'training_hours'" in dis["training_hours_per_employee"], dis
# a disabled dimension disables the metric whose filter uses it
assert "absence_year" in dis["absences_this_year"], dis
assert "headcount" not in dis and "absence_days" not in dis
PY
expect_rc 0 "catalog check on the unbroken twin (hr)" -- "$DPGEN" catalog check "${T[@]}"
grep -q "no problems" "$WORK/out" && ok "hr: no problems" || bad "hr check: $(cat "$WORK/out")"
expect_rc 0 "catalog check --format json on hr" -- "$DPGEN" catalog check "${T[@]}" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is True and d["problems"] == []' "$WORK/out" \
  && ok "hr check JSON ok" || bad "hr check JSON: $(cat "$WORK/out")"
expect_rc 0 "catalog check on the demo" -- "$DPGEN" catalog check

# a project before `dbt build`: no table at all; it still loads, says so for each model, refuses by name
printf 'SELECT 1;\n' >"$WORK/none.sql"
"$DPGEN" demo --sql "$WORK/none.sql" --out "$WORK/none.duckdb" 2>/dev/null || bad "build empty db"
expect_rc 1 "catalog check before dbt build" -- "$DPGEN" catalog check --db "$WORK/none.duckdb" --models "$D"
[ "$(grep -c "is not built: the database has no table or view '[a-z]*' for ref('[a-z]*') \[run dbt build" "$WORK/out")" = 5 ] \
  && ok "each of the 5 models says dbt build" || bad "before dbt build: $(cat "$WORK/out")"
expect_rc 3 "a request before dbt build" -- "$DPGEN" generate --db "$WORK/none.duckdb" --models "$D" --no-record "monthly headcount"
grep -q "metric 'headcount' is disabled: its measure 'headcount' is disabled: its semantic model 'payroll' is not built: the database has no table or view 'payroll'" "$WORK/err" \
  && grep -q "dbt build" "$WORK/err" && ok "names the metric, the model and dbt build" || bad "before dbt build: $(cat "$WORK/err")"

# a semantic manifest (dbt parse's JSON) with a broken reference and a column typo: the same, located by JSON path
S="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$S/data.sql" --out "$WORK/sm.duckdb" 2>/dev/null || bad "build smanifest db"
python3 - "$S/semantic_manifest.json" "$WORK/sm_broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
next(m for m in d["metrics"] if m["type"] == "simple")["type_params"]["measure"]["name"] = "no_such_measure"
next(x for x in d["semantic_models"][0]["dimensions"] if x["type"] == "categorical")["expr"] = "no_such_col"
json.dump(d, open(sys.argv[2], "w"))
PY
expect_rc 1 "catalog check on a broken semantic manifest" -- "$DPGEN" catalog check --db "$WORK/sm.duckdb" --manifest "$WORK/sm_broken.json"
grep -Eq "sm_broken.json:metrics\[[0-9]+\]: metric [a-z_]+: refers to measure 'no_such_measure'" "$WORK/out" \
  && grep -Eq "sm_broken.json:semantic_models\[0\]\.dimensions\[[0-9]+\]: dimension [a-z_.]+: uses column 'no_such_col'" "$WORK/out" \
  && ok "manifest problems located by JSON path" || bad "manifest check: $(cat "$WORK/out")"
expect_rc 0 "catalog check on the unbroken manifest" -- "$DPGEN" catalog check --db "$WORK/sm.duckdb" --manifest "$S/semantic_manifest.json"

# --- requests that avoid the broken parts: the same SQL and rows as the twin
for q in "monthly headcount by location" "Total absence days by reason each quarter" "Monthly absence days of employee 5" \
  "payroll cost by job level" "attrition rate by location in 2024" "Top 5 employees by overtime hours in 2025" \
  "sick days by month in 2025" "average salary by employment type"; do
  "$DPGEN" generate "${B[@]}" --no-record --as-of 2025-07-16 --format json "$q" >"$WORK/b.json" 2>"$WORK/b.err"
  rb=$?
  "$DPGEN" generate "${T[@]}" --no-record --as-of 2025-07-16 --format json "$q" >"$WORK/h.json" 2>/dev/null
  rh=$?
  if [ $rb = 0 ] && [ $rh = 0 ] && python3 - "$WORK/b.json" "$WORK/h.json" <<'PY'; then ok "answered as on the twin: $q"; else bad "differs from the twin ($rb/$rh): $q: $(head -c 300 "$WORK/b.err")"; fi
import json, sys
b, h = (json.load(open(p))["transformation"] for p in sys.argv[1:])
assert b["sql"] == h["sql"]
assert b["test_run"]["rows"] == h["test_run"]["rows"] > 0
assert b["test_run"]["sample_rows"] == h["test_run"]["sample_rows"] and b["test_run"]["sample_rows"]
PY
done
# a phrase one disabled dataset also has: read as the enabled one, with a warning naming the disabled one
"$DPGEN" generate "${B[@]}" --no-record --as-of 2025-07-16 "monthly headcount by location" >/dev/null 2>"$WORK/err"
grep -q "warning: dimension 'trainings.location' is disabled: its semantic model 'trainings' is not built" "$WORK/err" \
  && ok "warning names the disabled candidate" || bad "no warning: $(cat "$WORK/err")"

# --- requests that need a disabled element: exit 3, naming it and why
refused() { # request, then patterns the message must hold
  local q=$1; shift
  expect_rc 3 "refused: $q" -- "$DPGEN" generate "${B[@]}" --no-record --as-of 2025-07-16 "$q"
  for p in "$@"; do
    grep -q -- "$p" "$WORK/err" && ok "  names: $p" || bad "  '$q' lacks '$p': $(cat "$WORK/err")"
  done
}
refused "training hours by month" "metric 'training_hours' is disabled" "is not built: the database has no table or view 'trainings'" "trainings.yml:5" "dbt build"
refused "training hours per employee" "metric 'training_hours_per_employee' is disabled" "its metric 'training_hours'"
refused "bonus total by month" "metric 'bonus_total' is disabled: refers to measure 'bonus', which the catalog does not define (" "metrics.yml:"
refused "staffing index" "metric 'staffing_index' is disabled: refers to itself through"
refused "long sick days by month" "metric 'long_sick_days' is disabled" "absence__reasn"
refused "absences this year by reason" "metric 'absences_this_year' is disabled" "year(start_dte)"
refused "pay per scheduled day by month" "metric 'pay_per_day' is disabled" "scheduled_dayz"
refused "absences by absence year" "dimension 'absences.absence_year' is disabled" "absences.yml:"
refused "headcount by course" "dimension 'trainings.course' is disabled" "dbt build"
refused "headcount by division" "entity 'employees.department' is disabled: uses column 'departmnt_id'" "employees.yml:13" "department_id"
refused "headcount by course attended" "dimension 'trainings.course' is disabled" "is not built"
refused "monthly hours of learning" "metric 'training_hours' is disabled"
# no "did you mean" leads to a disabled metric
expect_rc 3 "a phrase close to a disabled metric" -- "$DPGEN" generate "${B[@]}" --no-record "daily pay by month"
grep -q "pay_per_day" "$WORK/err" && bad "suggests a disabled metric: $(cat "$WORK/err")" || ok "suggests no disabled metric"
# the refusal is a clarification: with --format json, its JSON on stdout
expect_rc 3 "refusal as JSON" -- "$DPGEN" generate "${B[@]}" --no-record --format json "bonus total by month"
grep -q '"clarification"' "$WORK/out" && ok "refusal prints its clarification" || bad "no clarification: $(head -c 300 "$WORK/out")"

# --- catalog list and the dbt-style listings
expect_rc 0 "catalog list (plain) still works" -- "$DPGEN" catalog list "${B[@]}"
python3 - "$WORK/out" <<'PY' && ok "plain list keeps its keys and adds the disabled elements" || bad "plain list: $(head -c 300 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert {"datasets", "metrics", "terms", "learned"} <= set(d)
dis = {x["name"]: x for x in d["disabled"]}
assert dis["trainings"]["kind"] == "semantic_model" and "dbt build" in dis["trainings"]["hint"]
assert dis["employees.department"]["defined_in"].endswith("employees.yml:13")
assert any(ds["name"] == "trainings" and ds["table"] == "trainings" for ds in d["datasets"])
PY
expect_rc 0 "catalog list metrics" -- "$DPGEN" catalog list metrics "${B[@]}"
grep -Eq "^METRIC +TYPE +LABEL +STATUS +REASON" "$WORK/out" && grep -Eq "^headcount +simple +Headcount +ok" "$WORK/out" \
  && grep -Eq "^bonus_total +simple +Bonus Total +disabled +refers to measure 'bonus'" "$WORK/out" \
  && ok "list metrics: a table with status and reason" || bad "list metrics: $(cat "$WORK/out")"
expect_rc 0 "catalog list metrics --format json" -- "$DPGEN" catalog list metrics "${B[@]}" --format json
python3 -c '
import json,sys
m = {x["name"]: x for x in json.load(open(sys.argv[1]))["metrics"]}
assert len(m) == 22 and m["headcount"]["status"] == "ok" and m["staffing_ratio"]["status"] == "disabled"
assert m["headcount"]["defined_in"].endswith("metrics.yml:4")' "$WORK/out" && ok "list metrics JSON" || bad "list metrics JSON: $(head -c 300 "$WORK/out")"
expect_rc 0 "catalog list dimensions" -- "$DPGEN" catalog list dimensions "${B[@]}"
grep -Eq "^department__division +departments +categorical +ok" "$WORK/out" && grep -Eq "^absence__absence_year +absences +categorical +disabled" "$WORK/out" \
  && ok "list dimensions names entity__dim" || bad "list dimensions: $(cat "$WORK/out")"
expect_rc 0 "catalog list entities --format json" -- "$DPGEN" catalog list entities "${B[@]}" --format json
python3 -c '
import json,sys
e = json.load(open(sys.argv[1]))["entities"]
bad = [x for x in e if x["status"] == "disabled"]
assert {(x["semantic_model"], x["name"]) for x in bad} == {("employees", "department"), ("trainings", "training"), ("trainings", "employee")}, bad' "$WORK/out" \
  && ok "list entities JSON: the disabled ones" || bad "list entities: $(head -c 400 "$WORK/out")"
expect_rc 0 "catalog list saved-queries" -- "$DPGEN" catalog list saved-queries "${B[@]}" --format json
python3 -c '
import json,sys
q = {x["name"]: x for x in json.load(open(sys.argv[1]))["saved_queries"]}
assert q["headcount_by_location"]["status"] == "ok" and q["headcount_by_location"]["metrics"] == ["headcount"]
assert q["bonus_by_location"]["status"] == "disabled" and "its metric '"'"'bonus_total'"'"'" in q["bonus_by_location"]["reason"]' "$WORK/out" \
  && ok "saved queries: the one over a disabled metric is disabled" || bad "saved queries: $(cat "$WORK/out")"
expect_rc 0 "a saved query that avoids the broken parts" -- "$DPGEN" generate "${B[@]}" --no-record --as-of 2025-07-16 --saved-query headcount_by_location
expect_rc 3 "a saved query over a disabled metric" -- "$DPGEN" generate "${B[@]}" --no-record --as-of 2025-07-16 --saved-query bonus_by_location
grep -q "bonus_by_location.*disabled.*bonus_total.*refers to measure 'bonus'" "$WORK/err" && ok "  names the query, the metric and why" || bad "saved query refusal: $(cat "$WORK/err")"
expect_rc 2 "catalog list of an unknown kind" -- "$DPGEN" catalog list widgets "${B[@]}"

# --- dimension-values: from the data, sorted, by entity__dim or model.dim
expect_rc 0 "dimension-values absence__reason" -- "$DPGEN" catalog dimension-values absence__reason "${B[@]}"
[ "$(cat "$WORK/out")" = "$(printf 'parental\nsick\ntraining\nunpaid\nvacation')" ] && ok "values sorted, distinct" || bad "values: $(cat "$WORK/out")"
expect_rc 0 "dimension-values model.dim as JSON" -- "$DPGEN" catalog dimension-values departments.division "${B[@]}" --format json
python3 -c '
import json,sys
d = json.load(open(sys.argv[1]))
assert d["dimension"] == "departments.division" and d["values"] == sorted(d["values"]) and len(d["values"]) == 4 and d["truncated"] is False' "$WORK/out" \
  && ok "dimension-values JSON" || bad "dimension-values JSON: $(cat "$WORK/out")"
expect_rc 3 "dimension-values of a disabled dimension" -- "$DPGEN" catalog dimension-values absences.absence_year "${B[@]}"
grep -q "is disabled: has expr 'year(start_dte)'" "$WORK/err" && ok "says why" || bad "disabled values: $(cat "$WORK/err")"
expect_rc 2 "dimension-values of an unknown dimension" -- "$DPGEN" catalog dimension-values nope__nothing "${B[@]}"
finish
