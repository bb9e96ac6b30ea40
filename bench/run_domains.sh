#!/usr/bin/env bash
# Compile time per query and end-to-end time of the accuracy benchmark's
# requests, per domain (needs ../shared/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
B=../shared/bench
out=build/bench-data
mkdir -p "$out"
for dom in marketing ecommerce saas; do
  [ -f "$out/$dom.duckdb" ] || build/dpgen demo --sql "$B/domains/$dom/data.sql" --out "$out/$dom.duckdb" 2>/dev/null
  python3 - "$B/cases.yml" "$dom" > "$out/$dom.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for block in text.split("\n- id: ")[1:]:
    dom = re.search(r"^\s*domain: (\S+)", block, re.M).group(1)
    req = re.search(r"^\s*request: (.+)$", block, re.M).group(1)
    if dom == sys.argv[2] and "expect: clarify" not in block:
        print(req)
PY
  echo "== $dom"
  build/bench/compile_bench --db "$out/$dom.duckdb" --models "$B/domains/$dom/semantic_models.yml" "$out/$dom.txt"
done
