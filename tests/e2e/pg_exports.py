#!/usr/bin/env python3
"""The exports of --dialect postgres run on PostgreSQL (driven by pg_exports.sh).

For the demo and the hr catalog: the bronze tables are loaded into a
private PostgreSQL server; the product is built there from the spec's
PostgreSQL SQL as <schema>.<table>; then every statement of
sql/assertions.sql and every expectation of the GX suite (translated to
SQL: unexpected_rows_expectation's query with {batch} as the table, the
column expectations as failing-rows queries) finds the failing rows the
spec recorded; and with the product's table dropped, every assertion on it
fails (an error or a row).

    pg_exports.py --dpgen BIN --work DIR --psql PSQL --host SOCKDIR --port N --user NAME --source DIR
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

A = None
counts = [0, 0]


def ok(msg):
    counts[0] += 1
    print("ok   " + msg, flush=True)


def bad(msg):
    counts[1] += 1
    print("FAIL " + msg, flush=True)


def run(cmd, what, timeout=120):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (what, p.returncode, (p.stderr or p.stdout).strip()[-600:]))
    return p.stdout


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def psql(db, sql, name):
    path = os.path.join(A.work, name + ".pg.sql")
    with open(path, "w") as f:
        f.write(sql)
    return run([A.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", A.host, "-p", str(A.port), "-U", A.user,
                "-d", db, "-f", path], "psql " + name)


def pg_count(db, sql, name):
    """Rows sql returns on PostgreSQL, or None when it fails."""
    try:
        return int(psql(db, "SELECT count(*) FROM (\n%s\n) AS t;\n" % sql, name).strip())
    except RuntimeError:
        return None


def duck(sql, name):
    path = os.path.join(A.work, name + ".sql")
    with open(path, "w") as f:
        f.write(sql)
    out = os.path.join(A.work, name + ".scratch.duckdb")
    try:
        run([A.dpgen, "demo", "--sql", path, "--out", out], "duckdb " + name)
    finally:
        if os.path.exists(out):
            os.remove(out)


TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "TINYINT": "smallint",
         "DOUBLE": "double precision", "FLOAT": "real", "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean",
         "HUGEINT": "numeric(39,0)", "UUID": "uuid"}


def pg_type(t):
    m = re.match(r"^DECIMAL\((\d+),\s*(\d+)\)$", t.strip().upper())
    if m:
        return "numeric(%s,%s)" % m.groups()
    return TYPES[t.strip().upper()]


def load(dom, db):
    """The DuckDB file's tables (every schema but main) into PostgreSQL database dp_<dom>."""
    cols = os.path.join(A.work, dom + ".columns.csv")
    duck("ATTACH %s AS src (READ_ONLY);\nCOPY (SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()"
         " WHERE database_name = 'src' AND schema_name <> 'main' ORDER BY 1, 2, column_index) TO %s (HEADER);\n"
         % (lit(db), lit(cols)), dom + ".columns")
    tables = {}
    with open(cols, newline="") as f:
        for schema, table, col, typ in list(csv.reader(f))[1:]:
            tables.setdefault((schema, table), []).append((col, typ))
    script = "ATTACH %s AS src (READ_ONLY);\n" % lit(db)
    for (schema, table) in tables:
        script += "COPY src.%s.%s TO %s (HEADER, NULLSTR '\\N');\n" % (
            ident(schema), ident(table), lit(os.path.join(A.work, "%s.%s.%s.csv" % (dom, schema, table))))
    duck(script, dom + ".export")
    psql("postgres", "CREATE DATABASE %s;\n" % ident("dp_" + dom), "createdb_" + dom)
    sql = "SET client_min_messages = warning;\n"
    for schema in sorted({s for s, _ in tables}):
        sql += "CREATE SCHEMA IF NOT EXISTS %s;\n" % ident(schema)
    for (schema, table), cs in tables.items():
        sql += "CREATE TABLE %s.%s (%s);\n" % (ident(schema), ident(table),
                                               ", ".join("%s %s" % (ident(c), pg_type(t)) for c, t in cs))
        sql += "\\copy %s.%s FROM %s WITH (FORMAT csv, HEADER, NULL '\\N')\n" % (
            ident(schema), ident(table), lit(os.path.join(A.work, "%s.%s.%s.csv" % (dom, schema, table))))
    psql("dp_" + dom, sql, "load_" + dom)
    ok("%s: %d tables loaded into PostgreSQL" % (dom, len(tables)))


