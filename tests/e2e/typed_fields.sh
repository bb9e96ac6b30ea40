#!/usr/bin/env bash
# Wrongly typed settings are errors, not silence (issue 13, item 4). A
# metric filter given as a mapping or a nested list was read as no filter
# (the unfiltered metric), `window: {x: 1}` as over all time. Now a field
# of the wrong YAML kind fails the load, as a malformed element always has,
# naming file:line:col, the element, the field, the kind found and the kind
# expected; the JSON twin (semantic_manifest.json) refuses the same wrong
# kinds by JSON path. tests/data/typed_fields: a good catalog (models/) and
# wrong.yml with five wrong fields.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/typed_fields"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/t.duckdb" 2>/dev/null || bad "build typed_fields db"
G=(--db "$WORK/t.duckdb" --models "$D/models")

# --- the good catalog loads and answers, filters applied
expect_rc 0 "catalog check on the good catalog" -- "$DPGEN" catalog check "${G[@]}"
answer() { # answer REQUEST: the first sample value of the first column
  "$DPGEN" generate "${G[@]}" --no-record --format json -- "$1" 2>"$WORK/err" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["transformation"]["test_run"]["sample_rows"][0]; print(list(r.values())[-1])'
}
[ "$(answer "total events")" = 6 ] && ok "events: 6" || bad "events: $(answer "total events") $(cat "$WORK/err")"
[ "$(answer "total clicks")" = 3 ] && ok "clicks (filter as text): 3 of 6" || bad "clicks: $(answer "total clicks")"
[ "$(answer "total click amount")" = 100 ] && ok "click amount (filter as a list of text): 100 of 210" \
  || bad "click amount: $(answer "total click amount")"

# --- the five wrong fields: each named with its file:line:col, the load fails
B="$WORK/bad"
mkdir -p "$B" && cp "$D"/models/*.yml "$D/wrong.yml" "$B/"
expect_rc 1 "catalog check with wrong.yml" -- "$DPGEN" catalog check --db "$WORK/t.duckdb" --models "$B"
for want in \
  "wrong.yml:7:7: semantic model 'more_events': 'entities' is a mapping; expected a list" \
  "wrong.yml:18:7: metric 'clicks_mapped': 'filter' is a mapping; expected text or a list of text" \
  "wrong.yml:24:9: metric 'clicks_nested': 'filter' is a list holding a list; expected text or a list of text" \
  "wrong.yml:31:15: metric 'amount_any_window': 'type_params.window' is a mapping; expected text" \
  "wrong.yml:36:9: metric 'events_listed': 'type_params.measure' is a list; expected text or a mapping"; do
  grep -qF "$want" "$WORK/err" && ok "names ${want:0:70}" || bad "lacks '$want': $(cat "$WORK/err")"
done
# a request fails the same way: no answer computed without the filter
expect_rc 1 "a request on the catalog with wrong.yml" -- "$DPGEN" generate --db "$WORK/t.duckdb" --models "$B" --no-record "total clicks"
grep -qF "'filter' is a mapping" "$WORK/err" && [ ! -s "$WORK/out" ] && ok "request refused, nothing printed" \
  || bad "request: $(head -c 300 "$WORK/out") $(cat "$WORK/err")"

# one wrong field at a time, each alone: the message names only it
one() { # one NAME YAML-FRAGMENT WANT
  mkdir -p "$WORK/$1" && cp "$D"/models/*.yml "$WORK/$1/" && printf '%s\n' "$2" >"$WORK/$1/x.yml"
  expect_rc 1 "$1 alone" -- "$DPGEN" catalog check --db "$WORK/t.duckdb" --models "$WORK/$1"
  grep -qF "$3" "$WORK/err" && ! grep -q "; .*x.yml:" "$WORK/err" && ok "$1: $3" || bad "$1: $(cat "$WORK/err")"
}
one label 'metrics:
  - name: m1
    type: simple
    label: [a, b]
    type_params: {measure: event_count}' "x.yml:4:12: metric 'm1': 'label' is a list; expected text"
one tp_scalar 'metrics:
  - name: m2
    type: simple
    type_params: event_count' "x.yml:4:18: metric 'm2': 'type_params' is text; expected a mapping"
one input_filter 'metrics:
  - name: m3
    type: ratio
    type_params:
      numerator: {name: events, filter: {a: b}}
      denominator: events' "x.yml:5:41: metric 'm3': 'type_params.numerator.filter' is a mapping; expected text or a list of text"
one derived_input 'metrics:
  - name: m4
    type: derived
    type_params:
      expr: a
      metrics: [[events]]' "x.yml:6:17: metric 'm4': 'type_params.metrics[0]' is a list; expected text or a mapping"
one dim_grain 'semantic_models:
  - name: m5
    model: ref('"'"'events'"'"')
    dimensions:
      - name: d
        type: time
        type_params: {time_granularity: [day]}' "x.yml:7:41: semantic model 'm5': 'dimensions[0].type_params.time_granularity' is a list; expected text"
one agg_time 'semantic_models:
  - name: m6
    model: ref('"'"'events'"'"')
    defaults: {agg_time_dimension: {name: event_date}}' "x.yml:4:36: semantic model 'm6': 'defaults.agg_time_dimension' is a mapping; expected text"
one saved_where 'saved_queries:
  - name: q1
    query_params:
      metrics: [events]
      where: {a: b}' "x.yml:5:14: saved query 'q1': 'query_params.where' is a mapping; expected text or a list of text"
one latest_window 'metrics:
  - name: m7
    type: cumulative
    input_metric: events
    window: {x: 1}' "x.yml:5:13: metric 'm7': 'window' is a mapping; expected text"

# --- the demo: product_clicks with its filter as a mapping or a nested list no longer loads as all interactions
DM="$DP_SOURCE_DIR/catalog/demo/semantic_models.yml"
line=$(grep -n "filter: \"{{ Dimension('interaction__interaction_type') }} = 'click'\"" "$DM" | cut -d: -f1)
for form in "filter: {where: \"x\"}" "filter: [[\"x\"]]"; do
  mkdir -p "$WORK/demo" && sed "${line}s/filter: .*/${form}/" "$DM" >"$WORK/demo/semantic_models.yml"
  expect_rc 1 "demo with product_clicks' $form" -- "$DPGEN" catalog check --db "$WORK/t.duckdb" --models "$WORK/demo"
  grep -q "semantic_models.yml:${line}:[0-9]*: metric 'product_clicks': 'filter' is a" "$WORK/err" \
    && ok "demo: names product_clicks' filter at line $line" || bad "demo $form: $(cat "$WORK/err")"
