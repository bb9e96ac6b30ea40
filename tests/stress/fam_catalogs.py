"""Family (d): hostile catalogs. The HR test catalog is copied and mutated
from code (wrong kinds, missing fields, duplicates, derived cycles and
fan-outs, expressions that reach outside the catalog) and its folder is
made hostile (huge and deep files, alias bombs, links, FIFOs, bytes that
are not UTF-8); each is checked and asked a request."""
import copy
import json
import os
import shutil

import yaml

from stress import build_db, compare_digest, state_intact, tree_digest

REQUEST = "Monthly headcount by department"
ATTACKS = ["duckdb_settings()", "(SELECT value FROM duckdb_settings() LIMIT 1)", "query('SELECT 42')",
           "(SELECT count(*) FROM read_csv('/etc/passwd'))", "(SELECT content FROM read_text('/etc/passwd'))",
           "getenv('HOME')", "current_setting('memory_limit')", "(SELECT count(*) FROM information_schema.tables)",
           "1; DROP TABLE bronze.payroll", "(SELECT file FROM glob('/*') LIMIT 1)", "{{ run_query('x') }}",
           "(SELECT 1 FROM bronze.payroll, bronze.payroll p2, bronze.payroll p3, bronze.payroll p4 LIMIT 1)",
           "hash(random())", "setseed(0.5)", "nextval('x')", "txid_current()", "pragma_version()",
           "(SELECT max(employee_id) FROM bronze.employees)", "'a' || chr(27) || '[2J'", "sleep_ms(100000)"]
WRONG = [{"x": 1}, [1, [2]], 12345, True, None, "", "x" * 100000, -1, 1.5e308, "{{ x }}", [], {}, "'; DROP TABLE x; --",
         "\x1b[2J", "ǅ\u202e"]
SPECIALS = ["huge", "deep_list", "deep_map", "alias_bomb", "link_passwd", "link_loop", "link_dangling", "link_outside",
            "fifo", "not_utf8", "utf16", "nul_byte", "tabs", "empty", "dir_named_yml", "multi_doc", "crlf", "bom",
            "fanout", "chain", "cycle", "self_ref", "long_name", "many_files"]


def paths(node, at=()):
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, at + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, at + (i,))


def get(node, at):
    for k in at:
        node = node[k]
    return node


def mutate(rng, doc):
    """One random mutation of a parsed catalog; returns what it did."""
    all_paths = [p for p in paths(doc) if p]
    op = rng.choice(["wrong", "wrong", "delete", "duplicate", "attack", "attack", "rename"])
    if op == "wrong":
        at = rng.choice(all_paths)
        get(doc, at[:-1])[at[-1]] = copy.deepcopy(rng.choice(WRONG))
        return "%s at %s" % (op, "/".join(map(str, at)))
    if op == "delete":
        at = rng.choice([p for p in all_paths if isinstance(p[-1], str)])
        del get(doc, at[:-1])[at[-1]]
        return "delete %s" % "/".join(map(str, at))
    if op == "duplicate":
        at = rng.choice([p for p in all_paths if isinstance(p[-1], int) and isinstance(get(doc, p), dict)])
        parent = get(doc, at[:-1])
        parent.append(copy.deepcopy(parent[at[-1]]))
        return "duplicate %s" % "/".join(map(str, at))
    if op == "rename":
        at = rng.choice([p for p in all_paths if p[-1] == "name"])
        get(doc, at[:-1])["name"] = rng.choice(["select", "a b", "x'y", "Ünï", "_" * 300, "1abc", "x\"; --", "metric_time"])
        return "rename %s" % "/".join(map(str, at))
    # an attack in a measure or dimension expr, or a metric filter
    sites = [p for p in all_paths if len(p) == 4 and p[2] in ("measures", "dimensions") and isinstance(get(doc, p), dict)]
    attack = rng.choice(ATTACKS)
    if rng.random() < 0.3:
        at = rng.choice([p for p in all_paths if len(p) == 2 and p[0] == "metrics"])
        get(doc, at)["filter"] = "{{ Dimension('employee__location') }} = %s" % attack
        return "attack filter of %s: %s" % (get(doc, at)["name"], attack)
    at = rng.choice(sites)
    get(doc, at)["expr"] = attack
    return "attack expr of %s: %s" % (get(doc, at)["name"], attack)