def statements(path):
    """(rule id, SQL) of each assertion of sql/assertions.sql."""
    text = open(path).read()
    out = []
    for m in re.finditer(r"\n-- (Q\d+) [^\n]*\n(?:--[^\n]*\n)*(SELECT .*?);\n", text, re.S):
        out.append((m.group(1), m.group(2)))
    return out


def gx_sql(e, table):
    t, kw = e["type"], e["kwargs"]
    col = ident(kw["column"]) if "column" in kw else None
    if t == "unexpected_rows_expectation":
        q = kw["unexpected_rows_query"]
        q = q.replace("{batch}", "\x00").replace("{{", "{").replace("}}", "}").replace("\\:", ":")
        return q.replace("\x00", table)
    if t == "expect_column_values_to_not_be_null":
        return "SELECT * FROM %s WHERE %s IS NULL" % (table, col)
    if t == "expect_compound_columns_to_be_unique":
        cl = ", ".join(ident(c) for c in kw["column_list"])
        return "SELECT %s FROM %s GROUP BY %s HAVING count(*) > 1" % (cl, table, cl)
    if t == "expect_column_values_to_be_unique":
        return "SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s HAVING count(*) > 1" % (col, table, col, col)
    if t == "expect_column_values_to_be_between":
        lo = "%s < %s" % (col, kw["min_value"]) if "min_value" in kw else "FALSE"
        hi = "%s > %s" % (col, kw["max_value"]) if "max_value" in kw else "FALSE"
        return "SELECT * FROM %s WHERE %s OR %s" % (table, lo, hi)
    if t == "expect_column_values_to_be_in_set":
        return "SELECT * FROM %s WHERE %s NOT IN (%s)" % (table, col, ", ".join(lit(v) for v in kw["value_set"]))
    if t == "expect_column_pair_values_a_to_be_greater_than_b":
        # GX: a row with a NULL is ignored (either_value_is_missing); or_equal lets A = B pass
        assert kw.get("ignore_row_if") == "either_value_is_missing", kw
        a, b = ident(kw["column_A"]), ident(kw["column_B"])
        op = ">=" if kw.get("or_equal") else ">"
        return "SELECT * FROM %s WHERE %s IS NOT NULL AND %s IS NOT NULL AND NOT (%s %s %s)" % (table, a, b, a, op, b)
    if t == "expect_table_row_count_to_be_between":
        hi = " OR count(*) > %d" % kw["max_value"] if "max_value" in kw else ""
        return "SELECT count(*) FROM %s HAVING count(*) < %d%s" % (table, kw["min_value"], hi)
    raise RuntimeError("no translation for " + t)


