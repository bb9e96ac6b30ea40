#!/usr/bin/env python3
"""PostgreSQL parity of the benchmark cases (driven by pg_parity.sh).

For every case of cases.yml that expects an answer, dpgen generates the
transformation with --dialect postgres; the PostgreSQL SQL runs on a private
PostgreSQL server holding the same bronze tables as the domain's DuckDB file,
the DuckDB SQL runs on that file (exported with COPY through `dpgen demo
--sql`), and both results must be equal: rows as multisets (and in the same
order when the query orders them), numbers to 1e-6 relative or 5e-5
absolute, a DATE equal to the same day's midnight TIMESTAMP.

    pg_parity.py --dpgen BIN --bench DIR --work DIR --psql PSQL --host SOCKDIR --port N --user NAME

Prints one "ok"/"FAIL" line per check and writes "passes fails" to WORK/counts.
"""
import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time

NULL = "\\N"
A = None  # parsed arguments
passes = 0
fails = 0


def ok(msg):
    global passes
    passes += 1
    print("ok   " + msg, flush=True)


def bad(msg):
    global fails
    fails += 1
    print("FAIL " + msg, flush=True)


# ---------------------------------------------------------------- cases.yml

def parse_cases(text):
    """cases.yml: PyYAML when present, else a reader for its simple shape
    (a list of mappings of scalars, `|` block scalars and [a, b] lists)."""
    try:
        import yaml  # noqa: F401
    except ImportError:
        return parse_cases_plain(text)
    return yaml.safe_load(text)


def _scalar(v):
    v = v.strip()
    if v.startswith("[") and v.endswith("]"):
        return [_scalar(x) for x in v[1:-1].split(",") if x.strip()]
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1].replace("''", "'") if v[0] == "'" else json.loads(v)
    return v


def parse_cases_plain(text):
    cases, cur = [], None
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith("- "):
            cur = {}
            cases.append(cur)
            line = "  " + line[2:]
        m = re.match(r"^( +)([A-Za-z_][A-Za-z0-9_]*):(.*)$", line)
        if not m or cur is None:
            raise ValueError("cases.yml: cannot read line %d: %r" % (i, line))
        key, rest = m.group(2), m.group(3).strip()
        if rest in ("|", "|-", ">", ">-"):
            block = []
            indent = None
            while i < len(lines):
                nxt = lines[i]
                if nxt.strip() == "":
                    block.append("")
                    i += 1
                    continue
                ind = len(nxt) - len(nxt.lstrip(" "))
                if ind <= len(m.group(1)):
                    break
                indent = ind if indent is None else indent
                block.append(nxt[indent:])
                i += 1
            while block and block[-1] == "":
                block.pop()
            cur[key] = "\n".join(block) + ("" if rest.endswith("-") else "\n")
        else:
            if " #" in rest and not rest.startswith(("'", '"')):
                rest = rest.split(" #", 1)[0]
            cur[key] = _scalar(rest)
    return cases


# ---------------------------------------------------------------- tools

def run(cmd, what, timeout=60, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (what, p.returncode, (p.stderr or p.stdout).strip()[-600:]))
    return p.stdout


def duck(sql, name):
    """Runs a DuckDB script through `dpgen demo --sql` (into a scratch file)."""
    path = os.path.join(A.work, name + ".sql")
    with open(path, "w") as f:
        f.write(sql)
    out = os.path.join(A.work, "scratch", name + ".duckdb")
    try:
        run([A.dpgen, "demo", "--sql", path, "--out", out], "duckdb " + name, timeout=120)
    finally:
        if os.path.exists(out):
            os.remove(out)


def psql(db, sql, name, timeout=60):
    path = os.path.join(A.work, name + ".pg.sql")
    with open(path, "w") as f:
        f.write(sql)
    cmd = [A.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", A.host, "-p", str(A.port), "-U", A.user,
           "-d", db, "-f", path]
    return run(cmd, "psql " + name, timeout=timeout, cwd=A.work)


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def parse_csv_text(text):
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


