#!/usr/bin/env bash
# MetricFlow's spec on tests/data/mfspec_scd (issue 11, item 4): SCD type 2
# dimensions joined on the validity period, Metric() filters at the entity
# level, saved queries (--saved-query) with their exports, and measures no
# metric exposes. Gold SQL is hand-written (a correlated look-up of the
# version valid on the visit's day, or the values counted by hand from
# data.sql), so a join on the key alone, a row-level reading of a metric
# filter or a dropped where filter would each fail a case.
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/mfspec_scd"
M="$D/semantic_models.yml"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/s.duckdb" 2>/dev/null || { bad "build"; finish; exit 1; }
# the tier and region a visit's member had on the visit's day
TIER="(SELECT t.tier FROM bronze.member_tiers t WHERE t.member_id = v.member_id AND t.valid_from <= v.visited_at AND coalesce(t.valid_to, DATE '9999-12-31') > v.visited_at)"
REGION="(SELECT t.region FROM bronze.member_tiers t WHERE t.member_id = v.member_id AND t.valid_from <= v.visited_at AND coalesce(t.valid_to, DATE '9999-12-31') > v.visited_at)"
cat > "$WORK/cases.json" <<JSON
[
 {"request": "visits by tier",
  "gold": "SELECT * FROM (VALUES ('bronze', 3), ('gold', 5), ('silver', 3), (NULL, 4)) AS g(tier, visits)"},
 {"request": "visits by tier",
  "gold": "SELECT $TIER AS tier, count(*) AS visits FROM bronze.visits v GROUP BY 1"},
 {"request": "monthly visits by tier for region north",
  "gold": "SELECT CAST(date_trunc('month', v.visited_at) AS DATE) AS month, $TIER AS tier, count(*) AS visits FROM bronze.visits v WHERE $REGION = 'north' GROUP BY 1, 2"},
 {"request": "visit amount by tier and member name",
  "gold": "SELECT $TIER AS tier, m.member_name, sum(v.amount) AS visit_amount FROM bronze.visits v LEFT JOIN bronze.members m ON m.member_id = v.member_id GROUP BY 1, 2"},
 {"request": "visits by agent name",
  "gold": "SELECT a.agent_name, count(*) AS visits FROM bronze.visits v LEFT JOIN bronze.agents a ON a.agent_id = (SELECT t.agent_id FROM bronze.member_tiers t WHERE t.member_id = v.member_id AND t.valid_from <= v.visited_at AND coalesce(t.valid_to, DATE '9999-12-31') > v.visited_at) GROUP BY 1"},
 {"request": "visits by agent name",
  "gold": "SELECT * FROM (VALUES ('Kim', 4), ('Lou', 5), ('Max', 2), (NULL, 4)) AS g(agent_name, visits)"},
 {"request": "monthly gold tier visits",
  "gold": "SELECT CAST(date_trunc('month', v.visited_at) AS DATE) AS month, count(*) FILTER (WHERE $TIER = 'gold') AS gold_tier_visits FROM bronze.visits v GROUP BY 1"},
 {"request": "total visits of big spenders",
  "gold": "SELECT 9 AS visits_of_big_spenders"},
 {"request": "visits of big spenders by month",
  "gold": "SELECT * FROM (VALUES (DATE '2025-01-01', 2), (DATE '2025-02-01', 3), (DATE '2025-03-01', 3), (DATE '2025-04-01', 1), (DATE '2025-05-01', 0)) AS g(month, visits_of_big_spenders)"},
 {"request": "visits of big spenders by tier",
  "gold": "SELECT $TIER AS tier, count(*) FILTER (WHERE v.member_id IN (SELECT member_id FROM bronze.visits GROUP BY 1 HAVING sum(amount) > 100)) AS visits_of_big_spenders FROM bronze.visits v GROUP BY 1"},
 {"request": "", "args": ["--saved-query", "visits_by_tier"],
  "gold": "SELECT CAST(date_trunc('month', v.visited_at) AS DATE) AS month, $TIER AS tier, count(*) AS visits, sum(v.amount) AS visit_amount FROM bronze.visits v GROUP BY 1, 2"},
 {"request": "", "args": ["--saved-query", "north_visits"],
  "gold": "SELECT * FROM (VALUES ('bronze', 1), ('gold', 2), ('silver', 2)) AS g(tier, visits)"},
 {"request": "", "args": ["--saved-query", "loyal_member_amounts"],
  "gold": "SELECT * FROM (VALUES (1, 145.0), (3, 105.0), (4, 95.0)) AS g(member_id, visit_amount)"},
 {"request": "", "args": ["--saved-query", "weekly_visits_since_march"],
  "gold": "SELECT CAST(date_trunc('week', v.visited_at) AS DATE) AS week, count(*) AS visits, count(*) FILTER (WHERE v.member_id IN (1, 2, 3)) AS visits_of_big_spenders FROM bronze.visits v WHERE v.visited_at >= DATE '2025-03-01' AND v.visited_at < DATE '2025-05-01' GROUP BY 1"},
 {"request": "", "args": ["--saved-query", "members_by_amount_per_visit"],
  "gold": "SELECT * FROM (VALUES ('Ada', 4), ('Ben', 2), ('Eve', 2)) AS g(member_name, visits)"},
 {"request": "", "args": ["--saved-query", "visits_by_join_day"],
  "gold": "SELECT m.joined_at, count(*) AS visits FROM bronze.visits v LEFT JOIN bronze.members m ON m.member_id = v.member_id GROUP BY 1"},
 {"request": "", "args": ["--saved-query", "top_tiers"], "ordered": true,
  "gold": "SELECT * FROM (VALUES ('gold', 5), (NULL, 4)) AS g(tier, visits)"},
 {"request": "referral count by tier", "clarify": true, "gold": ""},
 {"request": "largest visit by month", "clarify": true, "gold": ""},
 {"request": "gold tier visits for silver tier", "clarify": true, "gold": ""}
]
JSON
if python3 "$DP_SOURCE_DIR/tests/e2e/sqlcompare.py" "$DPGEN" "$WORK/s.duckdb" "$M" "$WORK/cases.json" "$WORK" >"$WORK/cmp" 2>&1; then
  ok "gold SQL: $(tail -1 "$WORK/cmp")"
