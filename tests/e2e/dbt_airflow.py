"""Checks one export's dbt project and Airflow DAG (see dbt_airflow.sh).

usage: dbt_airflow.py EXPORT_DIR duckdb|postgres WORK_DIR; exits 1 with the
failed assertion."""
import glob
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

out, dialect, work = sys.argv[1:4]
spec = json.load(open(f"{out}/spec.json"))
name = spec["metadata"]["name"]
dbt = f"{out}/dbt"


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


schema = load(f"{dbt}/models/schema.yml")
sources = load(f"{dbt}/models/sources.yml")
profiles = load(f"{dbt}/profiles.yml")
model = schema["models"][0]
rules = {r["id"]: r for r in spec["quality"]["rules"]}

# ---- no absolute path in anything written for dbt or Airflow ----
ABS = re.compile(r"""(?:^|[\s'"(=,\[])(/[A-Za-z0-9_.-]+/[^\s'"]*)""")
machine = [p for p in (work, os.environ.get("DP_SOURCE_DIR", ""), spec["execution"]["catalog"].get("database", ""))
           if p and p.startswith("/")]
for path in glob.glob(f"{dbt}/**/*", recursive=True) + glob.glob(f"{out}/airflow/*"):
    if not os.path.isfile(path):
        continue
    text = open(path).read()
    for m in machine:
        assert m not in text, f"{path}: machine path {m}"
    hit = ABS.search(text)
    assert hit is None, f"{path}: absolute path {hit.group(1)!r}"

# ---- profiles.yml: paths and credentials from env_var(), relative defaults ----
dev = profiles["dpgen"]["outputs"]["dev"]
ENV = re.compile(r"\{\{ env_var\('([A-Z_]+)'(?:, '([^']*)')?\)")


def env_default(value, var):
    m = ENV.search(str(value))
    assert m and m.group(1) == var, f"{value!r} is not env_var('{var}', ...)"
    assert not (m.group(2) or "").startswith("/"), f"{var}: absolute default {m.group(2)}"
    return m.group(2)


if dialect == "duckdb":
    assert dev["type"] == "duckdb"
    env_default(dev["path"], "DPGEN_TARGET_DB")
    (att,) = dev["attach"]
    env_default(att["path"], "DPGEN_SOURCE_DB")
    assert att["read_only"] is True and att["alias"] == "dpgen_source", att
    # the product is never built in the source database
    assert env_default(dev["path"], "DPGEN_TARGET_DB") != env_default(att["path"], "DPGEN_SOURCE_DB")
    for s in sources["sources"]:
        assert s.get("database") == att["alias"], s["name"]
else:
    assert dev["type"] == "postgres"
    for key, var in (("host", "DPGEN_PG_HOST"), ("port", "DPGEN_PG_PORT"), ("user", "DPGEN_PG_USER"),
                     ("password", "DPGEN_PG_PASSWORD"), ("dbname", "DPGEN_PG_DBNAME")):
        env_default(dev[key], var)
    for s in sources["sources"]:
        assert "database" not in s, s["name"]

# ---- sources.yml: freshness for each time source, timestamps only ----
tables = {f"{s['name']}.{t['name']}": t for s in sources["sources"] for t in s["tables"]}
for d in spec["source_datasets"]:
    td = [c["time_dimension"] for c in spec["transformation"]["ctes"]
          if c.get("dataset") == d["name"] and c.get("time_dimension")]
    cols = {c["name"]: c["type"] for c in d.get("schema", [])}
    td = [c for c in td if c in cols] + [c for c in [d.get("time_column")] if c in cols]
    if d.get("freshest"):
        assert td, f"{d['name']}: a time source without its time column"
    if not td:
        continue
    t = tables[d["table"]]
    assert "loaded_at_field" not in t and "freshness" not in t, "freshness belongs under config (dbt 1.10)"
    cfg = t["config"]
    assert cfg["freshness"]["warn_after"]["period"] in ("minute", "hour", "day"), cfg
    want = td[0] if cols[td[0]].upper().startswith("TIMESTAMP") else f"CAST({td[0]} AS TIMESTAMP)"
    assert cfg["loaded_at_field"] == want, (cfg["loaded_at_field"], want)

# ---- each rule once, with its id; source rules on the sources ----
placed = {}  # rule id -> [where]


