#!/usr/bin/env bash
# The wide product (issue 12, modeling 1 and 2): the seed request's shape
# (keys, the campaign's attributes, the ratios' component measures, the
# ratios), designed types equal to the test run's, and on the demo and the
# test catalogs (the trap suite's answers, each catalog's requests.txt and
# the semantic manifest's YAML twin:
# ranked, filtered, several datasets, offsets, cumulative, conversion, SCD,
# saved queries) the wide product's rows and values of every asked column
# equal to --columns asked's (tests/e2e/wide.py). WIDE_ONLY=<catalog> runs
# one catalog.
. "$(dirname "$0")/lib.inc"
S=$DP_SOURCE_DIR
"$DPGEN" demo --out "$WORK/demo.duckdb" >/dev/null 2>&1 || { bad "build demo"; finish; exit 1; }
CATS="hr logistics compiler fitness library joins keywords mfspec_conv mfspec_scd mfspec_time wide smanifest"
for d in $CATS; do
  "$DPGEN" demo --sql "$S/tests/data/$d/data.sql" --out "$WORK/$d.duckdb" >/dev/null 2>&1 || { bad "build $d"; finish; exit 1; }
done

# the seed: its wide shape and types
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
"$DPGEN" generate --db "$WORK/demo.duckdb" --models "$S/catalog/demo/semantic_models.yml" --glossary "$S/catalog/demo/glossary.yml" --as-of 2025-07-16 --format json --no-record "$SEED" >"$WORK/seed.json" 2>"$WORK/err" ||
  bad "seed: exit $?: $(tail -2 "$WORK/err")"
python3 - "$WORK/seed.json" <<'PY' && ok "seed: week, campaign_id, name first, channel, the five measures, the four ratios, exact types" || bad "seed shape"
import json, sys
d = json.load(open(sys.argv[1]))
cols = d["data_model"]["columns"]
names = [c["name"] for c in cols]
roles = [c["role"] for c in cols]
types = {c["name"]: c["type"] for c in cols}
assert names[:3] == ["week", "campaign_id", "campaign_name"], names
attrs = [c for c in cols if c["role"] == "attribute"]
assert "channel" in [c["name"] for c in attrs] and len(attrs) <= 6, names
assert all("marketing_campaigns" in c["added_because"] for c in attrs), attrs
meas = [c["name"] for c in cols if c["role"] == "measure"]
assert meas == ["impressions", "clicks", "conversions", "spend", "ad_revenue"], meas
assert names[-4:] == ["ctr", "cvr", "cpa", "roas"], names
# keys, then attributes, then measures, then metrics
assert roles == sorted(roles, key=["time", "entity", "attribute", "measure", "metric"].index), roles
clicks = [c for c in cols if c["name"] == "clicks"][0]
assert clicks["component_of"] == "ctr" and "numerator of ctr" in clicks["added_because"] \
    and "denominator of cvr" in clicks["added_because"] and "re-aggregate" in clicks["added_because"], clicks
assert types["week"] == "DATE" and types["campaign_id"] == "VARCHAR", types
assert all(types[m] == "BIGINT" for m in ["impressions", "clicks", "conversions"]), types
assert types["spend"] == "DECIMAL(38,2)" and types["ad_revenue"] == "DECIMAL(38,2)", types
assert all(types[m] == "DOUBLE" for m in ["ctr", "cvr", "cpa", "roas"]), types
rs = d["transformation"]["test_run"]["result_schema"]
assert [(c["name"], c["type"]) for c in rs] == [(c["name"], c["type"]) for c in cols], rs
rules = {r["type"]: r for r in d["quality"]["rules"]}
assert rules["types"]["result"]["status"] == "passed", rules["types"]
dec = [s for s in d["execution"]["stages"] if s["stage"] == "modeling"][0]["decisions"]
assert dec[0] == "added %d attribute(s) and 5 component measure(s) (--columns asked for only what was asked)" % len(attrs), dec
# the attributes' dataset is read: a source like the others
assert "bronze.marketing_campaigns" in d["lineage"]["upstream"], d["lineage"]["upstream"]
src = {s["name"]: s for s in d["source_datasets"]}
assert "campaign_name" in src["marketing_campaigns"]["columns_used"], src.keys()
lin = {c["column"]: c for c in d["lineage"]["columns"]}
assert lin["campaign_name"]["sources"] == ["marketing_campaigns.campaign_name"], lin["campaign_name"]
# the product is sorted once, after the attributes' join (its own sort by
# the same keys would be undone by the join)
sql = d["transformation"]["sql"]
assert sql.count("ORDER BY") == 1 and sql.rstrip().endswith("ORDER BY 1, 2"), sql
assert lin["clicks"]["sources"] == ["marketing_events.clicks"], lin["clicks"]
PY
"$DPGEN" generate --db "$WORK/demo.duckdb" --models "$S/catalog/demo/semantic_models.yml" --glossary "$S/catalog/demo/glossary.yml" --as-of 2025-07-16 --format json --no-record --columns asked "$SEED" >"$WORK/asked.json" 2>"$WORK/err"
python3 - "$WORK/asked.json" <<'PY' && ok "seed --columns asked: the six columns asked" || bad "seed --columns asked"
import json, sys
d = json.load(open(sys.argv[1]))
assert [c["name"] for c in d["data_model"]["columns"]] == ["week", "campaign_id", "ctr", "cvr", "cpa", "roas"], d["data_model"]["columns"]
dec = [s for s in d["execution"]["stages"] if s["stage"] == "modeling"][0]["decisions"]
assert dec[0].startswith("--columns asked"), dec
PY
# the exports: every source() the dbt model reads is declared in sources.yml
"$DPGEN" generate --db "$WORK/demo.duckdb" --models "$S/catalog/demo/semantic_models.yml" --as-of 2025-07-16 --no-record \
  --out "$WORK/seed_out" "$SEED" >/dev/null 2>"$WORK/err"
