#!/usr/bin/env bash
# Model-drafted rules and description (issue 16 item 4, docs/llm.md)
# against the scripted server (llm_server.py, tests/data/llm/fixtures.json,
# the scenario picked by DPGEN_LLM_MODEL): asked only with --llm-draft (or
# DPGEN_LLM_DRAFT=1, or the API's options.llm_draft); a good condition
# kept, run on the test result (its failing rows counted again here from
# the data) and exported (dbt, GX, SQL assertions); a condition naming a
# column the product lacks, calling read_csv, not true/false, failing at
# run time, qualified or with a subquery dropped with the reason; an
# answer that is not JSON; the description drafted beside the
# deterministic one, cut at 600 bytes.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/llm_server.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" >/dev/null 2>&1 || bad "build the demo database"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
REQ="weekly clicks and impressions by campaign"
# run SCENARIO [options...]: generate; exit code in $rc, spec in out, stderr in err
run() {
  local sc=$1
  shift
  env DPGEN_LLM_MODEL="$sc" "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 --format json "$@" "$REQ" \
    >"$WORK/out" 2>"$WORK/err"
  rc=$?
}
want() { if [ "$2" = "$1" ]; then ok "$3 (exit $2)"; else bad "$3: exit $2, want $1: $(tail -2 "$WORK/err" 2>/dev/null)"; fi; }
js() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$WORK/out" "$1" 2>&1; }
calls() { wc -l <"$LOG" | tr -d ' '; }
# failing SQL_COND: the rows of the product (its SQL run again on the data) where NOT (COND)
failing() {
  local sql
  sql=$(js "d['transformation']['sql']")
  cat >"$WORK/count.sql" <<EOF
ATTACH '$WORK/demo.duckdb' AS src (READ_ONLY);
USE src;
COPY (SELECT count(*) AS n FROM ($sql) AS p WHERE NOT ($1)) TO '$WORK/count.csv' (HEADER);
EOF
  rm -f "$WORK/scratch.duckdb"
  "$DPGEN" demo --sql "$WORK/count.sql" --out "$WORK/scratch.duckdb" >/dev/null 2>&1 && tail -1 "$WORK/count.csv"
}

# 0. without the option the model is never asked for rules (the request needs no reading either)
run rules_good
want 0 "$rc" "with --llm but no --llm-draft: answered"
[ "$(calls)" = 0 ] && ok "no call at all without --llm-draft" || bad "$(calls) call(s) without --llm-draft"
[ "$(js "[r['id'] for r in d['quality']['rules'] if r.get('proposed_by')]")" = "[]" ] &&
  ok "no rule proposed without the option" || bad "rules: $(js "[r['id'] for r in d['quality']['rules']]")"
[ "$(js "'description_draft' in d['business_context'] or 'llm' in d['execution']")" = False ] &&
  ok "no draft and no llm record without the option" || bad "draft or record without the option"
DESC=$(js "d['metadata']['description']")
NRULES=$(js "len(d['quality']['rules'])")
"$DPGEN" generate --llm-draft --as-of 2025-07-16 "$REQ" >/dev/null 2>"$WORK/err"
want 2 $? "--llm-draft without a model is a usage error"
grep -q "needs a model" "$WORK/err" && ok "it says a model is needed" || bad "$(cat "$WORK/err")"

# 1. a good answer: two conditions kept and run; a column the product lacks and read_csv dropped
run rules_good --llm-draft --out "$WORK/export"
want 0 "$rc" "rules_good: answered"
[ "$(calls)" = 1 ] && ok "one call to the model" || bad "$(calls) calls"
[ "$(js "[(r['definition'], r['type'], r['source'], r['proposed_by']) for r in d['quality']['rules'] if r.get('proposed_by')]")" = \
  "[('clicks <= impressions', 'llm_condition', 'business_logic', 'llm'), ('clicks >= 50', 'llm_condition', 'business_logic', 'llm')]" ] &&
  ok "the two checked conditions are rules marked proposed_by llm" ||
  bad "rules: $(js "[(r['definition'], r.get('proposed_by')) for r in d['quality']['rules']]")"
[ "$(js "len(d['quality']['rules'])")" = $((NRULES + 2)) ] && ok "dpgen's own rules are all still there, before them" ||
  bad "$(js "len(d['quality']['rules'])") rules, want $((NRULES + 2))"
[ "$(js "[r['id'] for r in d['quality']['rules'][:$NRULES] if r.get('proposed_by')]")" = "[]" ] &&
  ok "the model's rules come after dpgen's (whose ids do not move)" || bad "order"
