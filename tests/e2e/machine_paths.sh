#!/usr/bin/env bash
# No path of the machine that ran dpgen in anything --out writes: every
# catalog path (defined_in, execution.catalog, the decisions' and warnings'
# file:line) is relative to the catalog root (the dbt project root, the
# --models folder, dpgen's source tree for the built-in demo) or names the
# environment variable that gave it; the database is its file name. Checked
# on the seed request, test catalogs given by absolute and relative paths, a
# dbt project (its manifest inside and outside it), a semantic manifest and a
# catalog whose disabled parts put file:line into warnings.
. "$(dirname "$0")/lib.inc"
# KNOWN EXCEPTIONS (issue 12): files whose writers other branches are
# fixing (dbt/profiles.yml in dbt.c, the ODCS contract in odcs.c, the
# Airflow DAG in airflow.c). An absolute path in one of them is reported as
# a note, not a failure. Remove each entry once its branch is merged.
KNOWN_EXCEPTIONS=()

REAL_WORK=$(cd "$WORK" && pwd -P)
# scan DIR WHAT: every written file, for the machine's folders and for any
# absolute path
scan() {
  local dir=$1 what=$2
  [ -d "$dir" ] && [ -n "$(find "$dir" -type f | head -1)" ] || { bad "$what: nothing written in $dir"; return; }
  python3 - "$dir" "$what" "$DP_SOURCE_DIR" "${DP_BUILD_DIR:-}" "$WORK" "$REAL_WORK" "${HOME:-}" \
    "${KNOWN_EXCEPTIONS[@]}" <<'PY' && ok "$what: no machine path in $(find "$dir" -type f | wc -l) files" || bad "$what"
import fnmatch, os, re, sys
root, what, *rest = sys.argv[1:]
folders = [f for f in rest[:5] if f and f != "/"]
exceptions = rest[5:]
# an absolute path: "/" after nothing path-like, two segments at least
absolute = re.compile(r"(?<![\w.~$/:-])/(?:[\w.-]+/)+[\w.-]+")
found = []
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, root)
        text = open(p, encoding="utf-8", errors="replace").read()
        hits = [x for x in folders + ["/tmp/"] if x in text]
        if not rel.endswith(".parquet"):  # binary data: only this machine's folders count
            hits += [m.group(0) for m in absolute.finditer(text)]
        if not hits:
            continue
        where = [(n + 1, l.strip()[:160]) for n, l in enumerate(text.splitlines()) if any(h in l for h in hits)][:3]
        if any(fnmatch.fnmatch(rel, e) for e in exceptions):
            print(f"note: known exception {rel}: {where}")
        else:
            found.append((rel, hits[:3], where))
for x in found:
    print("machine path:", x)
sys.exit(1 if found else 0)
PY
}
# spec DIR PYTHON-ASSERTION: on DIR/spec.json as d
spec() {
  python3 - "$1/spec.json" "$2" <<'PY' && ok "  $3" || bad "  $3"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["execution"]["catalog"]
defined = [m["defined_in"] for m in d["business_context"]["metrics"]]
assert eval("(" + sys.argv[2] + ")"), (c, defined)
PY
}

# the seed request on the demo catalog
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
expect_rc 0 "seed request --out" -- env DPGEN_DEMO_DB="$WORK/demo.duckdb" "$DPGEN" generate --as-of 2025-07-16 \
  --no-record --out "$WORK/seed" "$SEED"
scan "$WORK/seed" "seed request"
spec "$WORK/seed" "c['models'] == 'catalog/demo/semantic_models.yml' and c['glossary'] == 'catalog/demo/glossary.yml'
  and c['database'] == '\$DPGEN_DEMO_DB' and defined[0] == 'catalog/demo/semantic_models.yml:360'
  and c['paths_relative_to'].startswith('dpgen\'s source tree')" "demo: relative to the source tree, the database by its variable"
grep -q "defined in catalog/demo/semantic_models.yml:360" "$WORK/seed/README.md" && ok "  README.md: defined in, relative" \
  || bad "  README.md: $(grep -n 'defined in' "$WORK/seed/README.md" | head -2)"
# the demo catalog moved by $DPGEN_DEMO_CATALOG: named by the variable
cp -r "$DP_SOURCE_DIR/catalog/demo" "$WORK/democat"
expect_rc 0 "seed request, \$DPGEN_DEMO_CATALOG" -- env DPGEN_DEMO_DB="$WORK/demo.duckdb" \
  DPGEN_DEMO_CATALOG="$WORK/democat" "$DPGEN" generate --as-of 2025-07-16 --no-record --out "$WORK/seed2" "$SEED"
scan "$WORK/seed2" "seed request, moved demo catalog"
spec "$WORK/seed2" "c['models'] == '\$DPGEN_DEMO_CATALOG/semantic_models.yml' and defined[0] == '\$DPGEN_DEMO_CATALOG/semantic_models.yml:360'" \
  "moved demo catalog: named by its variable"

# a test catalog: a models file and a glossary, absolute paths; then relative ones
H="$DP_SOURCE_DIR/tests/data/hr"
"$DPGEN" demo --sql "$H/data.sql" --out "$WORK/hr.duckdb" 2>/dev/null || bad "build hr"
expect_rc 0 "hr catalog --out (absolute paths)" -- "$DPGEN" generate --db "$WORK/hr.duckdb" --models "$H/semantic_models.yml" \
  --glossary "$H/glossary.yml" --as-of 2025-07-16 --no-record --out "$WORK/hr" "headcount by division"
