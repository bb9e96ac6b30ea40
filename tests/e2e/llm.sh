#!/usr/bin/env bash
# Language-model assistance (issue 16, docs/llm.md) against a scripted
# OpenAI-compatible server (llm_server.py replaying tests/data/llm/
# fixtures.json, the scenario picked by DPGEN_LLM_MODEL): a correct reading
# accepted, checked and marked as the model's (never learned); a name the
# catalog lacks, an answer that is not JSON and a "none" rejected, the
# request asked back as without a model; a server without structured
# output; 429 then success; a timeout; the budget spent; the server down;
# the key sent and never shown. The demo catalog; "zorblax" is no word of it.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/llm_server.inc"
REQ="weekly zorblax by campaign"
# run SCENARIO [extra env...]: generate with the model; exit code in $rc, spec in out, stderr in err
run() {
  local sc=$1
  shift
  env DPGEN_LLM_MODEL="$sc" DPGEN_LLM_API_KEY=sekret-key-123 "$@" "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 \
    --format json "$REQ" >"$WORK/out" 2>"$WORK/err"
  rc=$?
}
# want CODE GOT WHAT
want() { if [ "$2" = "$1" ]; then ok "$3 (exit $2)"; else bad "$3: exit $2, want $1: $(tail -2 "$WORK/err" 2>/dev/null)"; fi; }
js() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$WORK/out" "$1" 2>&1; }
learned() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM learned').fetchone()[0])" "$DPGEN_STATE_DIR/state.db"; }

# without a model: a clarification (the baseline)
"$DPGEN" generate --as-of 2025-07-16 "$REQ" >/dev/null 2>&1
want 3 $? "without a model, '$REQ' is asked back"

# 1. a correct reading: accepted, checked, said to be the model's, not learned
run accept
want 0 "$rc" "accept: answered with the model's reading"
[ "$(js "d['execution']['llm']['proposed']")" = "['zorblax=clicks']" ] && ok "the spec lists the reading the model proposed" ||
  bad "proposed: $(js "d['execution'].get('llm')")"
[ "$(js "[c['outcome'] for c in d['execution']['llm']['calls']]")" = "['accepted']" ] && ok "its call is recorded accepted" ||
  bad "calls: $(js "d['execution']['llm']['calls']")"
[ "$(js "d['execution']['llm']['total_tokens']")" = 328 ] && ok "the tokens are counted (310 + 18)" || bad "tokens"
[ "$(js "any('proposed by the language model' in x for s in d['execution']['stages'] for x in s['decisions'])")" = True ] &&
  ok "a decision says the model proposed it" || bad "no decision"
[ "$(js "d['intent']['metrics']")" = "['clicks']" ] && ok "the product computes clicks" ||
  bad "metrics: $(js "d['intent']['metrics']")"
[ "$(learned)" = 0 ] && ok "the model's reading is not learned" || bad "learned: $(learned)"
grep -q "sekret-key-123" "$WORK/out" "$WORK/err" && bad "the key appears in the output" || ok "the key is never shown"
tail -1 "$LOG" | python3 -c "
import json,sys; x=json.loads(sys.stdin.read()); b=x['body']
assert x['auth'] == 'Bearer sekret-key-123', x['auth']
rf = b['response_format']['json_schema']['schema']
names = rf['properties']['choices']['items']['properties']['name']['enum']
assert 'clicks' in names and 'none' in names, names
assert rf['properties']['choices']['items']['properties']['phrase']['enum'] == ['zorblax']
assert 'weekly zorblax by campaign' in b['messages'][1]['content']
" && ok "the server got the key, the request and a schema whose enums are the catalog's names" ||
  bad "request to the model: $(tail -1 "$LOG" | cut -c1-300)"
# the user confirms it: learned, and the plain request answers without the model
"$DPGEN" generate --as-of 2025-07-16 --choose "zorblax=clicks" "$REQ" >/dev/null 2>&1
[ "$(learned)" = 1 ] && ok "confirmed with --choose, it is learned" || bad "not learned after --choose"
"$DPGEN" catalog forget zorblax >/dev/null 2>&1

# 1b. a value: the candidate dimensions' frequent values are offered, one is chosen and checked
REQ2="weekly clicks for the teutonic market"
env DPGEN_LLM_MODEL=value "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 --format json "$REQ2" >"$WORK/out" 2>"$WORK/err"
want 0 $? "value: answered with the model's value"
[ "$(js "d['execution']['llm']['proposed']")" = "['teutonic=marketing_events.country=DE']" ] &&
  ok "the spec lists the value the model proposed" || bad "proposed: $(js "d['execution'].get('llm')")"
grep -q "'DE'" <<<"$(js "d['transformation']['sql']")" && ok "the SQL filters on the value" ||
  bad "sql: $(js "d['transformation']['sql']" | head -5)"