def request_for(doc, what):
    """A request that needs the mutated element, when it is a measure."""
    name = what.split(" of ")[-1].split(":")[0]
    for m in doc.get("metrics") or []:
        tp = m.get("type_params") if isinstance(m, dict) else None
        if isinstance(tp, dict) and tp.get("measure") == name and isinstance(m.get("label"), str):
            return "%s by department" % m["label"]
    return REQUEST


def special(rng, kind, d, base_text, doc):
    f = os.path.join(d, "semantic_models.yml")
    if kind == "huge":
        models = [dict(doc["semantic_models"][1], name="copy_%d" % i) for i in range(rng.choice([2000, 6000]))]
        with open(os.path.join(d, "huge.yml"), "w") as fh:
            yaml.safe_dump({"semantic_models": models}, fh)
    elif kind == "deep_list":
        open(os.path.join(d, "deep.yml"), "w").write("x: " + "[" * 200000 + "]" * 200000 + "\n")
    elif kind == "deep_map":
        open(os.path.join(d, "deep.yml"), "w").write("".join("  " * i + "a:\n" for i in range(20000)) + "  " * 20000 + "b: 1\n")
    elif kind == "alias_bomb":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 12):
            lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
        lines.append("semantic_models: *a11")
        open(os.path.join(d, "bomb.yml"), "w").write("\n".join(lines) + "\n")
    elif kind == "link_passwd":
        os.symlink("/etc/passwd", os.path.join(d, "passwd.yml"))
    elif kind == "link_loop":
        os.symlink(".", os.path.join(d, "loop"))
        os.symlink("loop2.yml", os.path.join(d, "loop1.yml"))
        os.symlink("loop1.yml", os.path.join(d, "loop2.yml"))
    elif kind == "link_dangling":
        os.symlink("/nonexistent/x.yml", os.path.join(d, "dangling.yml"))
    elif kind == "link_outside":
        os.symlink("/etc", os.path.join(d, "etc"))
    elif kind == "fifo":
        os.mkfifo(os.path.join(d, "fifo.yml"))
    elif kind == "not_utf8":
        open(f, "wb").write(base_text.encode().replace(b"Name of the department", b"Name \xff\xfe of \xc3\x28 the"))
    elif kind == "utf16":
        open(f, "wb").write(base_text.encode("utf-16"))
    elif kind == "nul_byte":
        open(f, "wb").write(base_text.encode().replace(b"Name of", b"Name\x00 of"))
    elif kind == "tabs":
        open(f, "w").write(base_text.replace("    ", "\t", 5))
    elif kind == "empty":
        open(f, "w").close()
    elif kind == "dir_named_yml":
        os.mkdir(os.path.join(d, "folder.yml"))
    elif kind == "multi_doc":
        open(f, "w").write(base_text + "\n---\n" + base_text)
    elif kind == "crlf":
        open(f, "w").write(base_text.replace("\n", "\r\n"))
    elif kind == "bom":
        open(f, "w").write("\ufeff" + base_text)
    elif kind in ("fanout", "chain", "cycle", "self_ref"):
        metrics = []
        if kind == "fanout":
            width, depth = rng.choice([(9, 12), (4, 20)])
            metrics.append({"name": "f0", "type": "simple", "type_params": {"measure": "headcount"}})
            for lv in range(1, depth + 1):
                metrics.append({"name": "f%d" % lv, "type": "derived", "type_params": {
                    "expr": " + ".join(["f%d" % (lv - 1)] * width), "metrics": [{"name": "f%d" % (lv - 1)}]}})
            top = "f%d" % depth
        elif kind == "chain":
            n = rng.choice([14, 40, 300])
            metrics.append({"name": "c0", "type": "simple", "type_params": {"measure": "headcount"}})
            for i in range(1, n):
                metrics.append({"name": "c%d" % i, "type": "derived",
                                "type_params": {"expr": "c%d + 1" % (i - 1), "metrics": [{"name": "c%d" % (i - 1)}]}})
            top = "c%d" % (n - 1)
        else:
            n = 1 if kind == "self_ref" else rng.choice([2, 3, 7])
            for i in range(n):
                nxt = "y%d" % ((i + 1) % n)
                metrics.append({"name": "y%d" % i, "type": "derived",
                                "type_params": {"expr": "%s * 2" % nxt, "metrics": [{"name": nxt}]}})
            top = "y0"
        doc["metrics"] = doc["metrics"] + metrics
        with open(f, "w") as fh:
            yaml.safe_dump(doc, fh, sort_keys=False)
        return "%s by department" % top
    elif kind == "long_name":
        doc["semantic_models"][0]["name"] = "d" * 70000
        with open(f, "w") as fh:
            yaml.safe_dump(doc, fh, sort_keys=False)
    elif kind == "many_files":
        for i in range(rng.choice([300, 3000])):
            open(os.path.join(d, "m%05d.yml" % i), "w").write("# nothing\n")
    return REQUEST


