#!/usr/bin/env bash
# Binding a catalog of 300 models (past the 256 from which bind.c works out
# each model's relation, columns and bare-name exprs ahead, on two threads):
# every model whose table is missing, every dimension on a column its table
# lacks and every expr that does not run is disabled with why, exactly those
# and nothing else; the others bind (their rows and columns listed, a
# request on one answered), on a fresh state and on a warm one alike.
. "$(dirname "$0")/lib.inc"
N=300
python3 - "$WORK" "$N" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
sql = ["CREATE SCHEMA IF NOT EXISTS raw;"]
yml = ["semantic_models:"]
for i in range(n):
    k = i % 10
    if k != 3:  # 3: the table is not built
        cols = "id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, d DATE" + ("" if k == 5 else ", c VARCHAR")
        sql.append(f"CREATE TABLE raw.t_{i} ({cols});")
        sql.append(f"INSERT INTO raw.t_{i} SELECT g, g % 7, g % 5, DATE '2025-01-01' + CAST(g AS INTEGER)"
                   + ("" if k == 5 else ", 'v' || (g % 3)") + f" FROM range(0, {i % 4 + 2}) AS t(g);")
    yml += [f"  - name: m{i}",
            f"    model: ref('t_{i}')",
            "    defaults: {agg_time_dimension: day}",
            f"    entities: [{{name: e{i}, type: primary, expr: id}}]",
            "    dimensions:",
            "      - {name: day, type: time, expr: d, type_params: {time_granularity: day}}",
            "      - {name: dim_c, type: categorical, expr: c}",
            "    measures:",
            (f"      - {{name: target_total, agg: sum, expr: a, create_metric: true}}" if i == 298 else
             f"      - {{name: total_a_{i}, agg: sum, expr: a}}"),
            f"      - {{name: sum_ab_{i}, agg: sum, expr: a + b}}"]
    if k == 7:  # an expr on a column no table has
        yml.append(f"      - {{name: bad_{i}, agg: sum, expr: a + zz}}")
open(f"{work}/data.sql", "w").write("\n".join(sql) + "\n")
open(f"{work}/models.yml", "w").write("\n".join(yml) + "\n")
PY
"$DPGEN" demo --sql "$WORK/data.sql" --out "$WORK/b.duckdb" >/dev/null 2>&1 || { bad "build the database"; finish; exit 1; }
M=(--db "$WORK/b.duckdb" --models "$WORK/models.yml")
for state in fresh warm; do
  expect_rc 1 "catalog check lists the problems ($state state)" -- "$DPGEN" catalog check "${M[@]}" --format json
  python3 - "$WORK/out" "$N" <<'PY' && ok "exactly the expected elements are disabled ($state)" || bad "disabled elements ($state)"
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
got = {(x["kind"], x["name"]): x["reason"] for x in d["disabled"]}
want = {}
for i in range(n):
    if i % 10 == 3:  # and each of its elements with it
        want[("semantic_model", f"m{i}")] = "is not built: the database has no table or view"
        for k in [("entity", f"m{i}.e{i}"), ("dimension", f"m{i}.day"), ("dimension", f"m{i}.dim_c"),
                  ("measure", f"m{i}.total_a_{i}"), ("measure", f"m{i}.sum_ab_{i}")]:
            want[k] = ""
    if i % 10 == 5:
        want[("dimension", f"m{i}.dim_c")] = f"uses column 'c', which table raw.t_{i} does not have"
    if i % 10 == 7:
        want[("measure", f"m{i}.bad_{i}")] = "which does not run on table"
bad = [(k, got.get(k)) for k in want if k not in got or want[k] not in got[k]]
extra = [k for k in got if k not in want]
if bad or extra:
    print("missing or wrong:", bad[:5], "unexpected:", extra[:5])
    sys.exit(1)
PY
done
"$DPGEN" catalog show m8 "${M[@]}" >"$WORK/show" 2>&1
python3 - "$WORK/show" <<'PY' && ok "a bound model shows its table, columns and rows" || bad "show m8: $(head -c 400 "$WORK/show")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["table"] == "raw.t_8" and d["rows"] == 2, d
assert [c["name"] for c in d["columns"]] == ["id", "a", "b", "d", "c"], d["columns"]
PY
expect_rc 0 "a request on a bound model of the second half" -- "$DPGEN" generate "${M[@]}" --no-record --format json \
  "target total by dim c"
python3 - "$WORK/out" <<'PY' && ok "its rows are the table's" || bad "answer: $(head -c 300 "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["transformation"]["test_run"]["sample_rows"]
# t_298 holds 0..3 (298 % 4 + 2 = 4 rows): c = v0, v1, v2, v0; a = 0, 1, 2, 3
got = sorted((r["dim_c"], int(r["target_total"])) for r in rows)
assert got == [("v0", 3), ("v1", 1), ("v2", 2)], got
PY
finish