for cond in "clicks <= impressions" "clicks >= 50"; do
  n=$(failing "$cond")
  got=$(js "[(r['result']['status'], r['result']['failing_rows'], len(r['result']['examples'])) for r in d['quality']['rules'] if r['definition'] == '$cond'][0]")
  st=passed
  [ "${n:-x}" != 0 ] && st=failed
  ex=$((n < 5 ? n : 5))
  [ "$got" = "('$st', $n, $ex)" ] && ok "'$cond': $st with $n failing row(s), as the data says" ||
    bad "'$cond': $got, the data says $n failing row(s)"
done
[ "$(failing "clicks >= 50")" -gt 0 ] 2>/dev/null && ok "the failing path is exercised (some weeks have under 50 clicks)" ||
  bad "no week under 50 clicks: the test does not reach a failing rule"
grep -q "'conversions >= 0' names 'conversions', which is not a column of the product" "$WORK/err" &&
  ok "a condition naming a column the product lacks is dropped, with the reason" || bad "$(cat "$WORK/err")"
grep -q "read_csv(), which is not one of the functions" "$WORK/err" &&
  ok "a condition calling read_csv is dropped, with the reason" || bad "$(cat "$WORK/err")"
grep -q "'again' was dropped: the condition 'clicks <= impressions' repeats a rule already there" "$WORK/err" &&
  ok "a condition proposed twice is kept once" || bad "$(cat "$WORK/err")"
[ "$(js "any('was dropped' in w for s in d['execution']['stages'] if s['stage'] == 'quality' for w in s['warnings'])")" = True ] &&
  ok "the drops are the quality stage's warnings in the spec" || bad "no warnings in the spec"
[ "$(js "[(c['purpose'], c['outcome'], c['prompt_tokens']) for c in d['execution']['llm']['calls']]")" = "[('rules', 'accepted in part', 900)]" ] &&
  ok "the call is recorded: purpose rules, accepted in part, its tokens" || bad "calls: $(js "d['execution']['llm']")"
[ "$(js "d['execution']['llm']['total_tokens']")" = 1040 ] && ok "the tokens are counted (900 + 140)" || bad "tokens"
[ "$(js "d['metadata']['description'] == '''$DESC'''")" = True ] && ok "the deterministic description is kept" ||
  bad "description: $(js "d['metadata']['description']")"
[ "$(js "(d['business_context']['description_draft']['proposed_by'], len(d['business_context']['description_draft']['text'].encode()) <= 600, d['business_context']['description_draft']['text'][:20])")" = \
  "('llm', True, 'Weekly clicks and im')" ] && ok "the draft is kept beside it, marked llm, cut at 600 bytes" ||
  bad "draft: $(js "d['business_context'].get('description_draft')")"
grep -q "cut at 600 bytes" "$WORK/err" && ok "the cut is said" || bad "no warning on the cut"
tail -1 "$LOG" | python3 -c "
import json,sys; x=json.loads(sys.stdin.read()); b=x['body']
sch = b['response_format']['json_schema']['schema']
assert sch['properties']['rules']['maxItems'] == 5, sch
assert sch['properties']['rules']['items']['properties']['severity']['enum'] == ['warn', 'error']
u = json.loads(b['messages'][1]['content'])
assert [c['name'] for c in u['columns']][-2:] == ['clicks', 'impressions'], u['columns']
assert {'name', 'type', 'role', 'description'} <= set(u['columns'][0]), u['columns'][0]
assert any(r['type'] == 'non_negative' for r in u['rules']), u['rules']
assert 'sample_rows' not in b['messages'][1]['content']
" && ok "the model got the columns (name, type, role, description), the rules and a schema of at most 5 rules" ||
  bad "request to the model: $(tail -1 "$LOG" | cut -c1-300)"
# the exports list the kept rules
X="$WORK/export"
grep -q "NOT (NOT (clicks <= impressions))" "$X/dbt/models/schema.yml" && ok "dbt: an expression_is_true test" ||
  bad "dbt: $(grep -n llm_condition "$X/dbt/models/schema.yml")"
grep -q "WHERE NOT (clicks >= 50)" "$X/sql/assertions.sql" && ok "SQL assertions: the rule's query" || bad "assertions"
[ "$(grep -A1 "property: dpgenProposedBy" "$X"/*.odcs.yaml | grep -c "value: llm")" = 2 ] &&
  ok "ODCS: both kept rules, marked dpgenProposedBy llm" || bad "ODCS: $(grep -c dpgenProposedBy "$X"/*.odcs.yaml)"
