"""Family (e): data faults. The HR test database is copied and damaged
(NULLs everywhere, empty tables, duplicate keys, dates far out, NaN and
infinities, huge and control-byte strings, a change only in the WAL, a
truncated or corrupt file, a file another process holds, files that are
not DuckDB, a folder of bad CSV files); dpgen reads each read-only and
must answer or fail cleanly, leaving the files byte-identical."""
import json
import os
import shutil
import subprocess
import sys

import duck
from stress import build_db, compare_digest, state_intact, tree_digest

REQUESTS = ["Monthly headcount by department", "Average salary per department", "Total absence days by reason each quarter",
            "Monthly payroll cost by division", "Absence rate by department per quarter in 2025",
            "Top 5 departments by overtime hours in 2025", "Headcount by department excluding contractors"]
NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "FLOAT", "SMALLINT", "HUGEINT", "REAL")
SQL_FAULTS = ["nulls", "empty", "dupkeys", "future_dates", "extreme_dates", "nan_inf", "huge_strings", "control_strings",
              "negatives", "dropped_table", "text_in_numbers", "one_row"]
FILE_FAULTS = ["truncated_half", "truncated_4k", "truncated_0", "corrupt", "corrupt", "corrupt", "not_duckdb", "sqlite_file",
               "locked", "wal_only", "csv_folder", "empty_folder", "link_outside"]


def rewrite(cols, table_sql):
    """SQL that replaces every table with table_sql(schema, table, [(col, type)])."""
    tables = {}
    for s, t, c, ty in cols:
        tables.setdefault((s, t), []).append((c, ty))
    out = []
    for (s, t), cs in tables.items():
        sel = table_sql(s, t, cs)
        if sel:
            out.append('CREATE TABLE "%s"."__new" AS %s; DROP TABLE "%s"."%s"; ALTER TABLE "%s"."__new" RENAME TO "%s";'
                       % (s, sel, s, t, s, t))
    return " ".join(out)


def fault_sql(kind, cols):
    def each(f):
        return lambda s, t, cs: "SELECT %s FROM \"%s\".\"%s\"" % (", ".join('%s AS "%s"' % (f(c, ty), c) for c, ty in cs), s, t)
    if kind == "nulls":
        return rewrite(cols, each(lambda c, ty: "CAST(NULL AS %s)" % ty))
    if kind == "empty":
        return rewrite(cols, lambda s, t, cs: 'SELECT * FROM "%s"."%s" WHERE false' % (s, t))
    if kind == "dupkeys":
        return rewrite(cols, lambda s, t, cs: 'SELECT * FROM "%s"."%s" UNION ALL SELECT * FROM "%s"."%s"' % (s, t, s, t))
    if kind == "one_row":
        return rewrite(cols, lambda s, t, cs: 'SELECT * FROM "%s"."%s" LIMIT 1' % (s, t))
    if kind == "future_dates":
        return rewrite(cols, each(lambda c, ty: '"%s" + INTERVAL 100 YEAR' % c if ty in ("DATE", "TIMESTAMP") else '"%s"' % c))
    if kind == "extreme_dates":
        return rewrite(cols, each(lambda c, ty: "CAST(CASE hash(\"%s\") %% 4 WHEN 0 THEN '9999-12-31' WHEN 1 THEN '0001-01-01'"
                                  " WHEN 2 THEN 'infinity' ELSE '-infinity' END AS %s)" % (c, ty)
                                  if ty in ("DATE", "TIMESTAMP") else '"%s"' % c))
    if kind == "nan_inf":
        def f(c, ty):
            if ty in ("DOUBLE", "FLOAT", "REAL"):
                return "CAST(CASE hash(\"%s\") %% 3 WHEN 0 THEN 'NaN' WHEN 1 THEN 'inf' ELSE '-inf' END AS DOUBLE)" % c
            if ty == "INTEGER":
                return "CAST(2147483647 AS INTEGER)"
            if ty == "BIGINT":
                return "CAST(9223372036854775807 AS BIGINT)"
            if ty.startswith("DECIMAL"):
                return "CAST(NULL AS %s)" % ty
            return '"%s"' % c
        return rewrite(cols, each(f))
    if kind == "huge_strings":
        return rewrite(cols, each(lambda c, ty: "CASE WHEN hash(\"%s\") %% 50 = 0 THEN repeat('x', 1000000) ELSE \"%s\" END" % (c, c)
                                  if ty == "VARCHAR" else '"%s"' % c))
    if kind == "control_strings":
        return rewrite(cols, each(lambda c, ty: "\"%s\" || chr(27) || '[2J' || chr(10) || chr(13) || '''; --'" % c
                                  if ty == "VARCHAR" else '"%s"' % c))
    if kind == "negatives":
        return rewrite(cols, each(lambda c, ty: '-"%s"' % c if ty in NUMERIC or ty.startswith("DECIMAL") else '"%s"' % c))
    if kind == "text_in_numbers":
        return rewrite(cols, each(lambda c, ty: "CAST(\"%s\" AS VARCHAR) || 'abc'" % c if ty in NUMERIC else '"%s"' % c))
    if kind == "dropped_table":
        s, t = cols[-1][0], cols[-1][1]
        return 'DROP TABLE "%s"."%s"' % (s, t)
    raise ValueError(kind)