done
expect_rc 0 "the demo catalog itself" -- "$DPGEN" catalog check

# --- the JSON twin refuses the same wrong kinds, by JSON path
S="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$S/data.sql" --out "$WORK/sm.duckdb" 2>/dev/null || bad "build smanifest db"
python3 - "$S/semantic_manifest.json" "$WORK" <<'PY'
import copy, json, sys
d = json.load(open(sys.argv[1]))
def write(name, f):
    x = copy.deepcopy(d); f(x); json.dump(x, open(f"{sys.argv[2]}/sm_{name}.json", "w"))
def met(x, n): return next(m for m in x["metrics"] if m["name"] == n)
write("filter_obj", lambda x: met(x, "orders").__setitem__("filter", {"where": "x"}))
write("filter_nested", lambda x: met(x, "orders").__setitem__("filter", [["x"]]))
write("window_obj", lambda x: met(x, "visits_7d")["type_params"]["cumulative_type_params"].__setitem__("window", {"x": 1}))
write("measure_list", lambda x: met(x, "orders")["type_params"].__setitem__("measure", ["order_total"]))
write("entities_obj", lambda x: x["semantic_models"][0].__setitem__("entities", {"name": "order"}))
PY
for c in "filter_obj|metrics\[1\]\.filter: is an object without where_sql_template or where_filters" \
         "filter_nested|metrics\[1\]\.filter\[0\]: is a list; expected text" \
         "window_obj|metrics\[10\]\.type_params\.cumulative_type_params\.window\.granularity: is missing" \
         "measure_list|metrics\[1\]\.type_params\.measure: must be an object with a name" \
         "entities_obj|semantic_models\[0\]\.entities: must be a list"; do
  n=${c%%|*} want=${c#*|}
  expect_rc 1 "manifest with $n" -- "$DPGEN" catalog check --db "$WORK/sm.duckdb" --manifest "$WORK/sm_$n.json"
  grep -Eq "sm_$n.json: $want" "$WORK/err" && ok "manifest $n: by JSON path" || bad "manifest $n: $(cat "$WORK/err")"
done
finish
