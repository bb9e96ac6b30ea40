#!/usr/bin/env bash
# Every quality rule's result (status, failing rows, examples, message) over
# the demo's defects and the test catalogs, against the results recorded
# before the rule checks were fused into one pass (tests/data/rule_results/
# golden.json, recorded with the per-rule statements): how the rules run may
# change, what they find may not. A deliberate change to the rules (a new
# rule, another description of what fails) is recorded again, with the diff
# read and the reason in the commit:
#   python3 tests/e2e/rule_results.py build/dpgen /tmp/rr tests/data/rule_results/golden.json
. "$(dirname "$0")/lib.inc"
if python3 "$DP_SOURCE_DIR/tests/e2e/rule_results.py" "$DPGEN" "$WORK/rr" "$WORK/now.json" \
  --compare "$DP_SOURCE_DIR/tests/data/rule_results/golden.json" >"$WORK/log" 2>&1; then
  ok "every rule's result as recorded: $(head -1 "$WORK/log")"
else
  bad "rule results differ from the recorded ones:"; head -40 "$WORK/log"
fi
# the recorded file is not vacuous: failed rules with examples, cached source checks
python3 - "$WORK/now.json" <<'PY' && ok "the record has failures, examples and cached checks" || bad "the record is vacuous"
import json, sys
d = json.load(open(sys.argv[1]))
rules = [r for v in d.values() for r in v.get("rules", [])]
assert len(rules) > 1000
assert sum(r["status"] == "failed" for r in rules) > 50
assert sum(bool(r["examples"]) for r in rules) > 50
assert sum(r["cached"] for r in rules) > 20
PY
finish
