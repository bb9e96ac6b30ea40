#!/usr/bin/env bash
# Empty and partial answers are said, never presented as answers: a test run
# with no rows, or a metric NULL on every row, exits 0 with a warning on
# stderr and in the spec naming the cause (a range outside the data with the
# data's first and last dates, a value absent within the range); relative
# ranges say their anchor date and suggest --as-of when the data ends before
# them. Filters no row can pass are refused by the compiler (exit 3, no SQL).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/compiler"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/c.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
CAT=(--db "$WORK/c.duckdb" --models "$D/semantic_models.yml" --no-record --format json)
# The compiler catalog's dated rows: orders and items 2025-01-03 .. 2025-03-10.

# spec_check DESCRIPTION PYTHON: runs PYTHON with d = the spec ($WORK/out),
# err = stderr ($WORK/err), warns = the transformation stage's warnings.
spec_check() {
  local what=$1 code=$2
  python3 - "$WORK/out" "$WORK/err" "$code" <<'PY' && ok "$what" || bad "$what: $(tail -3 "$WORK/err")"
import json, sys
d = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
st = {s["stage"]: s for s in d["execution"]["stages"]}
warns = st["transformation"]["warnings"]
tr = d["transformation"]["test_run"]
exec(sys.argv[3])
PY
}

# 1. A relative range after the data's end: empty, the cause and --as-of.
expect_rc 0 "range after the data exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-12-01 "revenue last quarter by region"
spec_check "range after the data: warning with the cause" '
assert tr["rows"] == 0
w = [x for x in warns if "[2025-07-01, 2025-10-01)" in x]
assert w, warns
w = w[0]
assert "after the data" in w and "2025-01-03" in w and "2025-03-10" in w, w
assert "--as-of 2025-03-11" in w, w
assert "dpgen: warning: " + w in err, err
assert any("[2025-07-01, 2025-10-01)" in x for x in tr["warnings"]), tr
r = d["intent"]["time_range"]
assert r["relative"] is True and r["anchor"] == "2025-12-01", r
assert any("relative" in x and "2025-12-01" in x for x in st["intent"]["decisions"]), st["intent"]
'
# 2. An absolute range before the data: the dates, no --as-of.
expect_rc 0 "range before the data exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-12-01 "revenue in 2024 by region"
spec_check "range before the data: named, no --as-of" '
assert tr["rows"] == 0
w = [x for x in warns if "before the data" in x]
assert w and "2025-01-03" in w[0] and "2025-03-10" in w[0], warns
assert "--as-of" not in w[0], w
r = d["intent"]["time_range"]
assert r["relative"] is False, r
assert "dpgen: warning:" in err
'
# 3. A total (one row) whose metric is NULL because the range misses the data.
expect_rc 0 "total outside the data exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-12-01 "revenue in 2024"
spec_check "NULL total: the metric and the range are named" '
assert tr["rows"] == 1
w = [x for x in warns if "revenue" in x and "NULL on every row" in x]
assert w and "2025-03-10" in w[0], warns
'
# 3b. Two datasets, one without rows in the range: its metric is named, NULL
# (beside a grouping) or 0 (a count in a one-row total).
expect_rc 0 "one dataset outside the range exits 0" -- "$DPGEN" generate "${CAT[@]}" "monthly visits and revenue by region between 2025-03-06 and 2025-03-10"
spec_check "NULL metric of a dataset outside the range: named" '
w = [x for x in warns if x.startswith("visits is NULL on every row")]
assert w and "after the data" in w[0] and "2025-03-05" in w[0] and "visits.visited_on" in w[0], warns
assert not [x for x in warns if x.startswith("revenue")], warns
cov = {c["dataset"]: (c["first"], c["last"]) for c in tr["time_coverage"]}
assert cov == {"visits": ("2025-01-02", "2025-03-05"), "items": ("2025-01-03", "2025-03-10")}, cov
'
expect_rc 0 "a count outside the range exits 0" -- "$DPGEN" generate "${CAT[@]}" "visits and revenue between 2025-03-06 and 2025-03-10"
spec_check "a count of 0 outside the range: named" '
assert tr["sample_rows"][0]["visits"] in ("0", 0), tr
w = [x for x in warns if x.startswith("visits has no data")]
assert w and "2025-03-05" in w[0], warns
'
# 4. Partial: a relative range that runs past the data's end.
expect_rc 0 "partial range exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-06-15 "monthly revenue this year"
spec_check "partial range: said, with the last date and --as-of" '
assert tr["rows"] == 3
w = [x for x in warns if "partial" in x]
assert w, warns
assert "2025-03-10" in w[0] and "[2025-01-01, 2025-06-16)" in w[0] and "--as-of 2025-03-11" in w[0], w
assert "2025-06-15" in w[0], w  # the anchor
assert "dpgen: warning: " + w[0] in err
'
# 4b. A range reaching back before the data's first date: partial too; a
# few days before it, or an open start ("before"), is not.
expect_rc 0 "range before the data's start exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-03-15 "monthly revenue last 12 months"
spec_check "range before the data's start: partial" '
w = [x for x in warns if "partial" in x and "starts on 2025-01-03" in x]
assert w and "[2024-03-01, 2025-03-01)" in w[0] and "308 day(s)" in w[0], warns
'
expect_rc 0 "open start exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-03-15 "monthly revenue before February 2025"
spec_check "open start: no warning" '
assert tr["rows"] == 1 and not warns, warns
'
expect_rc 0 "this year, data from its third day" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-03-09 "monthly revenue this year"
spec_check "a start two days late is no partial answer" '
assert not warns, warns
'
# 5. Covered relative range: the anchor is said, no warning.
expect_rc 0 "covered relative range exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-03-05 "monthly revenue since February"
spec_check "covered relative range: anchored, no warning" '
r = d["intent"]["time_range"]
assert r["relative"] is True and r["anchor"] == "2025-03-05", r
assert not warns, warns
assert "warning" not in err, err
'
expect_rc 0 "no range, no warning" -- "$DPGEN" generate "${CAT[@]}" "revenue by region"
spec_check "a full answer says nothing" '
assert not warns and not tr["warnings"], warns
assert "warning" not in err, err
assert d["intent"]["time_range"] is None
'
# 6. A value present in the data but not within the range.
expect_rc 0 "value outside the range exits 0" -- "$DPGEN" generate "${CAT[@]}" --as-of 2025-06-15 "revenue for void orders in March 2025"
spec_check "value outside the range: named" '
w = [x for x in warns if "NULL on every row" in x]
assert w and "void" in w[0] and "[2025-03-01, 2025-04-01)" in w[0], warns
assert "not within" in w[0] or "outside" in w[0], w
'
# 7. A ratio whose denominator is 0 everywhere.
expect_rc 0 "zero denominator exits 0" -- "$DPGEN" generate "${CAT[@]}" "revenue per unit for pending orders"
spec_check "all-NULL ratio: the denominator is named" '
w = [x for x in warns if "revenue_per_unit" in x and "NULL on every row" in x]
assert w and "denominator" in w[0] and "units" in w[0], warns
assert "dpgen: warning:" in err
'
# 8. A condition no row meets.
expect_rc 0 "condition nobody meets exits 0" -- "$DPGEN" generate "${CAT[@]}" "revenue by region above 1000"
spec_check "empty by a condition: said" '
assert tr["rows"] == 0
w = [x for x in warns if "no rows" in x]
assert w and "revenue > 1000" in w[0], warns
'
# 9. Contradictions: refused by the compiler, no SQL.
expect_rc 3 "two values of one column refused" -- "$DPGEN" generate "${CAT[@]}" "revenue for north customers in the south"
# The reading of the request may refuse it first (two values of one column
# in one phrase); the compiler's own message is checked in test_transform.
grep -q "north" "$WORK/err" && grep -q "south" "$WORK/err" && ok "contradiction names the values" \
  || bad "contradiction message: $(cat "$WORK/err")"