def damage_file(ctx, kind, db):
    size = os.path.getsize(db)
    if kind.startswith("truncated"):
        with open(db, "r+b") as f:
            f.truncate({"truncated_half": size // 2, "truncated_4k": 4096, "truncated_0": 0}[kind])
    elif kind == "corrupt":
        with open(db, "r+b") as f:
            for _ in range(64):
                f.seek(ctx.rng.randrange(4096, size))
                f.write(bytes([ctx.rng.randrange(256)]))
    elif kind == "not_duckdb":
        open(db, "w").write("this is not a database\n" * 100)
    elif kind == "sqlite_file":
        os.remove(db)
        subprocess.run(["sqlite3", db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);"], check=True)


def asked(ctx, db, models, what, state, n):
    cat = ["--db", db, "--models", models]
    for req in ctx.rng.sample(REQUESTS, n):
        argv = ["generate"] + cat + ["--as-of", "2025-07-16", "--timeout", "10", "--format", "json", req]
        r = ctx.run(argv, state=state, expect=(0, 1, 3), note="data: " + what)
        if b"root:x:0:0" in r.out or b"root:x:0:0" in r.err:
            ctx.finding(ctx.cmdline(argv, state) + "  [data: %s]" % what, "no file outside --db read", "/etc/passwd content printed")
        if r.rc == 0:
            try:
                json.loads(r.out)
            except ValueError as e:
                ctx.finding(ctx.cmdline(argv, state) + "  [data: %s]" % what, "stdout is JSON", str(e)[:200])
    ctx.run(["catalog", "profile"] + cat, state=state, expect=(0, 1), note="data: " + what)
    ctx.run(["catalog", "check"] + cat, state=state, expect=(0, 1), note="data: " + what)


def wal_only(ctx, lib, db, models, state):
    """A change that lives only in the WAL: a warm state must answer as a
    fresh one does, and dpgen must leave the WAL as it found it."""
    req = ["generate", "--db", db, "--models", models, "--as-of", "2025-07-16", "--format", "json",
           "Monthly headcount by department for the Research division"]
    first = ctx.run(req, state=state, expect=(0, 3))
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "duck.py"), lib, "wal", db,
                    "INSERT INTO bronze.departments VALUES (99, 'Research Lab', 'Research', 'CC-990');"
                    " UPDATE bronze.employees SET department_id = 99 WHERE employee_id % 7 = 0;"], check=True)
    if not os.path.exists(db + ".wal"):
        print("stress: data: the WAL-only change left no WAL; case not tested", flush=True)
        return
    before = tree_digest(db)
    warm = ctx.run(req, state=state, expect=(0, 3))
    fresh = ctx.run(req, state=ctx.dir("data", "walfresh"), expect=(0, 3))

    def key(r):
        if r.rc != 0:
            return (r.rc, r.msg()[:200])
        t = json.loads(r.out)["transformation"]["test_run"]
        return (r.rc, t.get("rows"))
    if key(first) == key(fresh):
        ctx.finding("(the WAL-only case)", "the change alters the answer (else the case tests nothing)", "%s both" % (key(first),))
    print("stress: data: WAL-only change: warm %s, fresh %s" % (key(warm), key(fresh)), flush=True)
    if key(warm) != key(fresh):
        ctx.finding(ctx.cmdline(req, state) + "  (after a change only in the WAL, warm state)",
                    "the fresh state's answer %s" % (key(fresh),), "%s" % (key(warm),))
    compare_digest(ctx, "the WAL-only database (its .wal too)", before, tree_digest(db))


def data(ctx):
    src = os.path.join(ctx.src, "tests", "data", "hr")
    models = os.path.join(src, "semantic_models.yml")
    clean = getattr(ctx, "hr_db", None) or build_db(ctx, os.path.join(src, "data.sql"), ctx.path("hr", "hr.duckdb"))
    ctx.hr_db = clean
    lib = duck.find_lib(ctx.dpgen)
    d = duck.Duck(lib, clean)
    cols = duck.columns(d)
    d.close()
    kinds = SQL_FAULTS + FILE_FAULTS
    if ctx.quick:
        kinds = ["nulls", "dupkeys", "truncated_half", "corrupt", "locked", "wal_only"]
    kinds = [k for k in kinds if k not in ctx.opts.skip]
    n = 1 if ctx.quick else 2
    for i, kind in enumerate(kinds):
        folder = ctx.dir("data", "f%02d" % i)
        db = os.path.join(folder, "hr.duckdb")
        shutil.copy(clean, db)
        state = ctx.dir("data", "s%02d" % i)
        holder = None
        if kind in SQL_FAULTS:
            duck.Duck(lib, db).query(fault_sql(kind, cols))
            # reopened and closed: the change is checkpointed into the file
            duck.Duck(lib, db).close()
        elif kind == "wal_only":
            wal_only(ctx, lib, db, models, state)
            continue
        elif kind == "locked":
            holder = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "duck.py"), lib, "hold", db],
                                      stdout=subprocess.PIPE)
            holder.stdout.readline()
        elif kind == "csv_folder":
            os.remove(db)
            db = folder
            open(os.path.join(folder, "employees.csv"), "w").write("employee_id,full_name\n1,a,b,c\n\"2,x\n3\x00,\xff\n")
            open(os.path.join(folder, "payroll.csv"), "wb").write(os.urandom(4096))
            open(os.path.join(folder, "departments.csv"), "w").write("")
        elif kind == "link_outside":
            # a --db folder whose table files are links leaving it
            os.remove(db)
            db = folder
            open(os.path.join(folder, "departments.csv"), "w").write("department_id,department_name,division,cost_center\n1,A,B,C\n")
            os.symlink("/etc/passwd", os.path.join(folder, "employees.csv"))
            os.symlink("/etc", os.path.join(folder, "payroll"))
        elif kind == "empty_folder":
            os.remove(db)
            db = folder
        else:
            damage_file(ctx, kind, db)
        before = tree_digest(db)
        try:
            asked(ctx, db, models, kind, state, n)
        finally:
            if holder:
                holder.kill()
                holder.wait()
        if not holder:
            compare_digest(ctx, "the %s database" % kind, before, tree_digest(db))
        state_intact(ctx, state, "data fault %s" % kind)