def walk(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, dict) and isinstance(v.get("config"), dict) and "dpgen_rule" in v["config"].get("meta", {}):
                placed.setdefault(v["config"]["meta"]["dpgen_rule"], []).append((where, k, v.get("name")))
            walk(v, where)
    elif isinstance(node, list):
        for v in node:
            walk(v, where)


walk(schema, "schema.yml")
walk(sources, "sources.yml")
for path in glob.glob(f"{dbt}/tests/*.sql"):
    text = open(path).read()
    assert "depends_on" not in text, f"{path}: pretends to depend on the model"
    ids = re.findall(r"'dpgen_rule': '(Q\d+)'", text)
    assert len(ids) == 1, path
    placed.setdefault(ids[0], []).append(("tests", os.path.basename(path), None))
for rid, r in rules.items():
    if r["type"] == "types":
        assert rid not in placed, f"{rid}: the contract checks types"
        continue
    assert len(placed.get(rid, [])) == 1, f"{rid} ({r['type']}) emitted {len(placed.get(rid, []))} times: {placed.get(rid)}"
assert set(placed) <= set(rules), set(placed) - set(rules)
names = [n for v in placed.values() for (_, _, n) in v if n]
assert len(names) == len(set(names)), "test names repeat"
target = spec["data_model"]["target_table"]
for rid, r in rules.items():
    on_source = r["type"] in ("source_unique_key", "source_relationship", "source_non_negative") or (
        r["type"] == "funnel_order" and target not in r["sql"])
    if on_source:
        assert placed[rid][0][0] == "sources.yml", f"{rid} ({r['type']}) is not on its source: {placed[rid]}"

# ---- contract: design types, not-null keys as constraints ----
dm = {c["name"]: c for c in spec["data_model"]["columns"]}
assert model["config"]["contract"]["enforced"] is True
nn_keys = []
for c in model["columns"]:
    d = dm[c["name"]]
    want = d["type"]
    if dialect == "postgres":  # PostgreSQL's names for DuckDB's
        want = {"DOUBLE": "double precision", "FLOAT": "real", "HUGEINT": "numeric(38,0)", "VARCHAR": "text"}.get(want, want)
    assert c["data_type"] == want, (c["name"], c["data_type"], want)
    # declared not null (as ODCS's required): the design's not_null, key or not
    nn = d.get("not_null") is True or (d.get("primary_key") is True and "not_null" in d.get("constraints", []))
    assert (c.get("constraints") == [{"type": "not_null"}]) == nn, (c["name"], c.get("constraints"))
    if nn:
        nn_keys.append(c["name"])
keys = spec["data_model"].get("primary_keys", [])
want_pk = [{"type": "primary_key", "columns": keys}] if keys and set(keys) <= set(nn_keys) else None
assert model.get("constraints") == want_pk, (model.get("constraints"), want_pk)

# ---- Airflow: compiles, imports on 2.x and 3.x, runs the tasks in order ----
dags = glob.glob(f"{out}/airflow/*_dag.py")
assert len(dags) == 1, dags
dag = dags[0]
py_compile.compile(dag, cfile=os.path.join(tempfile.mkdtemp(dir=work), "dag.pyc"), doraise=True)
assert "schedule_interval" not in open(dag).read()

STUB = '''
class DAG:
    current = None
    ALLOWED = {"description", "schedule", "start_date", "catchup", "max_active_runs", "dagrun_timeout",
               "default_args", "tags", "params"}
    def __init__(self, dag_id, **kw):
        bad = set(kw) - self.ALLOWED
        if bad:
            raise TypeError("unexpected DAG arguments %s" % sorted(bad))
        self.dag_id, self.kw, self.tasks = dag_id, kw, []
    def __enter__(self):
        DAG.current = self
        return self
    def __exit__(self, *a):
        DAG.current = None

class BashOperator:
    def __init__(self, task_id, bash_command, env=None, append_env=False):
        self.task_id, self.bash_command, self.downstream = task_id, bash_command, []
        self.env, self.append_env = env, append_env
        DAG.current.tasks.append(self)
    def __rshift__(self, other):
        self.downstream.append(other)
        return other
'''
LAYOUT = {
    "2": {"airflow/__init__.py": "from airflow._stub import DAG\n",
          "airflow/operators/__init__.py": "",
          "airflow/operators/bash.py": "from airflow._stub import BashOperator\n"},
    "3": {"airflow/__init__.py": "",
          "airflow/sdk/__init__.py": "from airflow._stub import DAG\n",
          "airflow/providers/__init__.py": "", "airflow/providers/standard/__init__.py": "",
          "airflow/providers/standard/operators/__init__.py": "",
          "airflow/providers/standard/operators/bash.py": "from airflow._stub import BashOperator\n"},
}
PROBE = '''
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("dpgen_dag", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
d = mod.dag
print(json.dumps({"dag_id": d.dag_id, "schedule": d.kw.get("schedule"), "project": mod.DBT_PROJECT_DIR,
                  "params": d.kw.get("params"),
                  "tasks": [[t.task_id, t.bash_command, [x.task_id for x in t.downstream], t.env, t.append_env]
                            for t in d.tasks]}))
'''


