"""Every quality rule's recorded result (status, failing rows, examples,
message) over the demo's defects and the test catalogs, as one JSON document,
so two binaries (or a binary and a pinned file) can be compared: how the
rules are run may change, what they find may not.

usage: rule_results.py DPGEN WORK OUT.json [--demo-scale S] [--catalogs a,b,...] [--compare OTHER.json]
  WORK: a folder for the databases and the states (reused when present)
  --compare: exit 1 and print the differences when OUT differs from OTHER
Each catalog has its own state: the first request that needs a source check
computes it, later ones read it from the cache (both paths are recorded;
whether a result came from the cache is part of it).
"""
import json, os, subprocess, sys

dpgen, work, out = sys.argv[1:4]
opts = sys.argv[4:]
scale = opts[opts.index("--demo-scale") + 1] if "--demo-scale" in opts else "0.05"
src = os.environ.get("DP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
default = "hr,logistics,keywords,fitness,compiler,joins,mfspec_time,mfspec_conv,mfspec_scd"
catalogs = (opts[opts.index("--catalogs") + 1] if "--catalogs" in opts else default).split(",")
compare = opts[opts.index("--compare") + 1] if "--compare" in opts else None
os.makedirs(work, exist_ok=True)

DEMO = [
    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
    "Daily sales by region and product category.",
    "Customer 360 table: for each customer, orders, revenue, average order value, last order date, open support tickets and average satisfaction.",
    "Recommendation features per user and product: views, clicks, add to carts, purchases, average rating.",
    "monthly spend by channel",
    "conversions by device and country",
    "top 5 campaigns by roas last quarter",
    "weekly clicks by device",
    "monthly revenue by customer country",
    "engagement by interaction type per week",
]


def rules_of(spec):
    res = []
    for r in spec.get("quality", {}).get("rules", []):
        x = r["result"]
        res.append({
            "id": r["id"], "type": r["type"], "column": r.get("column"), "severity": r["severity"],
            "dataset": r["dataset"], "status": x.get("status"),
            "failing_rows": x.get("failing_rows"), "examples": x.get("examples"),
            "message": x.get("message"), "cached": x.get("cached", False),
        })
    return res


def run(db, models, state, req, extra):
    args = [dpgen, "generate", "--no-record", "--format", "json"]
    env = dict(os.environ, DPGEN_STATE_DIR=state)
    if models:
        args += ["--db", db, "--models", models]
    else:  # the built-in demo catalog on this database
        env["DPGEN_DEMO_DB"] = db
    # "--saved-query NAME": the catalog's saved query, no request text
    tail = req.split() if req.startswith("--") else ["--", req]
    p = subprocess.run(args + extra + tail, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return {"exit": p.returncode}
    return {"exit": 0, "rules": rules_of(json.loads(p.stdout))}


results = {}
demo_db = os.path.join(work, f"demo{scale}.duckdb")
if not os.path.exists(demo_db):
    subprocess.run([dpgen, "demo", "--scale", scale, "--out", demo_db], check=True, capture_output=True)
state = os.path.join(work, "state-demo-" + os.path.basename(dpgen) + str(os.getpid()))
os.makedirs(state, exist_ok=True)
for req in DEMO:
    results["demo: " + req] = run(demo_db, None, state, req, ["--as-of", "2025-07-16"])
# the seed again: its source checks now come from the cache
results["demo (cached sources): " + DEMO[0]] = run(demo_db, None, state, DEMO[0], ["--as-of", "2025-07-16"])
for d in catalogs:
    D = os.path.join(src, "tests", "data", d)
    db = os.path.join(work, d + ".duckdb")
    if not os.path.exists(db):
        subprocess.run([dpgen, "demo", "--sql", os.path.join(D, "data.sql"), "--out", db], check=True,
                       capture_output=True)
    models = os.path.join(D, "semantic_models.yml")
    extra = ["--glossary", os.path.join(D, "glossary.yml")] if os.path.exists(os.path.join(D, "glossary.yml")) else []
    state = os.path.join(work, f"state-{d}-{os.getpid()}")
    os.makedirs(state, exist_ok=True)
    for line in open(os.path.join(D, "requests.txt")):
        line = line.strip()
        if not line or line.startswith("!"):
            continue
        results[f"{d}: {line}"] = run(db, models, state, line, extra + ["--as-of", "2025-07-16"])

with open(out, "w") as f:
    json.dump(results, f, indent=1, sort_keys=True)
nrules = sum(len(v.get("rules", [])) for v in results.values())
nfail = sum(1 for v in results.values() for r in v.get("rules", []) if r["status"] != "passed")
print(f"{len(results)} requests, {nrules} rules ({nfail} not passed) recorded in {out}")
if compare:
    other = json.load(open(compare))
    diffs = 0
    for k in sorted(set(results) | set(other)):
        a, b = results.get(k), other.get(k)
        if a == b:
            continue
        diffs += 1
        print("DIFF", k)
        if a and b and a.get("rules") and b.get("rules"):
            for ra, rb in zip(a["rules"], b["rules"]):
                if ra != rb:
                    print("  this: ", json.dumps(ra)[:600])
                    print("  other:", json.dumps(rb)[:600])
            if len(a["rules"]) != len(b["rules"]):
                print("  rule counts", len(a["rules"]), len(b["rules"]))
        else:
            print("  this: ", json.dumps(a)[:300])
            print("  other:", json.dumps(b)[:300])
    print(f"{diffs} request(s) differ")
    sys.exit(1 if diffs else 0)
