"""The dbt project of `generate --dialect postgres --out` on PostgreSQL (run by
pg_parity.py once the demo is loaded): as dbt-postgres builds a model with an
enforced contract, the table is created with the contract's data types and
constraints and filled with the model's SQL; the contract check dbt makes
(each declared type, as PostgreSQL reports `cast(null as <data_type>)`,
against the type the model's column has) passes; and every rule's dbt test
(generic ones as the SQL dbt and dbt_utils run, singular ones as written)
finds the failing rows the spec recorded."""
import glob
import json
import os
import re

REQUESTS = [
    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
    "Daily sales by region and product category",
]


def resolve(sql, model):
    sql = re.sub(r"\{\{ config\(.*\) \}\}\n", "", sql)
    sql = re.sub(r"\{\{ source\('([^']+)', '([^']+)'\) \}\}", r"\1.\2", sql)
    sql = re.sub(r"\{\{ ref\('[^']+'\) \}\}", model, sql)
    assert "{{" not in sql and "{%" not in sql, sql[:200]
    return sql


def generic_sql(test, args, rel, column):
    if test == "not_null":
        return "select %s from %s where %s is null" % (column, rel, column)
    if test == "dbt_utils.expression_is_true":
        assert column is None
        return "select * from %s where not(%s)" % (rel, args["expression"])
    if test == "dbt_utils.unique_combination_of_columns":
        cols = ", ".join(args["combination_of_columns"])
        return "select %s from %s group by %s having count(*) > 1" % (cols, rel, cols)
    if test == "relationships":
        parent = resolve("{{ %s }}" % args["to"], "?")
        return ("with child as (select %s as from_field from %s where %s is not null), parent as (select %s as to_field "
                "from %s) select from_field from child left join parent on child.from_field = parent.to_field "
                "where parent.to_field is null" % (column, rel, column, args["field"], parent))
    raise AssertionError("unexpected generic test " + test)


def tests_of(node, rel, column, out):
    for t in node.get("data_tests") or []:
        for k, v in t.items():
            out.append((v["config"]["meta"]["dpgen_rule"], generic_sql(k, v.get("arguments") or {}, rel, column)))


def check(pp, dbname):
    """pp: the pg_parity module (its run, psql, ok, bad and arguments)."""
    try:
        import yaml
    except ImportError:
        pp.bad("dbt on postgres: needs PyYAML")
        return
    for n, req in enumerate(REQUESTS):
        out = os.path.join(pp.A.work, "pgdbt%d" % n)
        try:
            pp.run([pp.A.dpgen, "generate", "--no-record", "--dialect", "postgres", "--out", out, req], "generate")
            spec = json.load(open(os.path.join(out, "spec.json")))
            name = spec["metadata"]["name"]
            target = spec["data_model"]["target_table"]
            schema = yaml.safe_load(open(os.path.join(out, "dbt/models/schema.yml")))
            sources = yaml.safe_load(open(os.path.join(out, "dbt/models/sources.yml")))
            model = schema["models"][0]
            sql = resolve(open(os.path.join(out, "dbt/models/%s.sql" % name)).read(), "?")
            cols = [c["name"] for c in model["columns"]]
            defs = []
            for c in model["columns"]:
                defs.append("%s %s%s" % (c["name"], c["data_type"],
                                         " NOT NULL" if {"type": "not_null"} in c.get("constraints", []) else ""))
            for k in model.get("constraints", []):
                assert k["type"] == "primary_key", k
                defs.append("PRIMARY KEY (%s)" % ", ".join(k["columns"]))
            script = "SET client_min_messages = warning;\nCREATE SCHEMA IF NOT EXISTS %s;\n" % target.split(".")[0]
            script += "DROP TABLE IF EXISTS %s;\nCREATE TABLE %s (%s);\n" % (target, target, ", ".join(defs))
            script += "INSERT INTO %s (%s) SELECT %s FROM (\n%s\n) AS model_subq;\n" % (
                target, ", ".join(cols), ", ".join(cols), sql)
            # dbt's contract check: declared types as PostgreSQL reports them
            script += "CREATE TEMP VIEW declared AS SELECT %s;\n" % ", ".join(
                "cast(null as %s) as %s" % (c["data_type"], c["name"]) for c in model["columns"])
            script += "CREATE TEMP VIEW actual AS %s;\n" % sql
            script += ("SELECT 'type ' || d.attname || ' ' || format_type(d.atttypid, NULL) || ' ' || "
                       "format_type(a.atttypid, NULL) FROM pg_attribute d JOIN pg_attribute a ON a.attname = d.attname "
                       "AND a.attrelid = 'actual'::regclass WHERE d.attrelid = 'declared'::regclass AND d.attnum > 0 "
                       "AND d.atttypid <> a.atttypid;\n")
            tests = []
            tests_of(model, target, None, tests)
            for c in model["columns"]:
                tests_of(c, target, c["name"], tests)
            for s in sources["sources"]:
                assert "database" not in s, "a PostgreSQL source names no other database"
                for t in s["tables"]:
                    rel = "%s.%s" % (s["name"], t["name"])
                    tests_of(t, rel, None, tests)
                    for c in t.get("columns") or []:
                        tests_of(c, rel, c["name"], tests)
                    la = (t.get("config") or {}).get("loaded_at_field")
                    if la:  # dbt's freshness query must return a timestamp
                        script += "SELECT 'fresh ' || pg_typeof(max(%s))::text FROM %s;\n" % (la, rel)
            for path in glob.glob(os.path.join(out, "dbt/tests/*.sql")):
                text = open(path).read()
                tests.append((re.search(r"'dpgen_rule': '(Q\d+)'", text).group(1), resolve(text, target)))
            for rid, tsql in tests:
                script += "SELECT 'rule %s ' || count(*) FROM (\n%s\n) AS t;\n" % (rid, tsql)
            got = pp.psql(dbname, script, "pgdbt%d" % n, timeout=120)
        except Exception as e:
            pp.bad("dbt on postgres (%s): %s" % (req, e))
            continue
        lines = got.split("\n")
        # a column whose design type is not the test run's is the modeling
        # stage's to fix; the contract is checked on the others
        run_types = {c["name"]: c["type"] for c in spec["transformation"]["test_run"]["result_schema"]}
        untyped = [c["name"] for c in spec["data_model"]["columns"] if run_types.get(c["name"]) != c["type"]]
        mism = [l[5:] for l in lines if l.startswith("type ") and l.split()[1] not in untyped]
        stale = [l for l in lines if l.startswith("fresh ") and not l.startswith("fresh timestamp")]
        counts = dict(l.split()[1:3] for l in lines if l.startswith("rule "))
        want = {r["id"]: r["result"].get("failing_rows") for r in spec["quality"]["rules"] if r["type"] != "types"}
        diff = ["%s: %s, spec %s" % (k, counts.get(k), v) for k, v in want.items()
                if v is not None and counts.get(k) != str(v)]
        if len(counts) != len(tests) or set(counts) != set(want):
            diff.append("tests %s, rules %s" % (sorted(counts), sorted(want)))
        if mism or stale or diff:
            pp.bad("dbt on postgres (%s): contract types (declared, model's) differ: %s; freshness %s; tests %s"
                   % (name, mism, stale, diff))
        else:
            pp.ok("dbt on postgres: %s built with its contract, %d tests find the spec's failing rows%s"
                  % (name, len(tests), "; design types unlike the test run's, not compared: %s" % untyped
                     if untyped else ""))