# DuckDB type -> PostgreSQL type
SIMPLE_TYPES = {
    "VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint",
    "TINYINT": "smallint", "UTINYINT": "smallint", "USMALLINT": "integer", "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)", "HUGEINT": "numeric(39,0)", "UHUGEINT": "numeric(39,0)",
    "DOUBLE": "double precision", "FLOAT": "real", "DATE": "date", "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp", "TIMESTAMP_MS": "timestamp", "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz", "TIME": "time", "BOOLEAN": "boolean",
    "INTERVAL": "interval", "UUID": "uuid",
}


def pg_type(t):
    t = t.strip().upper()
    m = re.match(r"^DECIMAL\((\d+),\s*(\d+)\)$", t)
    if m:
        return "numeric(%s,%s)" % (m.group(1), m.group(2))
    if t in SIMPLE_TYPES:
        return SIMPLE_TYPES[t]
    raise RuntimeError("no PostgreSQL type for DuckDB type " + t)


# ---------------------------------------------------------------- comparison

NUM = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$")


def norm(v):
    if v == NULL:
        return None
    if NUM.match(v):
        return float(v)
    if v in ("true", "t"):
        return True
    if v in ("false", "f"):
        return False
    if v in ("NaN", "Infinity", "-Infinity", "inf", "-inf", "nan"):
        return float(v.replace("Infinity", "inf"))
    m = MIDNIGHT.match(v)
    return m.group(1) if m else v


def close(a, b):
    if isinstance(a, float) and isinstance(b, float) and not isinstance(a, bool):
        if a == b:
            return True
        return abs(a - b) <= max(5e-5, 1e-6 * max(abs(a), abs(b)))
    return a == b and type(a) is type(b)


def row_close(r, s):
    return len(r) == len(s) and all(close(x, y) for x, y in zip(r, s))


def exact_part(r):
    return tuple(repr(x) for x in r if not isinstance(x, float))


def same_multiset(a, b):
    """None when the row multisets are equal, else a reason."""
    if len(a) != len(b):
        return "row count: duckdb %d, postgres %d" % (len(a), len(b))
    buckets = {}
    for r in b:
        buckets.setdefault(exact_part(r), []).append(r)
    for r in a:
        cands = buckets.get(exact_part(r), [])
        hit = next((k for k, s in enumerate(cands) if row_close(r, s)), None)
        if hit is None:
            near = cands[0] if cands else None
            return "duckdb row %s has no match in postgres%s" % (
                r, " (closest %s)" % (near,) if near else "")
        cands.pop(hit)
    return None


def compare(duck_csv, pg_text, ordered):
    dh, drows = read_csv(duck_csv)
    ph, prows = parse_csv_text(pg_text)
    if [h.lower() for h in dh] != [h.lower() for h in ph]:
        return "columns: duckdb %s, postgres %s" % (dh, ph)
    dn = [[norm(v) for v in r] for r in drows]
    pn = [[norm(v) for v in r] for r in prows]
    why = same_multiset(dn, pn)
    if why:
        return why
    if ordered:
        for k, (r, s) in enumerate(zip(dn, pn)):
            if not row_close(r, s):
                return "same rows, different order at row %d: duckdb %s, postgres %s" % (k + 1, r, s)
    if not dn:
        return "both results are empty (the case checks nothing)"
    return None


# ---------------------------------------------------------------- main

DEMO_REQUESTS = [
    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
    "Daily sales by region and product category",
    "Customer 360 table: for each customer, orders, revenue, average order value, last order date, "
    "open support tickets and average satisfaction",
    "Revenue per day by customer region for the app channel in June 2025",
    "top 10 products by units sold",
    "Recommendation features per user and product: views, clicks, add to carts, purchases and average rating",
    # three datasets FULL JOINed on a key that is NULL in two of them (orphan orders)
    "Orders, revenue and support tickets by customer region",
    "Orders and open tickets by customer segment per month",
]


