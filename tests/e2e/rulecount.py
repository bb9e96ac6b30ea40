"""Runs dpgen on requests and checks chosen quality rules of each spec: the
status, and the failing-row count against a hand-written SQL count over the
product (the test run's SQL materialized as the table `product`) and the
sources, run in DuckDB through `dpgen demo --sql`. Also checks, per case,
the data_model's keys (primary_keys, unique_key, per-column not_null).

usage: rulecount.py DPGEN DB MODELS|- CASES.json WORKDIR
CASES.json: [{"request", "args": [], "rules": [{"type", "column", "status",
  "count": "SELECT count(*) ...", "absent": false, "desc": ["words"]}],
  "primary_keys": [...], "unique_key": [...], "not_null": {"col": bool},
  "no_rule": [["type", "column"]]}]
"""
import csv, json, subprocess, sys

dpgen, db, models, cases_file, work = sys.argv[1:6]
cases = json.load(open(cases_file))
passed = failed = 0


def check(ok, what):
    global passed, failed
    print(("ok  " if ok else "FAIL"), what)
    passed += bool(ok)
    failed += not ok


for i, c in enumerate(cases):
    req = c["request"]
    # MODELS "-": the built-in demo catalog over DPGEN_DEMO_DB (= DB)
    where = [] if models == "-" else ["--db", db, "--models", models]
    args = [dpgen, "generate"] + where + ["--format", "json", "--no-record"] + c.get("args", [])
    run = subprocess.run(args + [req], capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"{req}: exit {run.returncode} {run.stderr.strip()[-300:]}")
        continue
    spec = json.loads(run.stdout)
    dm = spec["data_model"]
    for k in ("primary_keys", "unique_key"):
        if k in c:
            check(dm.get(k) == c[k], f"{req}: {k} {dm.get(k)} == {c[k]}")
    cols = {col["name"]: col for col in dm["columns"]}
    for name, want in c.get("not_null", {}).items():
        col = cols.get(name, {})
        got = col.get("not_null")
        check(got == want and (want or "not_null" not in col.get("constraints", [])) and (not want or not col.get("key_note")),
              f"{req}: {name} not_null {got} == {want}")
        if not want:
            check(col.get("primary_key") is False and "NULL" in col.get("key_note", ""), f"{req}: {name} says why it is no key")
    rules = spec["quality"]["rules"]
    # no error rule the spec's own test run fails by design
    if c.get("no_error_failed", True):
        bad = [r["id"] + " " + r["type"] for r in rules if r["severity"] == "error" and r["result"]["status"] != "passed"]
        check(not bad, f"{req}: no error rule failed {bad}")
    for t, col in c.get("no_rule", []):
        check(not [r for r in rules if r["type"] == t and r["column"] == col], f"{req}: no {t} rule on {col}")
    wanted = c.get("rules", [])
    counts = {}
    if any("count" in w for w in wanted):
        out = f"{work}/counts{i}.csv"
        script = f"{work}/count{i}.sql"
        sel = ", ".join(f"({w['count']}) AS c{j}" for j, w in enumerate(wanted) if "count" in w)
        with open(script, "w") as f:
            f.write(f"ATTACH '{db}' AS src (READ_ONLY);\nUSE src;\n")
            f.write(f"CREATE TEMP TABLE product AS {spec['transformation']['sql']};\n")
            f.write(f"COPY (SELECT {sel}) TO '{out}' (HEADER);\n")
        r = subprocess.run([dpgen, "demo", "--sql", script, "--out", f"{work}/scratch{i}.duckdb"], capture_output=True, text=True)
        if r.returncode != 0:
            check(False, f"{req}: hand counts: {r.stderr.strip()[-400:]}")
            continue
        with open(out) as f:
            rows = list(csv.reader(f))
        counts = dict(zip(rows[0], rows[1]))
    for j, w in enumerate(wanted):
        found = [r for r in rules if r["type"] == w["type"] and ("column" not in w or r["column"] == w["column"])
                 and all(word in r["description"] for word in w.get("desc", []))]
        what = f"{req}: {w['type']} {w.get('column', '')}"
        if not found:
            check(False, f"{what}: no such rule in {[(r['type'], r['column']) for r in rules]}")
            continue
        res = found[0]["result"]
        check(res["status"] == w["status"], f"{what}: status {res['status']} == {w['status']}")
        if "count" in w:
            want = int(counts[f"c{j}"])
            check(res.get("failing_rows") == want, f"{what}: failing_rows {res.get('failing_rows')} == hand count {want}")
        for k in ("id", "type", "column", "severity", "source", "dataset", "description", "definition", "sql"):
            if k not in found[0]:
                check(False, f"{what}: rule lacks {k}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