else
  cat "$WORK/cmp"
  bad "gold SQL"
fi
G=("$DPGEN" generate --no-record --db "$WORK/s.duckdb" --models "$M" --format json)

# the SCD join: on the key and the validity period, start inclusive, end exclusive, NULL end open
expect_rc 0 "visits by tier" -- "${G[@]}" "visits by tier"
python3 - "$WORK/out" <<'PY' && ok "SCD join on the period of the visit's own day" || bad "SCD join"
import json, sys
sql = json.load(open(sys.argv[1]))["transformation"]["sql"]
assert ">= member_tiers.valid_from AND (CAST(date_trunc('day', visits.visited_at) AS DATE) < member_tiers.valid_to OR member_tiers.valid_to IS NULL)" in sql, sql
PY
# without a time on the rows there is no period to join on: refused, saying why
expect_rc 3 "SCD dimension for rows without time" -- "${G[@]}" "referral count by tier"
grep -q "member_tiers is valid over periods (validity_params tier_from, tier_to).*referrals has no time dimension" "$WORK/err" \
  && ok "the refusal names the validity period and the missing time" || bad "SCD refusal message: $(cat "$WORK/err")"

# saved queries: the spec names the saved query and the export; the product is the export's alias
expect_rc 0 "--saved-query visits_by_tier" -- "${G[@]}" --saved-query visits_by_tier
python3 - "$WORK/out" <<'PY' && ok "spec names the saved query, its export, the alias as product" || bad "saved query spec"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["metadata"]["name"] == "tier_visits_monthly", d["metadata"]["name"]
sq = d["intent"]["saved_query"]
assert sq["name"] == "visits_by_tier" and sq["exports"] == [{"name": "visits_by_tier", "export_as": "table", "schema": "marts", "alias": "tier_visits_monthly"}], sq
assert d["intent"]["time_grain"] == "month" and d["intent"]["metrics"] == ["visits", "visit_amount"], d["intent"]
assert d["business_context"]["request"] == "saved query visits_by_tier"
assert "-- marts.tier_visits_monthly" in d["transformation"]["sql"]
PY
# the exports: the dbt model is the export's alias, in its schema, materialized as export_as says
expect_rc 0 "--saved-query visits_by_tier --out" -- "${G[@]}" --saved-query visits_by_tier --out "$WORK/x1"
[ -f "$WORK/x1/dbt/models/tier_visits_monthly.sql" ] && grep -q "+schema: marts" "$WORK/x1/dbt/dbt_project.yml" \
  && grep -q "+materialized: table" "$WORK/x1/dbt/dbt_project.yml" && ok "export alias, schema and table in the dbt project" \
  || bad "export of visits_by_tier: $(ls "$WORK/x1/dbt/models" 2>&1)"