def main():
    global A
    ap = argparse.ArgumentParser()
    for opt in ("--dpgen", "--bench", "--work", "--psql", "--host", "--port", "--user"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--demo", action="store_true", help="also the built-in demo's showcase requests")
    ap.add_argument("--catalogs", nargs="*", default=[],
                    help="also these folders (data.sql, semantic_models.yml, glossary.yml, requests.txt)")
    A = ap.parse_args()
    os.makedirs(os.path.join(A.work, "scratch"), exist_ok=True)
    t0 = time.time()
    with open(os.path.join(A.bench, "cases.yml")) as f:
        cases = [c for c in parse_cases(f.read()) if (c.get("expect") or "answer") == "answer"]
    ddir = os.path.join(A.bench, "domains")
    domains = sorted({c["domain"] for c in cases})
    db = {d: os.path.join(A.work, d + ".duckdb") for d in domains}
    catalog = {d: ["--db", db[d], "--models", os.path.join(ddir, d, "semantic_models.yml")] for d in domains}
    build = {d: ["demo", "--sql", os.path.join(ddir, d, "data.sql"), "--out", db[d]] for d in domains}
    if A.demo:
        # the built-in demo (injected NULL and orphan keys), as a user runs it: no --db/--models
        db["demo"] = os.path.join(A.work, "demo.duckdb")
        os.environ["DPGEN_DEMO_DB"] = db["demo"]
        catalog["demo"] = []
        build["demo"] = ["demo", "--scale", "0.05", "--out", db["demo"]]
        domains.append("demo")
        cases += [{"id": "demo-%02d" % (k + 1), "domain": "demo", "request": r} for k, r in enumerate(DEMO_REQUESTS)]

    for folder in A.catalogs:
        # a test catalog: its answerable requests ("! request" lines expect a refusal)
        d = os.path.basename(os.path.normpath(folder))
        db[d] = os.path.join(A.work, d + ".duckdb")
        catalog[d] = ["--db", db[d], "--models", os.path.join(folder, "semantic_models.yml")]
        if os.path.exists(os.path.join(folder, "glossary.yml")):
            catalog[d] += ["--glossary", os.path.join(folder, "glossary.yml")]
        build[d] = ["demo", "--sql", os.path.join(folder, "data.sql"), "--out", db[d]]
        domains.append(d)
        with open(os.path.join(folder, "requests.txt")) as f:
            reqs = [r.strip() for r in f if r.strip() and not r.startswith("!")]
        cases += [{"id": "%s-%02d" % (d, k + 1), "domain": d, "request": r} for k, r in enumerate(reqs)]

    # 1. the domains' DuckDB files
    for d in list(domains):
        try:
            run([A.dpgen] + build[d], "build " + d, timeout=120)
        except Exception as e:
            bad("build %s: %s" % (d, e))
            domains.remove(d)
    if not domains:
        return
    # 2. their bronze tables: columns and types, then CSV exports
    attach = "".join("ATTACH %s AS %s (READ_ONLY);\n" % (lit(db[d]), ident("src_" + d)) for d in domains)
    cols_csv = os.path.join(A.work, "columns.csv")
    script = attach + ("COPY (SELECT substr(database_name, 5) AS domain, table_name, column_name, data_type\n"
                       "      FROM duckdb_columns() WHERE database_name LIKE 'src\\_%%' ESCAPE '\\' AND schema_name = 'bronze'\n"
                       "      ORDER BY 1, 2, column_index) TO %s (HEADER);\n" % lit(cols_csv))
    try:
        duck(script, "columns")
        _, crows = read_csv(cols_csv)
    except Exception as e:
        bad("list bronze columns: %s" % e)
        return
    tables = {}
    for dom, table, col, typ in crows:
        tables.setdefault(dom, {}).setdefault(table, []).append((col, typ))
    script = attach
    for dom in tables:
        for t in tables[dom]:
            script += "COPY %s.bronze.%s TO %s (HEADER, NULLSTR %s);\n" % (
                ident("src_" + dom), ident(t), lit(os.path.join(A.work, "%s.%s.csv" % (dom, t))), lit(NULL))
    try:
        duck(script, "export")
    except Exception as e:
        bad("export bronze tables: %s" % e)
        return
    # 3. the same tables in PostgreSQL, one database per domain
    loaded = set()
    for dom in domains:
        if dom not in tables:
            bad("domain %s has no bronze tables" % dom)
            continue
        try:
            psql("postgres", "CREATE DATABASE %s;\n" % ident("dp_" + dom), "createdb_" + dom)
            sql = "SET client_min_messages = warning;\nCREATE SCHEMA bronze;\n"
            for t, cols in tables[dom].items():
                sql += "CREATE TABLE bronze.%s (\n    %s\n);\n" % (
                    ident(t), ",\n    ".join("%s %s" % (ident(c), pg_type(ty)) for c, ty in cols))
                sql += "\\copy bronze.%s FROM %s WITH (FORMAT csv, HEADER, NULL %s)\n" % (
                    ident(t), lit(os.path.join(A.work, "%s.%s.csv" % (dom, t))), lit(NULL))
            sql += "ANALYZE;\n"
            sql += "SELECT %s;\n" % " || ' ' || ".join(
                "(SELECT count(*) FROM bronze.%s)::text" % ident(t) for t in tables[dom])
            counts = psql("dp_" + dom, sql, "load_" + dom).split()
            ok("postgres %s: %d tables, %s rows loaded" % (dom, len(tables[dom]), "+".join(counts)))
            loaded.add(dom)
        except Exception as e:
            bad("load %s into postgres: %s" % (dom, e))
    # 4. every case: both dialects, both engines
    for c in cases:
        cid, dom = c["id"], c["domain"]
        if dom not in loaded:
            bad("%s: domain %s is not loaded" % (cid, dom))
            continue
        try:
            # a test catalog's "--saved-query NAME" line answers that saved query
            req = c["request"].split() if c["request"].startswith("--saved-query ") else [c["request"]]
            out = run([A.dpgen, "generate", "--no-record"] + catalog[dom] +
                      ["--format", "json", "--dialect", "postgres"] + req, "generate")
            tx = json.loads(out)["transformation"]
            pg_sql, duck_sql = tx["sql"], tx.get("duckdb_sql")
            if tx.get("dialect") != "postgres" or not duck_sql:
                raise RuntimeError("the spec carries no postgres SQL beside duckdb_sql")
        except Exception as e:
            bad("%s (%s): %s" % (cid, c["request"], e))
            continue
        with open(os.path.join(A.work, cid + ".postgres.sql"), "w") as f:
            f.write(pg_sql)
        res = os.path.join(A.work, cid + ".duckdb.csv")
        try:
            duck("ATTACH %s AS src (READ_ONLY);\nUSE src;\nCOPY (\n%s\n) TO %s (HEADER, NULLSTR %s);\n" % (
                lit(db[dom]), duck_sql, lit(res), lit(NULL)), cid + ".duckdb")
        except Exception as e:
            bad("%s: the DuckDB SQL fails: %s" % (cid, e))
            continue
        try:
            got = psql("dp_" + dom, "SET statement_timeout = '30s';\nCOPY (\n%s\n) TO STDOUT WITH (FORMAT csv, HEADER, NULL %s);\n"
                       % (pg_sql, lit(NULL)), cid)
        except Exception as e:
            bad("%s: the PostgreSQL SQL fails: %s" % (cid, e))
            continue
        ordered = re.search(r"\bORDER\s+BY\b[^)]*$", pg_sql, re.I | re.S) is not None
        why = compare(res, got, ordered)
        if why:
            bad("%s (%s): results differ: %s" % (cid, c["request"], why))
        else:
            ok("%s: same %d rows in both dialects" % (cid, len(got.splitlines()) - 1))
    if "demo" in loaded:  # the demo's dbt project on PostgreSQL (pg_dbt.py)
        import pg_dbt
        pg_dbt.check(sys.modules[__name__], "dp_demo")
    print("(%d requests in %.1fs)" % (len(cases), time.time() - t0), flush=True)


if __name__ == "__main__":
    # stopped by the script's trap: end the running child too (subprocess.run kills it on the exception)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        main()
    except Exception as e:  # any surprise is a failure, never a silent pass
        bad("parity harness: %s: %s" % (type(e).__name__, e))
    with open(os.path.join(A.work, "counts") if A else "/dev/null", "w") as f:
        f.write("%d %d\n" % (passes, fails))
