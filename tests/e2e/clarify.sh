#!/usr/bin/env bash
# Clarification as a result (exit 3 + --format json), answering it with
# --choose, learning, forgetting, and learned phrases kept per catalog.
. "$(dirname "$0")/lib.inc"
# a demo database of its own: no race with tests that build the shared one
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build the demo database"
M=(--models "$DP_SOURCE_DIR/catalog/demo/semantic_models.yml" --glossary "$DP_SOURCE_DIR/catalog/demo/glossary.yml")
G=(--db "$WORK/demo.duckdb" "${M[@]}" --as-of 2025-07-16)
REQ="weekly zorblax by campaign"
SCHEMA="$DP_SOURCE_DIR/schemas/dpgen-spec-1.0.json"

expect_rc 3 "refused request" -- "$DPGEN" generate "${G[@]}" --format json "$REQ"
[ "$(wc -l < "$WORK/err")" = 1 ] && grep -q "no metric 'zorblax'" "$WORK/err" \
  && ok "stderr keeps the one-line message" || bad "stderr: $(cat "$WORK/err")"
python3 - "$WORK/out" "$SCHEMA" <<'PY' && ok "clarification JSON on stdout" || bad "clarification JSON: $(head -c 400 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["clarification"]
assert set(c) == {"question", "reading", "unplaced", "candidates"}, c.keys()
assert "zorblax" in c["question"] and "\n" not in c["question"]
assert c["unplaced"] == [{"phrase": "zorblax", "role": "metric"}], c["unplaced"]
assert c["reading"]["time_grain"] == "week" and c["reading"]["metrics"] == []
assert any(x["name"] == "clicks" for x in c["candidates"]["zorblax"])
try:
    import jsonschema
except ImportError:
    sys.exit(0)
s = json.load(open(sys.argv[2]))
s = {"$schema": s["$schema"], "definitions": s["definitions"], "$ref": "#/definitions/clarification_result"}
jsonschema.validate(d, s)
PY
expect_rc 3 "refused request, human output" -- "$DPGEN" generate "${G[@]}" "$REQ"
[ ! -s "$WORK/out" ] && ok "without --format json nothing on stdout" || bad "stdout: $(head -3 "$WORK/out")"
expect_rc 3 "intent of a refused request" -- "$DPGEN" intent "${G[@]}" --format json "$REQ"
grep -q '"not_found"' "$WORK/out" && ok "intent prints the intent" || bad "intent output: $(head -c 300 "$WORK/out")"

expect_rc 2 "a --choose name the catalog lacks" -- "$DPGEN" generate "${G[@]}" --choose "zorblax=clickz" "$REQ"
grep -q "close names: clicks" "$WORK/err" && ok "names the close names" || bad "bad choice message: $(cat "$WORK/err")"
expect_rc 2 "a malformed --choose" -- "$DPGEN" generate "${G[@]}" --choose "zorblax" "$REQ"

expect_rc 0 "--choose --no-record answers" -- "$DPGEN" generate "${G[@]}" --no-record --choose "zorblax=clicks" --format json "$REQ"
expect_rc 3 "... and learns nothing" -- "$DPGEN" generate "${G[@]}" "$REQ"
expect_rc 0 "--choose answers the refused request" -- "$DPGEN" generate "${G[@]}" --choose "zorblax=clicks" --format json "$REQ"
python3 -c "
import json, sys
d = json.load(open('$WORK/out'))
assert d['intent']['metrics'] == ['clicks'], d['intent']
" && ok "the phrase is read as the chosen metric" || bad "spec after --choose: $(head -c 300 "$WORK/out")"
expect_rc 0 "the learned phrase answers the next request" -- "$DPGEN" generate "${G[@]}" --format json "daily zorblax by channel"
expect_rc 0 "catalog list" -- "$DPGEN" catalog list "${G[@]}"
python3 -c "
import json
l = json.load(open('$WORK/out'))['learned']
assert [(x['phrase'], x['kind'], x['target']) for x in l] == [('zorblax', 'metric', 'clicks')], l
" && ok "catalog list shows the learned phrase" || bad "catalog list: $(tail -c 300 "$WORK/out")"

# the same catalog files over another database are another catalog
cp "$WORK/demo.duckdb" "$WORK/other.duckdb" || bad "copy the demo database"
OTHER=(--db "$WORK/other.duckdb" "${M[@]}" --as-of 2025-07-16)
expect_rc 3 "another catalog in the same state has not learned it" -- "$DPGEN" generate "${OTHER[@]}" "$REQ"
expect_rc 0 "catalog learn" -- "$DPGEN" catalog learn "${OTHER[@]}" "zorblax" "impressions"
expect_rc 0 "other catalog: learned there" -- "$DPGEN" intent "${OTHER[@]}" "$REQ"
grep -q '"impressions"' "$WORK/out" && ok "each catalog its own meaning" || bad "other catalog intent: $(head -c 300 "$WORK/out")"
expect_rc 0 "demo still reads its own" -- "$DPGEN" intent "${G[@]}" "$REQ"
grep -q '"clicks"' "$WORK/out" && ok "demo keeps clicks" || bad "demo intent: $(head -c 300 "$WORK/out")"
expect_rc 2 "catalog learn of a name the catalog lacks" -- "$DPGEN" catalog learn "${G[@]}" "blip" "marketing_campaigns.planet"
expect_rc 2 "catalog learn without a name" -- "$DPGEN" catalog learn "${G[@]}" "blip"

expect_rc 0 "catalog forget" -- "$DPGEN" catalog forget "${G[@]}" zorblax
expect_rc 3 "forgotten: refused again" -- "$DPGEN" generate "${G[@]}" "$REQ"
expect_rc 2 "forgetting it twice" -- "$DPGEN" catalog forget "${G[@]}" zorblax
finish
