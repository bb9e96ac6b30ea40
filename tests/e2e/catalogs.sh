#!/usr/bin/env bash
# The same binary on catalogs it has never seen (HR, logistics, and one named
# with SQL keywords): answerable requests produce an executed spec whose
# quality rules all ran, the others a refusal (exit 3).
. "$(dirname "$0")/lib.inc"
for d in hr logistics keywords fitness mfspec_time; do
  D="$DP_SOURCE_DIR/tests/data/$d"
  gloss=()
  [ -f "$D/glossary.yml" ] && gloss=(--glossary "$D/glossary.yml")
  "$DPGEN" demo --sql "$D/data.sql" --out "$WORK/$d.duckdb" 2>/dev/null || { bad "build $d"; continue; }
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    req=${line#! }
    if [ "$req" != "$line" ]; then want=3; else want=0; fi
    expect_rc $want "$d: $req" -- "$DPGEN" generate --db "$WORK/$d.duckdb" --models "$D/semantic_models.yml" \
      "${gloss[@]}" --format json "$req"
    if [ $want = 0 ]; then
      python3 - "$WORK/out" <<'PY' && ok "$d: spec has executed SQL" || bad "$d: spec incomplete for $req"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["transformation"]
assert t["sql"].lstrip().startswith("--") and "SELECT" in t["sql"]
assert t["test_run"]["ran"] and t["test_run"]["rows"] > 0
assert t["test_run"]["schema_check"]["matches"], t["test_run"]["schema_check"]
assert all(r["result"]["status"] in ("passed", "failed") for r in d["quality"]["rules"])
PY
    fi
  done < "$D/requests.txt"
done
finish
