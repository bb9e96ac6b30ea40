#!/usr/bin/env bash
# `--out DIR` replaces DIR whole: the export is written beside DIR and
# renamed into place, so a stale file of the old tree is gone, a failing
# export leaves the old tree byte-identical, a folder of other files is
# refused, and a kill -9 at any moment leaves the old or the new tree.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.02 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
A="Daily sales by region and product category"
B="top 10 products by units sold"
gen() { "$DPGEN" generate --no-record --as-of 2025-07-16 "$@" >/dev/null 2>"$WORK/gerr"; }
tree() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
names() { (cd "$1" && find . | LC_ALL=C sort); }
leftovers() { ls -a "$(dirname "$1")" | grep -c "^$(basename "$1")\.tmp-"; }

gen --out "$WORK/ref_a" "$A" && names "$WORK/ref_a" >"$WORK/names_a" || bad "reference export A"
gen --out "$WORK/ref_b" "$B" && names "$WORK/ref_b" >"$WORK/names_b" || bad "reference export B"
out="$WORK/deep/new/out"
gen --out "$out" "$A" && ok "export into a folder whose parents do not exist" || bad "new folder: $(cat "$WORK/gerr")"
cmp -s <(names "$out") "$WORK/names_a" && ok "the new folder holds the export" || bad "new folder's files differ"
echo stale >"$out/stale.txt"
gen --out "$out" "$B" && ok "export over a previous export" || bad "over an export: $(cat "$WORK/gerr")"
[ ! -e "$out/stale.txt" ] && ok "the old tree's stale file is gone" || bad "stale file survived"
grep -q "units" "$out/spec.yaml" && ! ls "$out" | grep -q daily_ && ok "the tree is the new export only" || bad "old and new mixed: $(ls "$out")"
cmp -s <(names "$out") "$WORK/names_b" && ok "the replaced folder holds exactly the new export" || bad "replaced folder differs: $(diff <(names "$out") "$WORK/names_b" | head -3)"
[ "$(leftovers "$out")" = 0 ] && ok "no temporary folder left" || bad "temporary folders left: $(ls "$WORK/deep/new")"

# a failure midway (a file larger than the process may write) keeps the old tree
tree "$out" >"$WORK/before"
# (a file-size limit of 16 KB, which spec.yaml exceeds; the state exists already)
(trap '' XFSZ; ulimit -f 32; exec "$DPGEN" generate --no-record --as-of 2025-07-16 --out "$out" "$A") >/dev/null 2>"$WORK/gerr"
rc=$?
[ "$rc" != 0 ] && ok "an export that cannot write fails (exit $rc)" || bad "the file-size limit did not fail the export"
tree "$out" >"$WORK/after"
cmp -s "$WORK/before" "$WORK/after" && ok "the failed export left the old tree byte-identical" || bad "old tree changed: $(diff "$WORK/before" "$WORK/after" | head -5)"
[ "$(leftovers "$out")" = 0 ] && ok "the failed export removed its temporary folder" || bad "temporary folder left after a failure"

# a folder of other files is not deleted by mistake; an empty one is used
mkdir -p "$WORK/mine" && echo keep >"$WORK/mine/notes.txt"
gen --out "$WORK/mine" "$A" && bad "export replaced a folder of other files" || ok "a folder of other files is refused"
grep -q "not a previous export" "$WORK/gerr" && ok "the refusal says why" || bad "refusal message: $(cat "$WORK/gerr")"
[ "$(cat "$WORK/mine/notes.txt")" = keep ] && [ "$(ls "$WORK/mine")" = notes.txt ] && ok "the other files are untouched" || bad "other files changed"
echo x >"$WORK/afile"
gen --out "$WORK/afile" "$A" && bad "export replaced a regular file" || ok "a file named as the folder is refused"
mkdir -p "$WORK/empty"
gen --out "$WORK/empty/" "$A" && [ -s "$WORK/empty/spec.json" ] && ok "an empty folder (trailing slash) is used" || bad "empty folder: $(cat "$WORK/gerr")"

# kill -9 at random moments within an export's time: always the old or the
# new complete tree (a kill while the files are written leaves a temporary
# folder beside DIR, counted to show the kills hit that window)
t0=$(date +%s%N)
gen --out "$out" "$B" || bad "timed export"
span=$((($(date +%s%N) - t0) / 1000000 + 50))
torn=0
mid=0
for i in $(seq 1 30); do
  if [ $((i % 2)) = 1 ]; then req=$A; else req=$B; fi
  "$DPGEN" generate --no-record --as-of 2025-07-16 --out "$out" "$req" >/dev/null 2>&1 &
  pid=$!
  ms=$((RANDOM % span))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$(leftovers "$out")" = 0 ] || mid=$((mid + 1))
  names "$out" >"$WORK/names_now"
  if ! { cmp -s "$WORK/names_now" "$WORK/names_a" || cmp -s "$WORK/names_now" "$WORK/names_b"; } ||
    ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/spec.json" 2>/dev/null; then
    torn=$((torn + 1))
    echo "torn tree after kill $i: $(diff "$WORK/names_now" "$WORK/names_a" | head -3)"
  fi
done
[ "$torn" = 0 ] && ok "30 kills ($mid while writing): every tree was the old or the new one whole" ||
  bad "$torn of 30 kills left a partial tree"
[ "$mid" -gt 0 ] && ok "some kills landed while the files were written" || bad "no kill landed while writing: the test tested nothing"
gen --out "$out" "$A" && cmp -s <(names "$out") "$WORK/names_a" && ok "an export after the kills is whole" || bad "export after kills"
[ "$(leftovers "$out")" = 0 ] && ok "the killed runs' temporary folders are cleaned" || bad "leftovers: $(ls -a "$WORK/deep/new")"
finish
