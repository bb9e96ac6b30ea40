"""The wide product (the default) against the narrow one (--columns asked),
driven by wide.sh. For each request, both runs must agree on the exit
status; when they answer:
  - each spec's data_model.columns[].type equals the test run's
    result_schema type, column by column, and schema_check matches;
  - the narrow product's columns are the wide one's without its added
    columns, in the same order; each added column says added_because, is an
    attribute or a measure (a measure names the metric it is a component of),
    and lineage.columns covers every column;
  - the modeling stage's decision counts the attributes and measures added;
  - run on the same DuckDB file (read-only, through `dpgen demo --sql`),
    both have the same rows in the same order, and the wide one's value of
    every narrow column is the narrow one's, text for text;
  - where a ratio's numerator and denominator are both columns, the ratio is
    their quotient (NULL where the denominator is 0 or NULL).

usage: wide.py DPGEN WORK JOBS.json
JOBS.json: [{"catalog", "db", "models", "glossary"?, "as_of", "requests": ["text" | ["--saved-query", "NAME"]]}]
Prints one ok/FAIL line per request and "N passed, N failed"; exit 1 on any failure.
"""
import csv, json, re, subprocess, sys

dpgen, work, jobs_file = sys.argv[1:4]
jobs = json.load(open(jobs_file))
passed = failed = 0
ratios_checked = 0  # ratio columns checked against their components, so the check means something


def run(job, req, narrow):
    cmd = [dpgen, "generate", "--db", job["db"], "--models", job["models"], "--as-of", job["as_of"], "--format", "json",
           "--no-record"]
    if job.get("glossary"):
        cmd += ["--glossary", job["glossary"]]
    if narrow:
        cmd += ["--columns", "asked"]
    cmd += req if isinstance(req, list) else ["--", req]
    return subprocess.run(cmd, capture_output=True, text=True)


def spec_checks(spec, wide):
    dm = spec["data_model"]["columns"]
    tr = spec["transformation"]["test_run"]
    rs = tr.get("result_schema") or []
    if [c["name"] for c in dm] != [c["name"] for c in rs]:
        return f"result columns {[c['name'] for c in rs]} != design {[c['name'] for c in dm]}"
    for c, r in zip(dm, rs):
        if c["type"] != r["type"]:
            return f"{c['name']}: designed {c['type']}, the test run gave {r['type']}"
    if not tr.get("schema_check", {}).get("matches"):
        return f"schema_check: {tr.get('schema_check')}"
    added = [c for c in dm if c.get("added")]
    if not wide and added:
        return f"--columns asked added {[c['name'] for c in added]}"
    for c in added:
        if c["role"] not in ("attribute", "measure") or not c.get("added_because"):
            return f"added column {c['name']}: role {c['role']}, added_because {c.get('added_because')!r}"
        if c["role"] == "measure" and not c.get("component_of"):
            return f"measure {c['name']} names no metric"
    lineage = {c["column"] for c in spec["lineage"]["columns"]}
    missing = [c["name"] for c in dm if c["name"] not in lineage]
    if missing:
        return f"lineage misses {missing}"
    decisions = [s for s in spec["execution"]["stages"] if s["stage"] == "modeling"][0]["decisions"]
    if wide:
        na = sum(c["role"] == "attribute" for c in added)
        nm = sum(c["role"] == "measure" for c in added)
        want = f"added {na} attribute(s) and {nm} component measure(s)"
        if not any(d.startswith(want) for d in decisions):
            return f"no decision '{want}' in {decisions}"
    return None


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def ratio_checks(spec, head, rows):
    """X = numerator / denominator where both are columns of the product."""
    global ratios_checked
    cols = spec["data_model"]["columns"]
    parts = {}
    for c in cols:
        for part, metric in re.findall(r"(numerator|denominator) of (\w+)", c.get("added_because") or ""):
            parts.setdefault(metric, {})[part] = c["name"]
    for m, p in parts.items():
        if m not in head or "numerator" not in p or "denominator" not in p:
            continue
        mi, ni, di = head.index(m), head.index(p["numerator"]), head.index(p["denominator"])
        ratios_checked += 1
        for row in rows:
            x, n, d = num(row[mi]) if row[mi] else None, num(row[ni]) if row[ni] else None, num(row[di]) if row[di] else None
            if d in (None, 0.0) or n is None:
                if x is not None and d in (None, 0.0):
                    return f"{m} = {row[mi]} where {p['denominator']} is {row[di]!r}"
                continue
            if x is None or abs(x - n / d) > max(1e-9, 1e-9 * abs(x)):
                return f"{m} = {row[mi]}, but {p['numerator']} / {p['denominator']} = {n} / {d}"
    return None


def read(path):
    with open(path, newline="") as f:
        r = list(csv.reader(f))
    return r[0], r[1:]


n = 0
for job in jobs:
    pending = []
    for req in job["requests"]:
        label = f"{job['catalog']}: {req if isinstance(req, str) else ' '.join(req)}"
        w, a = run(job, req, False), run(job, req, True)
        if w.returncode != a.returncode:
            print(f"FAIL {label}: exit {w.returncode} wide, {a.returncode} asked: {(w.stderr + a.stderr).strip()[-300:]}")
            failed += 1
            continue
        if w.returncode != 0:
            print(f"ok   {label}: both exit {w.returncode}")
            passed += 1
            continue
        ws, as_ = json.loads(w.stdout), json.loads(a.stdout)
        why = spec_checks(ws, True) or spec_checks(as_, False)
        wn = [c["name"] for c in ws["data_model"]["columns"] if not c.get("added")]
        an = [c["name"] for c in as_["data_model"]["columns"]]
        if not why and wn != an:
            why = f"wide without its added columns {wn} != asked {an}"
        if why:
            print(f"FAIL {label}: {why}")
            failed += 1
            continue
        n += 1
        pending.append((label, n, ws, as_))
    if not pending:
        continue
    script = f"{work}/wide_{job['catalog']}.sql"
    with open(script, "w") as f:
        f.write(f"ATTACH '{job['db']}' AS src (READ_ONLY);\nUSE src;\n")
        for label, i, ws, as_ in pending:
            f.write(f"COPY ({ws['transformation']['sql']}\n) TO '{work}/w{i}.csv' (HEADER);\n")
            f.write(f"COPY ({as_['transformation']['sql']}\n) TO '{work}/a{i}.csv' (HEADER);\n")
    r = subprocess.run([dpgen, "demo", "--sql", script, "--out", f"{work}/scratch_{job['catalog']}.duckdb"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL {job['catalog']}: running the products: {r.stderr.strip()[-400:]}")
        failed += len(pending)
        continue
    for label, i, ws, as_ in pending:
        wh, wr = read(f"{work}/w{i}.csv")
        ah, ar = read(f"{work}/a{i}.csv")
        why = None
        if len(wr) != len(ar):
            why = f"{len(wr)} rows wide, {len(ar)} asked"
        else:
            idx = [wh.index(h) for h in ah]
            for k, (x, y) in enumerate(zip(wr, ar)):
                proj = [x[j] for j in idx]
                if proj != y:
                    why = f"row {k + 1}: wide {dict(zip(ah, proj))} != asked {dict(zip(ah, y))}"
                    break
        why = why or ratio_checks(ws, wh, wr)
        added = len(wh) - len(ah)
        print(("ok   " if not why else "FAIL ") + label + (f": {why}" if why else f" ({len(ar)} rows, {added} column(s) added)"))
        passed += not why
        failed += bool(why)
print(f"ratios checked against their components: {ratios_checked}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
