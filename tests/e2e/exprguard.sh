#!/usr/bin/env bash
# Catalog expressions are allowed only columns of their own table, literals,
# operators and a list of functions (issue 13 item 5.2, src/sql/expr_check.c).
# tests/data/exprguard has an undeclared table (private.secret) and elements
# that reach for it, a setting, a file or a qualified function; before the
# allow-list, secret_sum and settings_leak bound and answered with the
# secret. Each is now disabled with why and file:line, a request using one
# exits 3 naming why, and the legitimate expressions beside them still run.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/exprguard"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/eg.duckdb" 2>/dev/null || { bad "build exprguard db"; finish; exit 1; }
M=(--db "$WORK/eg.duckdb" --models "$D/semantic_models.yml" --no-record --as-of 2025-07-16)

expect_rc 1 "catalog check lists the refused expressions" -- "$DPGEN" catalog check "${M[@]}"
for want in \
  "semantic_models.yml:42: dimension events.settings_leak: has expr 'current_setting\('threads'\)' that calls current_setting\(\), which is not one of the functions" \
  "semantic_models.yml:45: dimension events.query_leak: has expr .* that calls query\(\)" \
  "semantic_models.yml:48: dimension events.file_leak: has expr .* that calls read_csv\(\)" \
  "semantic_models.yml:51: dimension events.qualified_leak: has expr 'main.upper\(kind\)' that calls upper \(schema-qualified\)" \
  "semantic_models.yml:54: dimension events.pragma_leak: has expr 'pragma_version\(\)' that calls pragma_version\(\)" \
  "semantic_models.yml:74: measure events.secret_sum: has expr '\(SELECT max\(x\) FROM private.secret\)' that holds a subquery" \
  "semantic_models.yml:77: measure events.settings_count: has expr .* that holds a subquery" \
  "semantic_models.yml:118: metric sneaky_amount: has filter .* that holds a subquery" \
  "semantic_models.yml:124: metric file_amount: has filter .* that calls read_csv\(\)" \
  "semantic_models.yml:130: metric click_share: has filter .* that calls read_text\(\)" \
  "semantic_models.yml:156: saved_query leaky_by_kind: has where .* that holds a subquery"; do
  grep -Eq -- "$want" "$WORK/out" && ok "check lists: ${want:0:70}" || bad "check lacks '$want': $(cat "$WORK/out")"
done
grep -q "^11 problem(s)" "$WORK/out" && ok "11 problems, nothing else" || bad "check summary: $(tail -1 "$WORK/out")"
expect_rc 1 "catalog check --format json" -- "$DPGEN" catalog check "${M[@]}" --format json
python3 - "$WORK/out" <<'PY' && ok "the legitimate expressions are enabled" || bad "check JSON: $(head -c 600 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
dis = {x["name"] for x in d["disabled"]}
assert dis == {"events.settings_leak", "events.query_leak", "events.file_leak", "events.qualified_leak",
               "events.pragma_leak", "events.secret_sum", "events.settings_count", "secret_total",
               "sneaky_amount", "file_amount", "click_share", "leaky_by_kind"}, dis
PY

# requests on a refused element: exit 3, the reason, never the secret
refused() { # request, then patterns the message must hold
  local q=$1; shift
  expect_rc 3 "refused: $q" -- "$DPGEN" generate "${M[@]}" --format json "$q"
  for p in "$@"; do
    grep -q -- "$p" "$WORK/err" && ok "  names: $p" || bad "  '$q' lacks '$p': $(cat "$WORK/err")"
  done
  ! grep -q "424242\|top-secret" "$WORK/out" "$WORK/err" && ok "  no secret in the answer" || bad "  '$q' shows the secret"
}
refused "secret total by month" "metric 'secret_total' is disabled: its measure 'secret_sum' has expr" "holds a subquery" "semantic_models.yml:74"
refused "sneaky amount by month" "metric 'sneaky_amount' is disabled: has filter" "holds a subquery"
refused "file amount by kind" "metric 'file_amount' is disabled" "calls read_csv()"
refused "amount by settings leak" "dimension 'events.settings_leak' is disabled" "calls current_setting()"
refused "amount by query leak" "dimension 'events.query_leak' is disabled" "calls query()"
refused "click share by month" "metric 'click_share' is disabled" "calls read_text()"
expect_rc 3 "refused: saved query leaky_by_kind" -- "$DPGEN" generate "${M[@]}" --saved-query leaky_by_kind
grep -q "saved query 'leaky_by_kind'.*disabled: has where .* that holds a subquery" "$WORK/err" && ok "  names the where" \
  || bad "  leaky_by_kind: $(cat "$WORK/err")"
expect_rc 0 "the saved query beside it runs" -- "$DPGEN" generate "${M[@]}" --saved-query amount_by_kind

# the legitimate expressions: CASE, extract, date_trunc, coalesce, ::DATE, arithmetic, a percentile, a filter
for q in "amount p90 by amount band" "amount cents by created year" "high events by month" "click amount by note text" \
  "amount net by kind" "amount by created day" "amount by created month" "view amount by month"; do
  "$DPGEN" generate "${M[@]}" --format json "$q" >"$WORK/q.json" 2>"$WORK/q.err"
  rc=$?
  if [ $rc = 0 ] && python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["transformation"]["test_run"]; assert t["rows"] > 0' "$WORK/q.json"; then
    ok "answered: $q"
  else
    bad "not answered ($rc): $q: $(tail -2 "$WORK/q.err")"
  fi
done
# the CASE dimension's values come from the expression, over the declared table only
"$DPGEN" generate "${M[@]}" --format json "amount p90 by amount band" >"$WORK/q.json" 2>/dev/null
python3 - "$WORK/q.json" <<'PY' && ok "amount band values: high, low, mid" || bad "amount band: $(head -c 300 "$WORK/q.json")"
import json, sys
rows = json.load(open(sys.argv[1]))["transformation"]["test_run"]["sample_rows"]
assert sorted(r["amount_band"] for r in rows) == ["high", "low", "mid"], rows
PY
# Past DP_EXPR_PREPARE_MAX (2000) expressions the check says how many the
# database checked; the count comes from the load of each file (the file
# loaders count them side by side), over two files here.
mkdir -p "$WORK/many"
for part in 0 1; do
  {
    echo "semantic_models:"
    echo "  - name: many_$part"
    echo "    model: ref('events')"
    echo "    defaults: {agg_time_dimension: created_at}"
    echo "    entities: [{name: ev_$part, type: primary, expr: event_id}]"
    echo "    dimensions: [{name: created_at, type: time, type_params: {time_granularity: day}}]"
    echo "    measures:"
    for i in $(seq 1 1001); do echo "      - {name: m${part}_$i, agg: sum, expr: amount + $i}"; done
    echo "      - {name: plain_$part, agg: sum, expr: amount}"
  } > "$WORK/many/m$part.yml"
done
expect_rc 0 "catalog check of 2,002 expressions" -- "$DPGEN" catalog check --db "$WORK/eg.duckdb" --models "$WORK/many"
grep -q "^note: 2002 expressions; the first 2000 were checked against the database" "$WORK/out" \
  && ok "the note counts every expression of both files" || bad "note: $(cat "$WORK/out")"
finish