tail -1 "$LOG" | python3 -c "
import json,sys; b=json.loads(sys.stdin.read())['body']
names = b['response_format']['json_schema']['schema']['properties']['choices']['items']['properties']['name']['enum']
assert 'marketing_events.country=DE' in names and 'marketing_events.device=mobile' in names, names[:20]
" && ok "the values offered are the profile's, as model.dim=value" || bad "values offered: $(tail -1 "$LOG" | cut -c1-300)"
env DPGEN_LLM_MODEL=value_invented "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 "$REQ2" >"$WORK/out" 2>"$WORK/err"
want 3 $? "a value the data lacks: asked back"
grep -q "not of the schema\|not one of the names" "$WORK/err" && ok "stderr says the value was not one offered" ||
  bad "$(cat "$WORK/err")"

# 2. readings that fail the checks: the deterministic question, exit 3, the reason said
for sc in hallucinate malformed none; do
  run $sc
  want 3 "$rc" "$sc: asked back"
  grep -q "language model" "$WORK/err" && ok "$sc: stderr says what became of the model's answer" ||
    bad "$sc: $(cat "$WORK/err")"
done
[ "$(learned)" = 0 ] && ok "nothing learned from rejected readings" || bad "learned: $(learned)"

# 3. a server without structured output: asked again with the schema in the prompt, its fenced JSON read
run unstructured
want 0 "$rc" "unstructured: answered"
[ "$(js "[c['structured'] for c in d['execution']['llm']['calls']]")" = "[True, False]" ] &&
  ok "two calls, the second without response_format" || bad "calls: $(js "d['execution']['llm']['calls']")"

# 4. 429 then success: retried
run busy_then_ok
want 0 "$rc" "429 then success: answered"
[ "$(js "[c['outcome'][:15] for c in d['execution']['llm']['calls']]")" = "['error: HTTP 429', 'accepted']" ] &&
  ok "the 429 and the retry are both recorded" || bad "calls: $(js "d['execution']['llm']['calls']")"

# 5. the budget: one call allowed, the server busy: no retry past it
run always_busy DPGEN_LLM_MAX_CALLS=1
want 3 "$rc" "budget of one call: asked back"
grep -q "budget" "$WORK/err" && ok "stderr says the budget is spent" || bad "$(cat "$WORK/err")"

# 6. a server that does not answer in time: bounded
t0=$(date +%s%N)
run slow DPGEN_LLM_TIMEOUT=0.5 DPGEN_LLM_RETRIES=1
el=$((($(date +%s%N) - t0) / 1000000))
want 3 "$rc" "a slow server: asked back"
[ "$el" -lt 5000 ] && ok "within the timeout and one retry ($el ms)" || bad "took $el ms"
grep -qi "timeout\|timed out" "$WORK/err" && ok "stderr says it timed out" || bad "$(cat "$WORK/err")"

# 7. dpgen serve --llm: the answer carries the model's tokens (the seed's token usage), 422 without it
DPGEN_LLM_MODEL=accept "$DPGEN" serve --listen 127.0.0.1:0 --llm "$URL" >"$WORK/serve.out" 2>"$WORK/serve.err" &
api=$!
for _ in $(seq 200); do grep -q ":[0-9]" "$WORK/serve.out" 2>/dev/null && break; sleep 0.05; done
APORT=$(grep -o ':[0-9]*' "$WORK/serve.out" | tail -1 | tr -d :)
python3 - "$APORT" "$REQ" <<'PY' && ok "serve --llm: 200 with llm_tokens 328 and the proposed reading" || bad "serve --llm"
import json, sys, time, urllib.request, urllib.error
port, req = sys.argv[1], sys.argv[2]
for _ in range(200):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/readyz" % port)
        break
    except Exception:
        time.sleep(0.1)
body = json.dumps({"request": req, "options": {"as_of": "2025-07-16", "fresh": True}}).encode()
r = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/v1/data-products" % port, data=body,
                                                  headers={"Content-Type": "application/json"}))
d = json.load(r)
assert r.status == 200 and d["llm_tokens"] == 328 and d["llm"]["proposed"] == ["zorblax=clicks"], d.get("llm")
PY
kill $api 2>/dev/null
wait $api 2>/dev/null

# 8. the server down: answered what can be, the model said unavailable
kill $srv 2>/dev/null
wait $srv 2>/dev/null
run accept DPGEN_LLM_RETRIES=0
want 3 "$rc" "server down: asked back"
grep -q "unavailable" "$WORK/err" && ok "stderr says the model was unavailable" || bad "$(cat "$WORK/err")"
env DPGEN_LLM_MODEL=accept "$DPGEN" generate --llm "$URL" --as-of 2025-07-16 "weekly clicks by campaign" >/dev/null 2>&1
want 0 $? "server down: a request the catalog understands is answered (the model is never asked)"

# 9. configuration errors are usage errors
"$DPGEN" generate --llm "ftp://x" --as-of 2025-07-16 "$REQ" >/dev/null 2>&1
want 2 $? "--llm ftp:// is a usage error"
finish