def project_dir(env, params, variable):
    """The folder a task cds into: its DPGEN_DBT_DIR rendered as Airflow does
    (var.value.get with the Variable dpgen_dbt_project_dir, params); None
    when jinja2 is missing (the template is then checked as text)."""
    tmpl = env["DPGEN_DBT_DIR"]
    assert "var.value.get('dpgen_dbt_project_dir', params.dbt_project_dir)" in tmpl, tmpl
    try:
        import jinja2
    except ImportError:
        return params["dbt_project_dir"] if variable is None else None

    class Value:
        def get(self, key, default=None):
            return variable if key == "dpgen_dbt_project_dir" and variable is not None else default

    return jinja2.Template(tmpl).render(var={"value": Value()}, params=params)


def import_dag(version, path, env_extra=None):
    root = tempfile.mkdtemp(dir=work)
    for rel, text in dict(LAYOUT[version], **{"airflow/_stub.py": STUB}).items():
        os.makedirs(os.path.dirname(f"{root}/{rel}"), exist_ok=True)
        open(f"{root}/{rel}", "w").write(text)
    env = {k: v for k, v in os.environ.items() if k != "DPGEN_DBT_PROJECT_DIR"}
    env["PYTHONPATH"] = root
    env.update(env_extra or {})
    p = subprocess.run([sys.executable, "-c", PROBE, path], env=env, capture_output=True, text=True)
    assert p.returncode == 0, f"Airflow {version} stubs: {p.stderr[-600:]}"
    return json.loads(p.stdout)


for version in ("2", "3"):
    got = import_dag(version, dag)
    assert got["dag_id"] == name
    ids = [t[0] for t in got["tasks"]]
    assert ids == ["dbt_deps", "dbt_source_freshness", "dbt_build"], ids
    edges = {t[0]: t[2] for t in got["tasks"]}
    assert edges == {"dbt_deps": ["dbt_source_freshness"], "dbt_source_freshness": ["dbt_build"], "dbt_build": []}, edges
    cmds = {t[0]: t[1] for t in got["tasks"]}
    assert " dbt deps " in cmds["dbt_deps"] and " dbt source freshness " in cmds["dbt_source_freshness"]
    assert f" dbt build --select +{name} " in cmds["dbt_build"], cmds["dbt_build"]
    for t in got["tasks"]:
        assert t[1].startswith('cd "$DPGEN_DBT_DIR" && dbt ') and "--profiles-dir ." in t[1], t[1]
        assert t[4] is True, "the worker's environment (PATH, DPGEN_SOURCE_DB) is kept"
        assert project_dir(t[3], got["params"], None) == got["project"]
    # the export's layout: ../dbt beside airflow/
    assert os.path.realpath(got["project"]) == os.path.realpath(dbt), (got["project"], dbt)
    # the Airflow Variable, when set, wins
    assert project_dir(got["tasks"][0][3], got["params"], "/srv/dbt/p") in ("/srv/dbt/p", None)
    if got["schedule"] is not None:
        assert len(got["schedule"].split()) == 5, got["schedule"]

# copied into a dags folder with the project beside it, and the env var
dags_dir = tempfile.mkdtemp(dir=work)
shutil.copy(dag, dags_dir)
shutil.copytree(dbt, f"{dags_dir}/{name}_dbt")
copied = f"{dags_dir}/{os.path.basename(dag)}"
got = import_dag("3", copied)
assert os.path.realpath(got["project"]) == os.path.realpath(f"{dags_dir}/{name}_dbt"), got["project"]
assert got["params"]["dbt_project_dir"] == got["project"]
got = import_dag("2", copied, {"DPGEN_DBT_PROJECT_DIR": f"{work}/elsewhere dir"})
assert got["project"] == f"{work}/elsewhere dir"
assert project_dir(got["tasks"][2][3], got["params"], None) == f"{work}/elsewhere dir"
print("ok", name, dialect)