python3 - "$WORK/seed_out/dbt/models" <<'PY' && ok "dbt: the attributes' dataset is a declared source" || bad "dbt sources of the wide product"
import glob, re, sys, yaml
d = sys.argv[1]
model = [f for f in glob.glob(d + "/*.sql")][0]
used = set(re.findall(r"source\('(\w+)', '(\w+)'\)", open(model).read()))
declared = {(s["name"], t["name"]) for s in yaml.safe_load(open(d + "/sources.yml"))["sources"] for t in s["tables"]}
assert ("bronze", "marketing_campaigns") in used and used <= declared, (used, declared)
PY
expect_rc 2 "--columns with another value" -- "$DPGEN" generate --columns all "$SEED"

# repeated and conflicting keys of an entity's dataset: one row per key,
# NULL where the key's rows disagree
"$DPGEN" generate --db "$WORK/wide.duckdb" --models "$S/tests/data/wide/semantic_models.yml" --format json --no-record \
  "sales per unit by store" >"$WORK/stores.json" 2>"$WORK/err"
python3 - "$WORK/stores.json" <<'PY' && ok "repeated store keys: attributes per key, NULL only where its rows disagree" || bad "repeated keys"
import json, sys
d = json.load(open(sys.argv[1]))
names = [c["name"] for c in d["data_model"]["columns"]]
assert names == ["store_id", "store_name", "store_size", "flagship", "region", "units_sold", "sales_amount", "sales_per_unit"], names
rows = {r["store_id"]: r for r in d["transformation"]["test_run"]["sample_rows"]}
assert d["transformation"]["test_run"]["rows"] == 4, d["transformation"]["test_run"]["rows"]
assert rows["2"]["store_name"] == "South Store" and rows["2"]["units_sold"] == "3", rows["2"]
assert rows["3"]["store_name"] is None and rows["3"]["region"] == "east", rows["3"]  # two names; one region
assert rows["3"]["flagship"] is None and rows["1"]["flagship"] == "true" and rows["2"]["flagship"] == "false", rows
assert rows["4"]["store_name"] is None and rows["4"]["sales_amount"] == "3.333", rows["4"]  # no store row
types = {c["name"]: c["type"] for c in d["data_model"]["columns"]}
assert types["sales_amount"] == "DECIMAL(38,3)" and types["units_sold"] == "BIGINT", types
PY
"$DPGEN" generate --db "$WORK/wide.duckdb" --models "$S/tests/data/wide/semantic_models.yml" --format json --no-record \
  "sales by sales channel" >"$WORK/channels.json" 2>"$WORK/err"
python3 - "$WORK/channels.json" <<'PY' && ok "a text key beside an integer key: joined as text, typed as the values read" || bad "key types"
import json, sys
d = json.load(open(sys.argv[1]))
cols = {c["name"]: c for c in d["data_model"]["columns"]}
assert cols["channel_id"]["type"] == "VARCHAR" and cols["channel_name"]["role"] == "attribute", cols
rows = {r["channel_id"]: r["channel_name"] for r in d["transformation"]["test_run"]["sample_rows"]}
assert rows == {"1": "Web shop", "2": "Phone"}, rows
PY
"$DPGEN" generate --db "$WORK/wide.duckdb" --models "$S/tests/data/wide/semantic_models.yml" --format json --no-record \
  "monthly sales growth and return rate by store" >"$WORK/growth.json" 2>"$WORK/err"
