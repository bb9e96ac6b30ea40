#!/usr/bin/env bash
# Bad input gets a clear error and exit status: usage 2, clarify 3, other 1.
. "$(dirname "$0")/lib.inc"
H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr db"
CAT=(--db "$WORK/hr.duckdb" --models "$H/semantic_models.yml" --glossary "$H/glossary.yml")

expect_rc 2 "empty request" -- "$DPGEN" generate "${CAT[@]}" ""
grep -q "usage:" "$WORK/err" && ok "empty request prints usage" || bad "empty request prints usage"
expect_rc 2 "blank request" -- "$DPGEN" generate "${CAT[@]}" "   "
expect_rc 2 "unknown option" -- "$DPGEN" generate --bogus x "headcount"
expect_rc 3 "a request that starts with -- after the -- separator" -- "$DPGEN" generate "${CAT[@]}" -- "-- DROP TABLE employees"
grep -q "unknown option" "$WORK/err" && bad "-- separator: $(cat "$WORK/err")" || ok "after --, the request is text, not an option"
expect_rc 3 "unanswerable request" -- "$DPGEN" generate "${CAT[@]}" --format json "Monthly warehouse forklift utilisation by shift"
# with --format json a refusal prints its clarification (docs/clarification.md), never a spec
grep -q '"clarification"' "$WORK/out" && ! grep -qi '"sql"\|spec_version' "$WORK/out" \
  && ok "no SQL printed for a refusal, its clarification instead" || bad "refusal printed: $(head -c 300 "$WORK/out")"
grep -q "forklift utilisation" "$WORK/err" && ok "refusal names what it could not find" || bad "refusal message: $(cat "$WORK/err")"
expect_rc 3 "unknown dimension" -- "$DPGEN" generate "${CAT[@]}" "Monthly headcount by spaceship"
grep -q "spaceship" "$WORK/err" && ok "names the missing dimension" || bad "missing dimension message: $(cat "$WORK/err")"
# nothing in the catalog is close to "spaceship": no far-fetched "did you
# mean", but the dimensions headcount can be grouped by
grep -q "did you mean" "$WORK/err" && bad "far-fetched suggestion: $(cat "$WORK/err")" || ok "no far-fetched suggestion"
grep -q "dimensions it has for these metrics include: .*employees.job_level" "$WORK/err" \
  && ok "lists the dimensions it has instead" || bad "fallback message: $(cat "$WORK/err")"
expect_rc 3 "cumulative metric the catalog lacks" -- "$DPGEN" generate "${CAT[@]}" "running total of payroll cost by month"
grep -q "no cumulative metric 'running total of payroll cost'" "$WORK/err" && ok "names the calculation it lacks" \
  || bad "calculation message: $(cat "$WORK/err")"
expect_rc 1 "missing database" -- "$DPGEN" generate --db "$WORK/nope.duckdb" --models "$H/semantic_models.yml" "headcount"
grep -q "nope.duckdb" "$WORK/err" && ok "names the missing database" || bad "missing db message"
printf 'semantic_models:\n  - name: x\n    model: [unclosed\n' > "$WORK/bad.yml"
expect_rc 1 "malformed YAML" -- "$DPGEN" generate --db "$WORK/hr.duckdb" --models "$WORK/bad.yml" "headcount"
grep -Eq "bad.yml:[0-9]+:[0-9]+" "$WORK/err" && ok "malformed YAML names file:line:column" || bad "YAML message: $(cat "$WORK/err")"
cat > "$WORK/missing.yml" <<'YML'
semantic_models:
  - name: employees
    model: ref('employees')
    entities: [{name: employee, type: primary, expr: employee_id}]
    measures: [{name: headcount_m, agg: count, expr: employee_id}]
metrics:
  - name: headcount
    type: simple
    type_params: {measure: no_such_measure}
YML
# a broken element disables itself (and what uses it), not the catalog: the
# request that needs it is refused naming it (tests/e2e/tolerant.sh)
expect_rc 3 "metric with a missing measure" -- "$DPGEN" generate --db "$WORK/hr.duckdb" --models "$WORK/missing.yml" "headcount"
grep -q "no_such_measure" "$WORK/err" && grep -q "headcount" "$WORK/err" && ok "names metric and measure" || bad "missing measure message: $(cat "$WORK/err")"
sed 's/ref(.employees.)/ref('"'"'no_table'"'"')/' "$WORK/missing.yml" | sed 's/no_such_measure/headcount_m/' > "$WORK/notable.yml"
expect_rc 3 "model whose table is missing" -- "$DPGEN" generate --db "$WORK/hr.duckdb" --models "$WORK/notable.yml" "headcount"
grep -q "no_table" "$WORK/err" && ok "names the missing table" || bad "missing table message: $(cat "$WORK/err")"
expect_rc 3 "request with SQL in it is refused" -- "$DPGEN" generate "${CAT[@]}" --format json "headcount'; DROP TABLE employees; --"
grep -q "DROP" "$WORK/err" && ok "the refusal names the words it could not place" || bad "injection: $(cat "$WORK/err")"
grep -qi "select" "$WORK/out" && bad "injection: SQL printed: $(head -c 300 "$WORK/out")" || ok "request text never reaches any SQL"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect_rc 1 "oversized request" -- "$DPGEN" generate "${CAT[@]}" "$long"
grep -q "limit" "$WORK/err" && ok "oversized request names the limit" || bad "oversized message"
finish