python3 - "$X"/gx/*_suite.json "$WORK/out" <<'PY' && ok "GX: an unexpected-rows expectation per kept rule" || bad "GX suite"
import json, sys
suite, spec = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ids = [r['id'] for r in spec['quality']['rules'] if r.get('proposed_by')]
got = {e['meta']['rule_id']: e for e in suite['expectations'] if e['meta'].get('rule_id') in ids}
assert sorted(got) == sorted(ids), (got, ids)
assert 'NOT (clicks <= impressions)' in got[ids[0]]['kwargs']['unexpected_rows_query']
PY

# 2. conditions that fail their checks: all dropped, each with its reason; the run goes on
: >"$LOG"
DPGEN_LLM_DRAFT=1 run rules_bad
want 0 "$rc" "rules_bad (DPGEN_LLM_DRAFT=1): answered"
[ "$(calls)" = 1 ] && ok "DPGEN_LLM_DRAFT=1 asks the model" || bad "$(calls) calls"
[ "$(js "[r['id'] for r in d['quality']['rules'] if r.get('proposed_by')]")" = "[]" ] && ok "no rule kept" || bad "kept some"
for why in "is not a true/false condition (it gives BIGINT)" "does not run on the product (Conversion Error" \
  "names a qualified column" "holds a subquery" "'rowid >= 0' names 'rowid', which is not a column of the product"; do
  grep -qF "$why" "$WORK/err" && ok "dropped: $why" || bad "not said: $why: $(cat "$WORK/err")"
done
grep -q "dp_result_" "$WORK/err" && bad "a message names the run's temporary table" || ok "messages name the product's table"
[ "$(js "d['execution']['llm']['calls'][0]['outcome']")" = rejected ] && ok "the call is recorded rejected" ||
  bad "outcome: $(js "d['execution']['llm']['calls']")"
[ "$(js "'description_draft' in d['business_context']")" = False ] && ok "an empty description is no draft" || bad "draft"
[ "$(js "len(d['quality']['rules'])")" = "$NRULES" ] && ok "dpgen's rules unchanged" || bad "rules count"

# 3. an answer that is not JSON: the run goes on without drafts, the reason said
run rules_malformed --llm-draft
want 0 "$rc" "rules_malformed: answered"
grep -q "drafted no rules or description (the language model's answer is not JSON)" "$WORK/err" &&
  ok "stderr says the answer was not JSON" || bad "$(cat "$WORK/err")"
[ "$(js "len(d['quality']['rules'])")" = "$NRULES" ] && ok "no rule added" || bad "rules count"

# 3b. the model's time is not taken from the test run's and checks' budget (--timeout 1, a model of 1.5 s)
run rules_slow --llm-draft --timeout 1
want 0 "$rc" "a model slower than --timeout: the run still answers"
[ "$(js "[r['definition'] for r in d['quality']['rules'] if r.get('proposed_by')]")" = "['clicks <= impressions']" ] &&
  ok "its rule is kept and run within the budget" || bad "rules: $(js "[r['definition'] for r in d['quality']['rules'] if r.get('proposed_by')]")"

# 3c. a condition over lines with a || : one line (inside quotes kept), and the README's table holds it
run rules_text --llm-draft
want 0 "$rc" "rules_text: answered"
[ "$(js "[r['definition'] for r in d['quality']['rules'] if r.get('proposed_by')] == [\"campaign_id || '-x'   <> '-x\\ny'\"]")" = True ] &&
  ok "the condition is on one line, its quoted text unchanged" ||
  bad "definition: $(js "[r['definition'] for r in d['quality']['rules'] if r.get('proposed_by')]")"
env DPGEN_LLM_MODEL=rules_text "$DPGEN" generate --llm "$URL" --llm-draft --as-of 2025-07-16 --format markdown "$REQ" \
  >"$WORK/readme.md" 2>/dev/null
grep -qF "| keyed: each row \\| has a key (proposed by the language model, checked on the test result) (\`campaign_id \\|\\| '-x'   <> '-x y'\`) | warn | business_logic | passed |" "$WORK/readme.md" &&
  ok "README: the rule's row escapes its pipes and stays one row" || bad "README: $(grep -n "has a key" "$WORK/readme.md")"

# 4. the server: options.llm_draft asks, a repeat without it is not the answer; 400 without a model
DPGEN_LLM_MODEL=rules_good "$DPGEN" serve --listen 127.0.0.1:0 --llm "$URL" >"$WORK/serve.out" 2>"$WORK/serve.err" &
api=$!
for _ in $(seq 200); do grep -q ":[0-9]" "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
python3 - "$(grep -o ':[0-9]*' "$WORK/serve.out" | tail -1 | tr -d :)" "$REQ" <<'PY' && ok "serve: options.llm_draft gives the checked rules (not the stored run without them); a non-boolean is 400" || bad "serve llm_draft"
import json, sys, time, urllib.request, urllib.error
port, req = sys.argv[1], sys.argv[2]
for _ in range(200):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/readyz" % port)
        break
    except Exception:
        time.sleep(0.1)
def post(opts):
    body = json.dumps({"request": req, "options": dict(as_of="2025-07-16", **opts)}).encode()
    try:
        r = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/v1/data-products" % port, data=body,
                                                          headers={"Content-Type": "application/json"}))
        return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
st, d = post({})
assert st == 200 and 'llm' not in d['data_product_spec']['execution'], st
st, d = post({"llm_draft": True})
rules = [r['definition'] for r in d['data_product_spec']['quality']['rules'] if r.get('proposed_by') == 'llm']
assert st == 200 and rules == ['clicks <= impressions', 'clicks >= 50'], (st, rules)
assert d['llm_tokens'] == 1040, d.get('llm_tokens')
st, d = post({"llm_draft": "yes"})
assert st == 400 and 'llm_draft' in d['error']['message'], (st, d)
PY
kill $api 2>/dev/null
wait $api 2>/dev/null
"$DPGEN" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
api=$!
for _ in $(seq 200); do grep -q ":[0-9]" "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
python3 - "$(grep -o ':[0-9]*' "$WORK/serve.out" | tail -1 | tr -d :)" "$REQ" <<'PY' && ok "serve without a model: options.llm_draft is 400" || bad "serve without a model"
import json, sys, time, urllib.request, urllib.error
port, req = sys.argv[1], sys.argv[2]
body = json.dumps({"request": req, "options": {"as_of": "2025-07-16", "llm_draft": True}}).encode()
try:
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/v1/data-products" % port, data=body,
                                                  headers={"Content-Type": "application/json"}))
    sys.exit(1)
except urllib.error.HTTPError as e:
    d = json.load(e)
    assert e.code == 400 and 'needs a language model' in d['error']['message'], (e.code, d)
PY
kill $api 2>/dev/null
wait $api 2>/dev/null
api=

# 4b. over MCP: generate_data_product's llm_draft asks the model; refused without one
mcp_call() { # mcp_call ARGS_JSON [mcp options...]: the tools/call answer's result in $WORK/mcp.json
  local args=$1
  shift
  printf '%s\n' \
    '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' \
    '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"generate_data_product\",\"arguments\":$args}}" |
    "$DPGEN" mcp "$@" 2>/dev/null | python3 -c "
import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get('id') == 2:
        json.dump(m.get('result', m), open(sys.argv[1], 'w'))" "$WORK/mcp.json"
}
mj() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$WORK/mcp.json" "$1" 2>&1; }
before=$(calls)
DPGEN_LLM_MODEL=rules_good mcp_call "{\"request\":\"$REQ\",\"as_of\":\"2025-07-16\",\"llm_draft\":true}" --llm "$URL"
[ "$(mj "r['isError'] == False and [x['definition'] for x in r['structuredContent']['data_product_spec']['quality']['rules'] if x.get('proposed_by')]")" = \
  "['clicks <= impressions', 'clicks >= 50']" ] && ok "MCP llm_draft: the model's two rules kept, marked proposed_by" || bad "MCP: $(mj r)"
[ "$(calls)" = $((before + 1)) ] && ok "MCP llm_draft: one call to the model" || bad "MCP calls: $(calls), before $before"
mcp_call "{\"request\":\"$REQ\",\"as_of\":\"2025-07-16\",\"llm_draft\":true}"
[ "$(mj "r['isError'] and 'needs a language model' in r['content'][0]['text']")" = True ] &&
  ok "MCP llm_draft without --llm: the tool says a model is needed" || bad "MCP without a model: $(mj r)"
mcp_call "{\"request\":\"$REQ\",\"as_of\":\"2025-07-16\",\"llm_draft\":\"yes\"}" --llm "$URL"
[ "$(mj "r['isError'] and 'true or false' in r['content'][0]['text']")" = True ] &&
  ok "MCP llm_draft of another type refused" || bad "MCP llm_draft type: $(mj r)"

# 5. the model down: the product is answered, the drafts said unavailable
kill $srv 2>/dev/null
wait $srv 2>/dev/null
DPGEN_LLM_RETRIES=0 run rules_good --llm-draft
want 0 "$rc" "the model down: answered"
grep -q "drafted no rules or description (the language model at .* is unavailable" "$WORK/err" &&
  ok "stderr says the model was unavailable" || bad "$(cat "$WORK/err")"
[ "$(js "len(d['quality']['rules'])")" = "$NRULES" ] && ok "dpgen's own rules, none of the model's" || bad "rules count"
finish