def catalogs(ctx):
    src = os.path.join(ctx.src, "tests", "data", "hr")
    db = getattr(ctx, "hr_db", None) or build_db(ctx, os.path.join(src, "data.sql"), ctx.path("hr", "hr.duckdb"))
    ctx.hr_db = db
    before = tree_digest(db)
    base_text = open(os.path.join(src, "semantic_models.yml")).read()
    state = ctx.dir("cat", "state")
    kinds = [k for k in SPECIALS if k not in ctx.opts.skip]
    if ctx.quick:
        kinds = [k for k in kinds if k not in ("huge", "many_files", "deep_map")]
        kinds = ctx.rng.sample(kinds, min(len(kinds), ctx.opts.catalogs // 2))
    n_random = max(0, ctx.opts.catalogs - len(kinds))
    for i in range(len(kinds) + n_random):
        d = ctx.dir("cat", "c%03d" % i, "models")
        shutil.copy(os.path.join(src, "glossary.yml"), os.path.join(os.path.dirname(d), "glossary.yml"))
        doc = yaml.safe_load(base_text)
        if i < len(kinds):
            what = kinds[i]
            open(os.path.join(d, "semantic_models.yml"), "w").write(base_text)
            req = special(ctx.rng, what, d, base_text, doc)
        else:
            what = "; ".join(mutate(ctx.rng, doc) for _ in range(ctx.rng.choice([1, 1, 1, 2, 3])))
            with open(os.path.join(d, "semantic_models.yml"), "w") as fh:
                yaml.safe_dump(doc, fh, sort_keys=False, allow_unicode=True)
            req = request_for(doc, what) if "attack" in what else REQUEST
        cat = ["--db", db, "--models", d]
        r1 = ctx.run(["catalog", "check"] + cat, state=state, expect=(0, 1), note="catalog: " + what)
        argv = ["generate"] + cat + ["--as-of", "2025-07-16", "--timeout", "10", "--format", "json", req]
        r2 = ctx.run(argv, state=state, expect=(0, 1, 3), note="catalog: " + what)
        for r in (r1, r2):
            if r.rc in (0, 1, 3) and r.timed_out is False and r.wall > ctx.max_wall / 3:
                print("stress: catalogs: slow (%.1f s): %s [%s]" % (r.wall, ctx.cmdline(r.argv), what), flush=True)
        if "attack" in what and r2.rc == 0:
            sql = ""
            try:
                sql = json.loads(r2.out)["transformation"]["sql"]
            except (ValueError, KeyError, TypeError):
                pass
            for word in ("duckdb_settings", "query(", "read_csv", "read_text", "getenv", "current_setting", "glob(",
                         "information_schema", "pragma_version", "sleep_ms", "setseed", "nextval", "txid_current"):
                if word in sql:
                    ctx.finding(ctx.cmdline(argv, state) + "  [catalog: %s]" % what,
                                "a catalog expression calling %s is refused" % word.rstrip("("), "exit 0, ran in the test run")
                    break
        if r2.rc == 0 and b"root:x:0:0" in r2.out:
            ctx.finding(ctx.cmdline(argv, state) + "  [catalog: %s]" % what, "no file content in the spec", "/etc/passwd in stdout")
        shutil.rmtree(os.path.dirname(d), ignore_errors=True)
    state_intact(ctx, state, "the hostile catalogs")
    compare_digest(ctx, "the HR database", before, tree_digest(db))
