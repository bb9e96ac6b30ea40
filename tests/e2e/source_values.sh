#!/usr/bin/env bash
# Values of the sources a rule on the product reads (the newest period for
# freshness, the first and last days for partial periods) are read once per
# data fingerprint and kept in the state: after the data changes, a run with
# the old state must give every rule the result a fresh state gives, and
# the change must show in the rules (else this test proves nothing).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/hr"
REQ="Monthly headcount by department"
rules() { # STATE OUT: the rules' results (status, failing rows, examples)
  DPGEN_STATE_DIR=$1 "$DPGEN" generate --no-record --format json --as-of 2025-07-16 --db "$WORK/hr.duckdb" \
    --models "$D/semantic_models.yml" --glossary "$D/glossary.yml" "$REQ" >"$WORK/spec.json" || return 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps([[r["type"], r["result"]["status"], r["result"].get("failing_rows"), r["result"].get("examples")]
                  for r in d["quality"]["rules"]], sort_keys=True))' "$WORK/spec.json" >"$2"
}
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || { bad "build hr"; finish; exit 1; }
mkdir -p "$WORK/old" "$WORK/fresh"
rules "$WORK/old" "$WORK/v1" && rules "$WORK/old" "$WORK/v1again" || bad "runs on the first data"
cmp -s "$WORK/v1" "$WORK/v1again" && ok "the same data: the same results from the kept values" ||
  bad "the kept values changed a result"
grep -q partial_period "$WORK/v1" && grep -q freshness "$WORK/v1" && ok "the request has both rules" ||
  bad "no freshness or partial_period rule: the test proves nothing"
# the same file, new data: two more months of payroll
{ cat "$D/data.sql"; echo "INSERT INTO bronze.payroll SELECT payroll_id + 1000000, employee_id, DATE '2025-08-01',"
  echo "  scheduled_days, overtime_hours, gross_pay FROM bronze.payroll WHERE pay_month = DATE '2025-06-01';"; } >"$WORK/v2.sql"
sleep 1 # a new mtime even on coarse clocks
"$DPGEN" demo --sql "$WORK/v2.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "rebuild hr"
rules "$WORK/old" "$WORK/v2old" && rules "$WORK/fresh" "$WORK/v2fresh" || bad "runs on the new data"
cmp -s "$WORK/v2old" "$WORK/v2fresh" && ok "new data: the old state gives what a fresh state gives" ||
  { bad "new data: a value kept from the old data was used"; diff <(tr '[' '\n' <"$WORK/v2old") <(tr '[' '\n' <"$WORK/v2fresh") | head; }
cmp -s "$WORK/v1" "$WORK/v2fresh" && bad "the new data changed no rule: the test proves nothing" ||
  ok "the new data changes the rules' results"
finish
