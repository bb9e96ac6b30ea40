"""Trap suite runner: requests phrased as users phrase them, each with the
answer issue 10 asks for (a clarification, or an answer whose intent and
result are checked against a hand-written gold SQL). See tests/traps/README.md.

usage: run.py DPGEN CASES_DIR WORKDIR CATALOG=DB,MODELS[,GLOSSARY] ...
env:   TRAPS_ONLY=<class or substring of the case line>  runs a subset
"""
import csv, json, os, re, subprocess, sys, itertools
from collections import OrderedDict

dpgen, cases_dir, work = sys.argv[1:4]
catalogs = {}
for arg in sys.argv[4:]:
    name, paths = arg.split("=", 1)
    catalogs[name] = paths.split(",")

KEYS = {"case", "expect", "metrics", "grain", "group", "filter", "nofilter", "gold", "ordered", "warn", "note"}


def parse(path):
    """Blocks separated by blank lines; `key: value`; indented lines continue
    the previous key; `#` lines are comments."""
    cases, cur, last = [], None, None
    lines = open(path).read().split("\n")
    for no, line in enumerate(lines + [""], 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                cases.append(cur)
            cur, last = None, None
            continue
        if line[0] in " \t" and cur and last:
            cur[last][-1] += "\n" + line.strip()
            continue
        m = re.match(r"([a-z]+):\s*(.*)$", line)
        if not m or m.group(1) not in KEYS:
            sys.exit(f"{path}:{no}: expected 'key: value' with key in {sorted(KEYS)}: {line!r}")
        key, val = m.group(1), m.group(2).strip()
        if cur is None:
            if key != "case":
                sys.exit(f"{path}:{no}: a block starts with 'case:'")
            cur = {"_where": f"{os.path.basename(path)}:{no}"}
        cur.setdefault(key, []).append(val)
        last = key
    out = []
    for c in cases:
        parts = [p.strip() for p in c["case"][0].split("|", 4)]
        if len(parts) != 4:
            sys.exit(f"{c['_where']}: case: <class> | <catalog> | <as-of> | <request>")
        c["class"], c["catalog"], c["as_of"], c["request"] = parts
        if "expect" not in c:
            sys.exit(f"{c['_where']}: no expect:")
        if c["catalog"] not in catalogs:
            sys.exit(f"{c['_where']}: unknown catalog {c['catalog']}")
        out.append(c)
    return out


def norm(v):
    """A cell as compared: dates without midnight, numbers rounded to 6 digits."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00", v):
        return v[:10]
    try:
        f = float(v)
    except ValueError:
        return v.lower() if v in ("true", "false", "True", "False") else v
    return round(f, 6)


def close(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= max(1e-6, 1e-9 * abs(b))
    return a == b


def rowkey(row):
    return tuple((0, x) if isinstance(x, float) else (1, str(x)) for x in row)


def same_rows(a, b, ordered):
    if len(a) != len(b):
        return False
    if not ordered:
        a, b = sorted(a, key=rowkey), sorted(b, key=rowkey)
    return all(all(close(x, y) for x, y in zip(r, s)) for r, s in zip(a, b))


def compare(gen_csv, gold_csv, ordered):
    """Gold columns are matched to generated columns by their values (names
    differ between a hand-written query and dpgen's naming); dpgen may add
    columns. Returns None when equal, else why."""
    def read(p):
        with open(p) as f:
            r = list(csv.reader(f))
        return r[0], [[norm(v) for v in row] for row in r[1:]]
    gh, gr = read(gold_csv)
    ch, cr = read(gen_csv)
    if len(cr) != len(gr):
        return f"{len(cr)} rows, gold has {len(gr)}"
    cols = lambda rows, j: sorted((r[j] for r in rows), key=lambda x: rowkey([x]))
    cand = []
    for j, h in enumerate(gh):
        g = cols(gr, j)
        c = [i for i in range(len(ch)) if all(close(x, y) for x, y in zip(cols(cr, i), g))]
        if not c:
            return f"no column of {ch} has the values of gold column {h} (gold rows {gr[:3]}, dpgen rows {cr[:3]})"
        cand.append(c)
    tried = 0
    for pick in itertools.product(*cand):
        if len(set(pick)) != len(pick):
            continue
        tried += 1
        if tried > 5000:
            break
        if same_rows([[r[i] for i in pick] for r in cr], gr, ordered):
            return None
    pick = [c[0] for c in cand]
    return (f"each gold column has a matching column ({[ch[i] for i in pick]}) but the rows differ"
            f"{' or their order' if ordered else ''}: gold {gr[:3]}, dpgen {[[r[i] for i in pick] for r in cr[:3]]}")


def words_ok(spec, text):
    """`a, b|c`: every comma-separated group must appear, a group being
    alternatives separated by |."""
    text = text.lower()
    for group in [g.strip() for g in spec.split(",") if g.strip()]:
        if not any(alt.strip().lower() in text for alt in group.split("|")):
            return f"does not mention {group!r}"
    return None


def dim_names(intent):
    names = []
    for d in intent.get("dimensions") or []:
        vals = []
        for v in d.values():
            vals += v if isinstance(v, list) else [v]
        names.append([str(v).lower() for v in vals])
    return names


def name_hit(want, vals):
    want = want.lower()
    return any(v == want or v.endswith("." + want) or v.endswith("__" + want) for v in vals)


def check_intent(c, intent):
    if "metrics" in c:
        want = sorted(m.strip() for m in c["metrics"][0].split(",") if m.strip())
        got = sorted(intent.get("metrics") or [])
        if want != got:
            return f"metrics {got}, want {want}"
    if "grain" in c:
        want = c["grain"][0]
        got = intent.get("time_grain")
        if str(got) != want and not (want == "none" and got is None):
            return f"time grain {got}, want {want}"
    for g in c.get("group", []):
        for name in [x.strip() for x in g.split(",") if x.strip()]:
            if not any(name_hit(name, vals) for vals in dim_names(intent)):
                return f"no grouping by {name} in {intent.get('dimensions')}"
    filters = intent.get("filters") or []
    if "nofilter" in c and filters:
        return f"filters {json.dumps(filters)}, want none"
    if "filter" in c:
        if len(filters) != len(c["filter"]):
            return f"{len(filters)} filters {json.dumps(filters)}, want {len(c['filter'])}: {c['filter']}"
        for f in c["filter"]:
            m = re.match(r"(\S+)\s+(is null|is not null)$", f)
            if m:
                if not [x for x in filters
                        if name_hit(m.group(1), [str(v).lower() for v in (x.get("dimension_candidates") or [])])
                        and str(x.get("operator", "")).lower() == m.group(2)]:
                    return f"no filter {f} in {json.dumps(filters)}"
                continue
            m = re.match(r"(\S+)\s+(=|!=|<>|in|not in)\s+(.*)$", f)
            if not m:
                return f"bad filter line {f!r}"
            dim, op, vals = m.group(1), m.group(2), sorted(v.strip() for v in m.group(3).split(","))
            ops = {"=": {"=", "in"}, "in": {"in", "="}, "!=": {"!=", "<>", "not in"}, "<>": {"!=", "<>", "not in"},
                   "not in": {"not in", "!=", "<>"}}[op]
            hit = [x for x in filters
                   if name_hit(dim, [str(v).lower() for v in (x.get("dimension_candidates") or [x.get("dimension", "")])])
                   and str(x.get("operator", "")).lower() in ops
                   and sorted(str(v) for v in x.get("values", [])) == vals]
            if not hit:
                return f"no filter {f} in {json.dumps(filters)}"
    return None


def main():
    files = sorted(os.path.join(cases_dir, f) for f in os.listdir(cases_dir) if f.endswith(".txt"))
    cases = [c for f in files for c in parse(f)]
    only = os.environ.get("TRAPS_ONLY", "")
    if only:
        cases = [c for c in cases if c["class"] == only or only.lower() in c["case"][0].lower()]
    classes = OrderedDict()
    results = []
    pending = {}  # catalog -> [(case, sql)]
    for i, c in enumerate(cases):
        c["i"] = i
        db, models = catalogs[c["catalog"]][:2]
        cmd = [dpgen, "generate", "--db", db, "--models", models, "--as-of", c["as_of"], "--format", "json", "--no-record"]
        if len(catalogs[c["catalog"]]) > 2:
            cmd += ["--glossary", catalogs[c["catalog"]][2]]
        run = subprocess.run(cmd + ["--", c["request"]], capture_output=True, text=True)
        exp = c["expect"][0]
        kind, _, words = exp.partition(" ")
        why = None
        if kind == "clarify":
            if run.returncode != 3:
                why = f"exit {run.returncode}, want 3 (a clarification)"
            elif '"transformation"' in run.stdout:
                why = "exit 3 but a spec with SQL on stdout"
            else:
                why = words_ok(words, run.stderr + run.stdout)
                if why:
                    why = "clarification " + why + ": " + run.stderr.strip().replace("\n", " ")[:200]
        elif kind == "answer":
            if run.returncode != 0:
                why = f"exit {run.returncode}, want 0: " + run.stderr.strip().replace("\n", " ")[-220:]
            else:
                spec = json.loads(run.stdout)
                why = check_intent(c, spec.get("intent", {}))
                if not why and "warn" in c:
                    why = words_ok(c["warn"][0], run.stderr)
                    if why:
                        why = "stderr " + why + f" (stderr: {run.stderr.strip()[:160]!r}, rows {spec['transformation']['test_run'].get('rows')})"
                if not why and "gold" in c:
                    pending.setdefault(c["catalog"], []).append((c, spec["transformation"]["sql"]))
                    continue
        else:
            why = f"unknown expectation {exp!r}"
        results.append((c, why))
    # gold comparisons: one script per catalog, each case alone when the batch fails
    for cat, items in pending.items():
        db = catalogs[cat][0]

        def script(batch, tag):
            path = f"{work}/cmp_{cat}_{tag}.sql"
            with open(path, "w") as f:
                f.write(f"ATTACH '{db}' AS src (READ_ONLY);\nUSE src;\n")
                for c, sql in batch:
                    f.write(f"COPY ({sql.rstrip().rstrip(';')}\n) TO '{work}/gen{c['i']}.csv' (HEADER);\n")
                    gold = c["gold"][0].rstrip().rstrip(";")
                    f.write(f"COPY ({gold}\n) TO '{work}/gold{c['i']}.csv' (HEADER);\n")
            r = subprocess.run([dpgen, "demo", "--sql", path, "--out", f"{work}/scratch_{cat}_{tag}.duckdb"],
                               capture_output=True, text=True)
            return r
        r = script(items, "all")
        for c, sql in items:
            if r.returncode != 0:
                one = script([(c, sql)], str(c["i"]))
                if one.returncode != 0:
                    results.append((c, "running dpgen's SQL or the gold: " + one.stderr.strip().replace("\n", " ")[-300:]))
                    continue
            why = compare(f"{work}/gen{c['i']}.csv", f"{work}/gold{c['i']}.csv", "ordered" in c)
            if why:
                why = "result differs from gold: " + why
            results.append((c, why))
    results.sort(key=lambda x: x[0]["i"])
    passed = failed = 0
    for c, why in results:
        st = classes.setdefault(c["class"], [0, 0])
        if why:
            failed += 1
            st[1] += 1
            print(f"FAIL {c['class']} {c['catalog']} \"{c['request']}\": {why} [{c['_where']}]")
        else:
            passed += 1
            st[0] += 1
            print(f"ok   {c['class']} {c['catalog']} \"{c['request']}\": {c['expect'][0]}")
    print("per class (passed/total):")
    for k, (p, f) in classes.items():
        print(f"  {k:24} {p}/{p + f}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
