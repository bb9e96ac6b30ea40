"""Runs dpgen on requests and compares the result of its SQL with a gold
query on the same DuckDB file (both exported with COPY through
`dpgen demo --sql`). Columns are matched by name, rows as multisets (in order
when ordered is set), numbers to 1e-6 relative or 5e-5 absolute.

usage: sqlcompare.py DPGEN DB MODELS CASES.json WORKDIR
CASES.json: [{"request": ..., "gold": ..., "ordered": false, "clarify": false, "args": []}]
"""
import csv, json, os, subprocess, sys

dpgen, db, models, cases_file, work = sys.argv[1:6]
cases = json.load(open(cases_file))


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def same(a, b):
    if a == b:
        return True
    if a[:10] == b[:10] and (a[10:] in ("", " 00:00:00") and b[10:] in ("", " 00:00:00")):
        return True  # DATE vs midnight TIMESTAMP
    x, y = num(a), num(b)
    return x is not None and y is not None and abs(x - y) <= max(5e-5, 1e-6 * abs(y))


def read(path):
    with open(path) as f:
        r = list(csv.reader(f))
    return r[0], r[1:]


def key(row):
    return tuple((round(float(v), 4) if num(v) is not None else v) for v in row)


passed = failed = 0
for i, c in enumerate(cases):
    req = c["request"]
    # "args": options before the request ("--saved-query", "NAME" with an empty request)
    run = subprocess.run([dpgen, "generate", "--db", db, "--models", models, "--format", "json", "--no-record"]
                         + c.get("args", []) + ([req] if req else []), capture_output=True, text=True)
    req = req or " ".join(c.get("args", []))
    if c.get("clarify"):
        # a refusal prints no spec; with --format json, its clarification
        ok = run.returncode == 3 and (not run.stdout.strip() or list(json.loads(run.stdout)) == ["clarification"])
        print(("ok  " if ok else "FAIL"), req, "" if ok else f"(exit {run.returncode})")
        passed += ok
        failed += not ok
        continue
    if run.returncode != 0:
        print("FAIL", req, "exit", run.returncode, run.stderr.strip()[-300:])
        failed += 1
        continue
    sql = json.loads(run.stdout)["transformation"]["sql"]
    gen_csv, gold_csv = f"{work}/gen{i}.csv", f"{work}/gold{i}.csv"
    script = f"{work}/cmp{i}.sql"
    with open(script, "w") as f:
        f.write(f"ATTACH '{db}' AS src (READ_ONLY);\nUSE src;\n")
        f.write(f"COPY ({sql}) TO '{gen_csv}' (HEADER);\n")
        f.write(f"COPY ({c['gold']}) TO '{gold_csv}' (HEADER);\n")
    r = subprocess.run([dpgen, "demo", "--sql", script, "--out", f"{work}/scratch{i}.duckdb"], capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL", req, "running:", r.stderr.strip()[-400:])
        failed += 1
        continue
    gh, gr = read(gold_csv)
    ch, cr = read(gen_csv)
    missing = [h for h in gh if h not in ch]
    why = None
    if missing:
        why = f"columns {missing} not in {ch}"
    else:
        idx = [ch.index(h) for h in gh]
        proj = [[row[j] for j in idx] for row in cr]
        if len(proj) != len(gr):
            why = f"{len(proj)} rows, gold has {len(gr)}"
        else:
            a, b = (proj, gr) if c.get("ordered") else (sorted(proj, key=key), sorted(gr, key=key))
            for x, y in zip(a, b):
                if not all(same(p, q) for p, q in zip(x, y)):
                    why = f"row {x} != gold {y}"
                    break
    print(("ok  " if not why else "FAIL"), req, why or f"({len(gr)} rows)")
    if why:
        print("    SQL:\n" + "\n".join("    " + l for l in sql.splitlines()))
    passed += not why
    failed += bool(why)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