python3 - "$WORK/growth.json" <<'PY' && ok "offset input and filtered numerator: said, or named after their metric" || bad "offset and filtered components"
import json, sys
d = json.load(open(sys.argv[1]))
cols = {c["name"]: c for c in d["data_model"]["columns"]}
dec = [s for s in d["execution"]["stages"] if s["stage"] == "modeling"][0]["decisions"]
assert any("sales_growth" in x and "another period" in x for x in dec), dec
assert "sales_prev" not in cols and "sales_amount" in cols, list(cols)
assert cols["returned_sales"]["role"] == "measure" and "own filter" in cols["returned_sales"]["added_because"], cols["returned_sales"]
assert cols["sale_count"]["type"] == "BIGINT", cols["sale_count"]
PY

# wide against asked on every catalog
python3 - "$S" "$WORK" "${WIDE_ONLY:-}" >"$WORK/jobs.json" <<'PY'
import json, os, re, sys
S, W, only = sys.argv[1:4]
glos = lambda d: f"{S}/tests/data/{d}/glossary.yml" if os.path.exists(f"{S}/tests/data/{d}/glossary.yml") else None
cats = {"demo": (f"{W}/demo.duckdb", f"{S}/catalog/demo/semantic_models.yml", f"{S}/catalog/demo/glossary.yml")}
for d in "hr logistics compiler fitness library joins keywords mfspec_conv mfspec_scd mfspec_time wide".split():
    cats[d] = (f"{W}/{d}.duckdb", f"{S}/tests/data/{d}/semantic_models.yml", glos(d))
cats["smanifest"] = (f"{W}/smanifest.duckdb", f"{S}/tests/data/smanifest/models", None)
reqs = {k: [] for k in cats}
# the trap suite's answers
for f in sorted(os.listdir(f"{S}/tests/traps")):
    if not f.endswith(".txt"):
        continue
    for block in open(f"{S}/tests/traps/{f}").read().split("\n\n"):
        m = re.search(r"^case:\s*[^|]*\|\s*(\w+)\s*\|\s*([0-9-]+)\s*\|\s*(.+)$", block, re.M)
        if m and re.search(r"^expect:\s*answer", block, re.M) and m.group(1) in reqs:
            reqs[m.group(1)].append(m.group(3).strip())
# each catalog's requests (a "!" line is refused both ways)
for d in cats:
    p = f"{S}/tests/data/{d}/requests.txt"
    if os.path.exists(p):
        for line in open(p):
            line = line.strip().lstrip("!").strip()
            if line and not line.startswith("#"):
                reqs[d].append(line.split() if line.startswith("--saved-query") else line)
reqs["wide"] += ["sales per unit by store", "monthly return rate by store", "top 2 stores by sales",
                 "monthly sales growth by store", "sales margin by store", "average sale by store",
                 "stores with sales above 10", "sales per unit by region", "sales per unit by sales channel",
                 "monthly return rate by store and sales channel"]
# semantic_manifest's twin: percentiles, conversion, semi-additive, offsets
reqs["smanifest"] += ["monthly revenue", "aov by region", "large paid orders by month", "median order amount by device",
                      "90th percentile order amount by month", "paid order share by month", "revenue growth by month",
                      "cumulative revenue by month", "visit to order conversion rate by month", "total balance by month",
                      "revenue at month start by month", "orders per day including empty days in March 2025",
                      "orders by customer region and device", "orders by tier"]
reqs["demo"] += ["Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
                 "top 5 campaigns by roas", "monthly ctr by channel for mobile", "ctr and cpa by campaign and device",
                 "weekly cvr by campaign in Q2 2025", "ctr by campaign with ctr above 0.02",
                 "clicks and ctr by campaign above 1000 clicks", "top 3 customers by revenue for each segment"]
jobs = []
for k, (db, models, g) in cats.items():
    if only and k != only:
        continue
    seen, rs = set(), []
    for r in reqs[k]:
        key = json.dumps(r)
        if key not in seen:
            seen.add(key)
            rs.append(r)
    jobs.append({"catalog": k, "db": db, "models": models, "glossary": g, "as_of": "2025-07-16", "requests": rs})
print(json.dumps(jobs))
PY
if python3 "$S/tests/e2e/wide.py" "$DPGEN" "$WORK" "$WORK/jobs.json" >"$WORK/wide.out" 2>&1; then
  ok "wide = asked on every catalog: $(tail -1 "$WORK/wide.out")"
  n=$(sed -n 's/^ratios checked against their components: //p' "$WORK/wide.out")
  [ -n "${WIDE_ONLY:-}" ] || [ "${n:-0}" -ge 20 ] && ok "$n ratios equal their components' quotient" || bad "only ${n:-0} ratios checked against their components"
else
  grep -v '^ok' "$WORK/wide.out"
  bad "wide and asked differ: $(tail -1 "$WORK/wide.out")"
fi
finish