expect_rc 0 "--saved-query north_visits --out" -- "${G[@]}" --saved-query north_visits --out "$WORK/x2"
[ -f "$WORK/x2/dbt/models/north_visits.sql" ] && grep -q "+materialized: view" "$WORK/x2/dbt/dbt_project.yml" \
  && ok "an export as view is a dbt view" || bad "export of north_visits: $(cat "$WORK/x2/dbt/dbt_project.yml" 2>&1)"
expect_rc 0 "--saved-query north_visits (intent only)" -- "$DPGEN" intent --db "$WORK/s.duckdb" --models "$M" --saved-query north_visits
python3 - "$WORK/out" <<'PY' && ok "where filters kept as written in the intent" || bad "saved query intent"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["saved_query"]["where"] == ["{{ Dimension('member__region') }} = 'north'"], d["saved_query"]
assert d["dimensions"][0]["dimension_candidates"] == ["member_tiers.tier"], d["dimensions"]
PY
expect_rc 2 "unknown saved query is a usage error" -- "${G[@]}" --saved-query visits_by_teir
grep -q "no saved query 'visits_by_teir' (it has: visits_by_tier" "$WORK/err" && ok "names the close saved queries" \
  || bad "unknown saved query message: $(cat "$WORK/err")"
expect_rc 2 "unknown saved query (intent)" -- "$DPGEN" intent --db "$WORK/s.duckdb" --models "$M" --saved-query nothing_like_it
expect_rc 2 "a request and a saved query" -- "${G[@]}" --saved-query north_visits "visits by tier"
# a saved query on a catalog with none: says so
expect_rc 2 "no saved queries in the catalog" -- "$DPGEN" generate --no-record --saved-query x
grep -q "it has none" "$WORK/err" && ok "says the catalog has none" || bad "no saved queries: $(cat "$WORK/err")"

# a measure asked by name that no metric exposes: how to expose it
expect_rc 3 "measure no metric exposes" -- "${G[@]}" "largest visit by month"
python3 - "$WORK/out" "$WORK/err" <<'PY' && ok "measure candidate with how to expose it" || bad "measure hint"
import json, sys
c = json.load(open(sys.argv[1]))["clarification"]
first = c["candidates"]["largest"][0]
assert first["kind"] == "measure" and first["name"] == "largest_visit", first
assert "add create_metric: true to it, or define a simple metric on it" in first["hint"], first
assert "semantic_models.yml:" in first["hint"]
assert "largest_visit is a measure of visits" in open(sys.argv[2]).read()
PY
# create_metric: true makes the measure a metric of the same name
expect_rc 0 "create_metric measure asked as a metric" -- "${G[@]}" "referral count by member name"
finish
