#!/usr/bin/env bash
# SQL written by a language model for a calculation the compiler does not do
# (issue 16 item 3, docs/llm.md), against the scripted server (llm_server.py
# replaying tests/data/llm/fixtures.json, the scenario picked by
# DPGEN_LLM_MODEL): SQL that fails to parse, then to prepare, then passes on
# the third attempt; a table outside the catalog, read_csv and glob refused;
# a base column that does not reconcile with the compiler's, or repeats a
# grain value, refused; the call budget spent. The run stays a clarification
# (exit 3): SQL that passed every check is offered in it, never answered as
# the product. The demo catalog.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/llm_server.inc"
REQ="share of ad revenue by channel"
# run SCENARIO REQUEST [extra env...]: exit code in $rc, the clarification in out, the trace in trace
run() {
  local sc=$1 req=$2
  shift 2
  env DPGEN_LLM_MODEL="$sc" "$@" "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 --no-record --trace --format json \
    "$req" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  python3 -c "
import sys
t = open(sys.argv[1]).read()
open(sys.argv[2], 'w').write(t[t.index('{'):t.rindex('}') + 1] if '{' in t else '{}')" "$WORK/err" "$WORK/trace"
}
want() { if [ "$2" = "$1" ]; then ok "$3 (exit $2)"; else bad "$3: exit $2, want $1: $(tail -2 "$WORK/err" 2>/dev/null)"; fi; }
# c EXPR: EXPR over d (the clarification document), t (the trace), w (the intent stage's warnings)
c() {
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1])).get('clarification', {})
t = json.load(open(sys.argv[2]))
w = t['stages'][0]['warnings'] if t.get('stages') else []
print(eval(sys.argv[3]))" "$WORK/out" "$WORK/trace" "$1" 2>&1
}
check() { if [ "$(c "$1")" = True ]; then ok "$2"; else bad "$2: $(c "$3")"; fi; }

# 0. without a model: the clarification, nothing proposed, nothing asked
"$DPGEN" generate --as-of 2025-07-16 --no-record --format json "$REQ" >"$WORK/out" 2>"$WORK/err"
want 3 $? "without a model '$REQ' is asked back"
[ "$(python3 -c "import json,sys; print('proposed_sql' in json.load(open(sys.argv[1]))['clarification'])" "$WORK/out")" = False ] &&
  ok "without a model nothing is proposed" || bad "proposed without a model"

# 1. parse error, then prepare error, then SQL that passes every check
run sql_third "$REQ"
want 3 "$rc" "sql_third: still a clarification (the SQL is offered, not the product)"
check "[x['purpose'] for x in t['llm']['calls']] == ['sql'] * 3" "three SQL calls, the intent assistance not asked to rename the calculation" \
  "t['llm']['calls']"
check "[x['outcome'] for x in t['llm']['calls']] == ['rejected', 'rejected', 'accepted']" \
  "the attempts are recorded: rejected, rejected, accepted" "[x['outcome'] for x in t['llm']['calls']]"
check "'does not parse' in w[0] and 'attempt 1' in w[0]" "attempt 1 refused by the parser" "w"
check "'cannot prepare' in w[1] and 'revenu' in w[1]" "attempt 2 refused by DuckDB's prepare" "w"
check "d['proposed_sql']['attempts'] == 3 and d['proposed_sql']['generator'] == 'llm'" \
  "the clarification offers the SQL: generator llm, 3 attempts" "d.get('proposed_sql')"
check "'share_of_ad_revenue' in d['proposed_sql']['sql'] and d['proposed_sql']['base_metric'] == 'ad_revenue'" \
  "the offered SQL is the third answer, its base metric ad_revenue" "d.get('proposed_sql')"
check "any('equals the compiler' in x for x in d['proposed_sql']['checks']) and d['proposed_sql']['sample_rows_read'] == 6" \
  "its checks include the reconciliation; its test run read the 6 channels" "d.get('proposed_sql')"
check "len(d['proposed_sql']['sample']) == 5 and abs(sum(float(r['share_of_ad_revenue']) for r in d['proposed_sql']['sample'])) < 1" \
  "the clarification keeps 5 of the rows read" "d['proposed_sql']['sample']"
check "'not answered as a product' in w[2] and 'not answered as a product' in open('$WORK/err').read()" \
  "a warning (stderr) says it is offered, not answered" "w"
python3 - "$WORK/out" "$DP_SOURCE_DIR/schemas/dpgen-spec-1.0.json" <<'EOF' && ok "the clarification with proposed_sql is valid" || bad "schema"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(0)
s = json.load(open(sys.argv[2]))
jsonschema.validate(json.load(open(sys.argv[1])), {"$schema": s["$schema"], "definitions": s["definitions"],
                                                  "$ref": "#/definitions/clarification_result"})
bad = json.load(open(sys.argv[1]))
bad["clarification"]["proposed_sql"]["attempts"] = 4  # the schema would catch a fourth attempt
try:
    jsonschema.validate(bad, {"$schema": s["$schema"], "definitions": s["definitions"],
                              "$ref": "#/definitions/clarification_result"})
    sys.exit(1)
except jsonschema.ValidationError:
    pass
EOF
# the prompt: the tables, the grain, the compiler's SQL; the error fed back
python3 - "$LOG" <<'EOF' && ok "the prompts carry the tables, the grain, the base SQL and the previous error" || bad "prompts"
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["scenario"] == "sql_third"]
users = [json.loads(c["body"]["messages"][-1]["content"]) for c in calls]
assert len(users) == 3
u = users[0]
assert u["grain_columns"] == ["channel"] and u["base_metric"]["column"] == "ad_revenue", u
assert "bronze.marketing_events" in [t["relation"] for t in u["tables"]], u["tables"]
assert "sum(marketing_events.revenue)" in u["base_metric_sql_at_the_grain"]
assert "previous_error" not in u
assert "SELEC" in users[1]["previous_error"] and users[1]["previous_sql"].startswith("SELEC ")
assert "revenu" in users[2]["previous_error"]
EOF