def check(dom, catalog, request, n):
    out = os.path.join(A.work, "%s_out%d" % (dom, n))
    run([A.dpgen, "generate", "--no-record", "--as-of", "2025-07-16", "--dialect", "postgres", "--out", out] + catalog +
        [request], "generate " + request)
    spec = json.load(open(os.path.join(out, "spec.json")))
    target = spec["data_model"]["target_table"]
    schema, table = target.split(".", 1)
    qt = "%s.%s" % (ident(schema), ident(table))
    rules = {r["id"]: r for r in spec["quality"]["rules"]}
    db = "dp_" + dom
    psql(db, "SET client_min_messages = warning;\nCREATE SCHEMA IF NOT EXISTS %s;\nDROP TABLE IF EXISTS %s;\n"
         "CREATE TABLE %s AS\n%s;\n" % (ident(schema), qt, qt, spec["transformation"]["sql"].rstrip().rstrip(";")),
         "build_%s_%d" % (dom, n))
    rows = pg_count(db, "SELECT * FROM %s" % qt, "rows_%s_%d" % (dom, n))
    if rows != spec["transformation"]["test_run"]["rows"]:
        bad("%s: the product has %s rows on PostgreSQL, the test run %d" % (request, rows,
                                                                             spec["transformation"]["test_run"]["rows"]))
    stmts = statements(os.path.join(out, "sql", "assertions.sql"))
    if len(stmts) != len(rules):
        bad("%s: %d assertions for %d rules" % (request, len(stmts), len(rules)))
    wrong = []
    for rid, sql in stmts:
        got = pg_count(db, sql, "assert_%s_%d_%s" % (dom, n, rid))
        if got != rules[rid]["result"]["failing_rows"]:
            wrong.append("%s %s: %s rows, recorded %s" % (rid, rules[rid]["type"], got, rules[rid]["result"]["failing_rows"]))
    gx = json.load(open(os.path.join(out, "gx", spec["metadata"]["name"] + "_suite.json")))
    for k, e in enumerate(gx["expectations"]):
        rule = rules[e["meta"]["rule_id"]]
        got = pg_count(db, gx_sql(e, qt), "gx_%s_%d_%d" % (dom, n, k))
        want = rule["result"]["failing_rows"]
        if e["type"] == "expect_table_row_count_to_be_between":
            got, want = got == 0, rule["result"]["status"] == "passed"
        if got != want:
            wrong.append("GX %s of %s: %s, recorded %s" % (e["type"], rule["id"], got, want))
    psql(db, "DROP TABLE %s;\n" % qt, "drop_%s_%d" % (dom, n))
    for rid, sql in stmts:
        on_product = target in rules[rid]["sql"] or rules[rid]["type"] == "types"
        if on_product and pg_count(db, sql, "missing_%s_%d_%s" % (dom, n, rid)) == 0:
            wrong.append("%s %s passes without the product's table" % (rid, rules[rid]["type"]))
    if wrong:
        bad("%s (%s): %s" % (request, dom, "; ".join(wrong)))
    else:
        ok("%s (%s): %d assertions and %d GX expectations agree with the spec on PostgreSQL, and fail without the table"
           % (request, dom, len(stmts), len(gx["expectations"])))


def main():
    global A
    ap = argparse.ArgumentParser()
    for opt in ("--dpgen", "--work", "--psql", "--host", "--port", "--user", "--source"):
        ap.add_argument(opt, required=True)
    A = ap.parse_args()
    demo = os.path.join(A.work, "demo.duckdb")
    hr = os.path.join(A.work, "hr.duckdb")
    cases = {
        "demo": (["--db", demo, "--models", os.path.join(A.source, "catalog/demo/semantic_models.yml"),
                  "--glossary", os.path.join(A.source, "catalog/demo/glossary.yml")],
                 ["Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
                  "Daily sales by region and product category"]),
        "hr": (["--db", hr, "--models", os.path.join(A.source, "tests/data/hr/semantic_models.yml"),
                "--glossary", os.path.join(A.source, "tests/data/hr/glossary.yml")],
               ["Absence rate by department per quarter in 2025", "Monthly headcount by department"]),
    }
    try:
        run([A.dpgen, "demo", "--scale", "0.05", "--out", demo], "build demo")
        run([A.dpgen, "demo", "--sql", os.path.join(A.source, "tests/data/hr/data.sql"), "--out", hr], "build hr")
    except Exception as e:
        bad(str(e))
        return
    for dom, (catalog, requests) in cases.items():
        try:
            load(dom, demo if dom == "demo" else hr)
        except Exception as e:
            bad("load %s: %s" % (dom, e))
            continue
        for n, req in enumerate(requests):
            try:
                check(dom, catalog, req, n)
            except Exception as e:
                bad("%s (%s): %s" % (req, dom, e))


if __name__ == "__main__":
    main()
    with open(os.path.join(A.work, "counts"), "w") as f:
        f.write("%d %d\n" % tuple(counts))
    sys.exit(0)