scan "$WORK/hr" "hr catalog"
spec "$WORK/hr" "c['models'] == 'semantic_models.yml' and c['glossary'] == 'glossary.yml' and c['database'] == 'hr.duckdb'
  and all(x.startswith('semantic_models.yml:') for x in defined)" "hr: relative to the models file's folder"
expect_rc 0 "hr catalog --out (relative paths)" -- bash -c "cd '$DP_SOURCE_DIR' && '$DPGEN' generate --db '$WORK/hr.duckdb' \
  --models tests/data/hr --as-of 2025-07-16 --no-record --out '$WORK/hr2' 'headcount by division'"
scan "$WORK/hr2" "hr catalog, relative --models"
spec "$WORK/hr2" "c['models'] == '.' and all(x.startswith('semantic_models.yml:') for x in defined)
  and c['paths_relative_to'] == 'the --models folder'" "hr: the --models folder as given, relative to itself"

# a dbt project: the root is the project's, the manifest inside or outside it
cp -r "$DP_SOURCE_DIR/tests/data/dbtproj" "$WORK/p"
"$DPGEN" demo --sql "$WORK/p/data.sql" --out "$WORK/shop.duckdb" 2>/dev/null || bad "build shop"
expect_rc 0 "dbt project --out" -- "$DPGEN" generate --db "$WORK/shop.duckdb" --models "$WORK/p" --no-record \
  --as-of 2025-07-16 --out "$WORK/dbt1" "large orders by region"
scan "$WORK/dbt1" "dbt project"
spec "$WORK/dbt1" "c['models'] == '.' and defined == ['models/marts/orders.yml:62']
  and c['paths_relative_to'].startswith('the dbt project root')" "dbt project: relative to its root"
mv "$WORK/p/target/manifest.json" "$WORK/prod-manifest.json"
expect_rc 0 "dbt project models folder, --manifest elsewhere" -- "$DPGEN" generate --db "$WORK/shop.duckdb" \
  --models "$WORK/p/models" --manifest "$WORK/prod-manifest.json" --no-record --as-of 2025-07-16 --out "$WORK/dbt2" \
  "large orders by region"
scan "$WORK/dbt2" "dbt project, manifest outside"
spec "$WORK/dbt2" "c['models'] == 'models' and defined == ['models/marts/orders.yml:62']" \
  "--models inside a dbt project: relative to the project's root"
grep -q "relation from prod-manifest.json" "$WORK/dbt2/spec.json" && ok "  the outside manifest by its file name" \
  || bad "  manifest decision: $(grep -o 'relation from[^"]*' "$WORK/dbt2/spec.json" | head -2)"

# a semantic manifest alone
S="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$S/data.sql" --out "$WORK/s.duckdb" 2>/dev/null || bad "build smanifest"
expect_rc 0 "semantic manifest --out" -- "$DPGEN" generate --db "$WORK/s.duckdb" --manifest "$S/semantic_manifest.json" \
  --no-record --as-of 2025-07-16 --out "$WORK/sm" "monthly revenue"
scan "$WORK/sm" "semantic manifest"

# a saved query: intent.saved_query.file and its decision's file:line
Q="$DP_SOURCE_DIR/tests/data/mfspec_scd"
"$DPGEN" demo --sql "$Q/data.sql" --out "$WORK/q.duckdb" 2>/dev/null || bad "build mfspec_scd"
expect_rc 0 "saved query --out" -- "$DPGEN" generate --db "$WORK/q.duckdb" --models "$Q/semantic_models.yml" --no-record \
  --as-of 2025-07-16 --saved-query visits_by_tier --out "$WORK/sq"
scan "$WORK/sq" "saved query"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['intent']['saved_query']['file'] == 'semantic_models.yml', d['intent']['saved_query']" \
  "$WORK/sq/spec.json" && ok "  saved_query.file relative" || bad "  saved_query.file"

# disabled parts of a catalog: their warnings quote file:line
D="$DP_SOURCE_DIR/tests/data/broken"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/broken.duckdb" 2>/dev/null || bad "build broken"
expect_rc 0 "broken catalog --out" -- "$DPGEN" generate --db "$WORK/broken.duckdb" --models "$D" --glossary "$D/glossary.yml" \
  --no-record --as-of 2025-07-16 --out "$WORK/br" "monthly headcount by location"
scan "$WORK/br" "catalog with disabled parts"
grep -q "is disabled" "$WORK/br/spec.json" && ok "  its warning is in the spec" || bad "  no warning in the spec"
# a question asked back (here a saved query dpgen does not support) names catalog files as the spec
# does, in the clarification document too (the API's 422 and the stored run)
SM="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$SM/data.sql" --out "$WORK/sm.duckdb" >/dev/null 2>&1
mkdir -p "$WORK/clar"
"$DPGEN" generate --db "$WORK/sm.duckdb" --manifest "$SM/semantic_manifest.json" --saved-query revenue_by_region \
  --format json --as-of 2025-07-16 >"$WORK/clar/clarification.json" 2>/dev/null
[ $? = 3 ] && ok "the saved query is asked back (exit 3)" || bad "saved query: not a clarification"
scan "$WORK/clar" "a clarification"
finish