# 2. outside the catalog, read_csv, glob: each refused, then the request refused
run sql_unsafe "$REQ"
want 3 "$rc" "sql_unsafe: asked back"
check "'secret.payroll' in w[0] and 'not a table of the catalog' in w[0]" "a table outside the catalog refused" "w"
check "'table function' in w[1] and 'table function' in w[2]" "read_csv and glob refused" "w"
check "'proposed_sql' not in d and '(3 answer(s) checked)' in w[3]" "nothing offered; the last error is a warning" "w"
grep -q "root:" "$WORK/out" "$WORK/err" && bad "a file was read" || ok "no file was read"

# 3. a base column that does not reconcile with the compiler's
run sql_mismatch "$REQ"
want 3 "$rc" "sql_mismatch: asked back"
check "'reconciliation' in w[0] and 'differs from the compiler' in w[0] and 'on 6 of 6 rows' in w[0]" \
  "a base column 1% off is refused with the row it differs on" "w"
check "'proposed_sql' not in d" "nothing offered" "d"
# what the model is told of it: the counts, not the data's values
python3 - "$LOG" <<'EOF' && ok "the reconciliation error goes back to the model with its values masked" || bad "values sent"
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["scenario"] == "sql_mismatch"]
users = [json.loads(c["body"]["messages"][-1]["content"]) for c in calls]
assert len(users) == 3
e = users[1]["previous_error"]
assert "differs from the compiler's on 6 of 6 rows" in e and e.endswith('(6 from the compiler)'), e
EOF

# 4. one row per grain value: the unaggregated rows refused
run sql_dup "$REQ"
want 3 "$rc" "sql_dup: asked back"
check "'one row per grain value' in w[0]" "rows repeating a grain value refused" "w"

# 4b. an error the data raises in the test run: the user sees it, the model gets it with the value masked
run sql_convert "$REQ" DPGEN_LLM_MAX_CALLS=2
want 3 "$rc" "sql_convert: asked back"
check "'its test run failed' in w[0] and 'Conversion Error' in w[0]" "the test run's engine error refuses it" "w"
python3 - "$LOG" "$WORK/out" <<'EOF' && ok "the model is told the engine error without the data's value" || bad "value sent"
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["scenario"] == "sql_convert"]
e = json.loads(calls[1]["body"]["messages"][-1]["content"])["previous_error"]
assert "Conversion Error" in e and "'?'" in e, e
values = json.load(open(sys.argv[2]))["clarification"]["candidates"]  # any channel value must not appear
for v in ("video", "display", "email", "social", "search"):
    assert v not in e, (v, e)
EOF

# 5. the budget: two calls, then no more attempts
run sql_bad "$REQ" DPGEN_LLM_MAX_CALLS=2
want 3 "$rc" "sql_bad with a budget of 2 calls: asked back"
check "t['llm']['total_calls'] == 2 and any('budget' in x for x in w)" "two calls made, then the budget said spent" "w"

# 6. the run's time budget (--timeout 1) spent by the test run: no further attempt
env DPGEN_LLM_MODEL=sql_slow "$DPGEN" generate --llm "$URL" --timeout 1 --as-of 2025-07-16 --no-record --trace \
  --format json "$REQ" >"$WORK/out" 2>"$WORK/err"
rc=$?
python3 -c "
import sys
t = open(sys.argv[1]).read()
open(sys.argv[2], 'w').write(t[t.index('{'):t.rindex('}') + 1])" "$WORK/err" "$WORK/trace"
want 3 "$rc" "sql_slow: asked back"
check "'time limit of 1 s' in w[0] and t['llm']['total_calls'] == 1 and 'proposed_sql' not in d" \
  "a query past the run's time limit is stopped, refused, and not asked again" "w"

# 7. a median on another grain (an entity): proposed
run sql_median "median spend by campaign"
want 3 "$rc" "sql_median: asked back with the SQL"
check "d['proposed_sql']['attempts'] == 1 and 'median_spend' in d['proposed_sql']['sample'][0]" \
  "the median's SQL reconciled at the campaign grain and offered" "d.get('proposed_sql')"

# a cumulative metric by month: the time grain reconciled (DATE from the compiler, the model's date_trunc)
run sql_cumulative "cumulative ad revenue by month"
want 3 "$rc" "sql_cumulative: asked back with the SQL"
check "d['proposed_sql']['sample'][1]['cumulative_ad_revenue'] == '13500105.30' and d['proposed_sql']['sample_rows_read'] == 6" \
  "the cumulative SQL reconciled by month and offered" "d.get('proposed_sql')"

# dpgen intent says what was read: no SQL asked
DPGEN_LLM_MODEL=sql_intent_only "$DPGEN" intent --llm "$URL" --as-of 2025-07-16 --no-record "$REQ" >/dev/null 2>&1
want 3 $? "dpgen intent of it: asked back"
grep -q '"sql_intent_only"' "$LOG" && bad "dpgen intent asked the model" || ok "dpgen intent asks the model no SQL"

# 8. a request the catalog can answer asks nothing
run sql_third "ad revenue by channel"
want 0 "$rc" "a request the compiler answers: no SQL asked"
[ "$(grep -c '"sql_third"' "$LOG")" = 3 ] && ok "no call for it" || bad "calls: $(grep -c '"sql_third"' "$LOG")"
finish