grep -qiE "select|transformation" "$WORK/out" && bad "contradiction printed a spec" || ok "contradiction prints no SQL (a clarification at most)"
expect_rc 3 "a metric's filter against the request's refused" -- "$DPGEN" generate "${CAT[@]}" "completed orders for void orders"
grep -q "status cannot be both 'void' and 'done'" "$WORK/err" && grep -q "completed_orders" "$WORK/err" \
  && ok "metric contradiction names the column, values and metric" || bad "metric contradiction message: $(cat "$WORK/err")"
grep -qiE "select|transformation" "$WORK/out" && bad "metric contradiction printed a spec" || ok "metric contradiction prints no SQL (a clarification at most)"
expect_rc 3 "a value and its exclusion refused" -- "$DPGEN" generate "${CAT[@]}" "revenue for north customers excluding north"
grep -q "region cannot be both 'north' and other than 'north'" "$WORK/err" && ok "exclusion contradiction named" \
  || bad "exclusion contradiction message: $(cat "$WORK/err")"

# 10. The demo (data to 2025-06-30): the issue's example.
"$DPGEN" demo --scale 0.02 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
expect_rc 0 "demo: last quarter after the data exits 0" -- "$DPGEN" generate --no-record --format json --as-of 2025-12-01 "last quarter's spend by channel"
spec_check "demo: last quarter after the data" '
assert tr["rows"] == 0
w = [x for x in warns if "[2025-07-01, 2025-10-01)" in x]
assert w and "after the data" in w[0] and "2025-01-01" in w[0] and "2025-06-30" in w[0] and "--as-of 2025-07-01" in w[0], warns
assert "dpgen: warning: " + w[0] in err
'
expect_rc 0 "demo: since April on 2025-07-16" -- "$DPGEN" generate --no-record --format json --as-of 2025-07-16 "spend since April"
spec_check "demo: since April is partial" '
w = [x for x in warns if "partial" in x]
assert w and "2025-06-30" in w[0] and "--as-of 2025-07-01" in w[0], warns
assert d["intent"]["time_range"]["relative"] is True
'
finish
