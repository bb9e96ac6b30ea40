#!/usr/bin/env bash
# Two builds of dpgen under the same machine load: alternating batches of
# the seed request, pooled medians per build (transformation, quality, end
# to end). usage: bench/ab.sh OLD_STAGE_BENCH NEW_STAGE_BENCH [BATCHES] [RUNS]
# (each a build/bench/stage_bench that knows --raw; the demo file is shared)
set -euo pipefail
old=$1 new=$2 batches=${3:-10} runs=${4:-5}
out=$(mktemp -d)
# one file for both builds (a build finds its own demo next to itself otherwise)
export DPGEN_DEMO_DB=${DPGEN_DEMO_DB:-$PWD/build/demo/demo.duckdb}
trap 'rm -rf "$out"' EXIT
for b in $(seq "$batches"); do
  "$old" --no-alone --raw -n "$runs" | grep '^run ' >>"$out/old"
  "$new" --no-alone --raw -n "$runs" | grep '^run ' >>"$out/new"
done
python3 - "$out/old" "$out/new" <<'PY'
import statistics, sys
def load(p):
    rows = [l.split() for l in open(p)]
    # the first run of each batch is cold (source checks not cached): left out
    rows = [r for r in rows if r[1] != "0"]
    d = {k: [float(r[i]) for r in rows] for k, i in (("transformation", 3), ("quality", 5), ("end to end", 7))}
    # what dpgen adds to the test run, run by run (less noisy than either)
    d["e2e - transform"] = [e - t for e, t in zip(d["end to end"], d["transformation"])]
    return d
o, n = load(sys.argv[1]), load(sys.argv[2])
print(f"{'':16} {'old median':>11} {'new median':>11}   (warm runs: {len(o['quality'])} each, alternating batches)")
for k in o:
    print(f"{k:16} {statistics.median(o[k]):9.2f} ms {statistics.median(n[k]):9.2f} ms")
PY
