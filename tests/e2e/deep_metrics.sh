#!/usr/bin/env bash
# Derived metrics that share inputs compile in bounded time and memory
# (issue 13, item 1.1): level_k uses level_(k-1) nine times, twelve levels,
# which expanded exponentially; now each request answers or is refused with
# a clear limit, never truncated SQL. A chain deeper than the limit says
# depth, a cycle names itself (item 1.7). Catalog: tests/e2e/deep_metrics.py.
. "$(dirname "$0")/lib.inc"
python3 "$DP_SOURCE_DIR/tests/e2e/deep_metrics.py" "$WORK/cat" || bad "generate catalog"
"$DPGEN" demo --sql "$DP_SOURCE_DIR/tests/data/compiler/data.sql" --out "$WORK/c.duckdb" 2>/dev/null || bad "build db"
C=(--db "$WORK/c.duckdb" --models "$WORK/cat/semantic_models.yml")
TIMEV=""
/usr/bin/time -v true >/dev/null 2>&1 && TIMEV=1
# AddressSanitizer reserves terabytes of shadow memory: no address-space
# limit nor RSS bound there (the time bound still holds)
VMEM=2000000
grep -aq __asan_init "$DPGEN" && { VMEM=unlimited; TIMEV=""; }
# run NAME: the request under timeout 10 and 2 GB of address space; exit code in $rc, seconds in $secs, peak KB in $kb
run() {
  local t0=$(date +%s%N)
  ( ulimit -v $VMEM; if [ -n "$TIMEV" ]; then exec /usr/bin/time -v -o "$WORK/time" timeout 10 "$DPGEN" generate --no-record --format json "${C[@]}" "$1"; else exec timeout 10 "$DPGEN" generate --no-record --format json "${C[@]}" "$1"; fi ) >"$WORK/out" 2>"$WORK/err"
  rc=$?
  secs=$(( ($(date +%s%N) - t0) / 1000000 ))
  kb=$( [ -n "$TIMEV" ] && awk -F: '/Maximum resident/{gsub(/ /,"",$2); print $2}' "$WORK/time" || echo 0)
}
# val NAME: the first sample row's value of column NAME, as a number
val() { python3 -c "import json,sys; print('%g' % float(json.load(open(sys.argv[1]))['transformation']['test_run']['sample_rows'][0][sys.argv[2]]))" "$WORK/out" "$1" 2>/dev/null; }

# the shared levels: a correct answer (units total 14) or a clear refusal, fast
for k in 3 5 7 12; do
  run "level_$k"
  if [ "$rc" = 0 ] && [ "$(val level_$k)" = 14 ]; then ok "level_$k answers 14 (${secs} ms, ${kb} KB)"
  elif [ "$rc" = 1 ] && grep -Eq "dpgen: metric 'level_[0-9]+' (\(in 'level_$k'\) )?expands to more than [0-9]* bytes of SQL" "$WORK/err"; then
    ok "level_$k refused with the limit (${secs} ms): $(head -c 160 "$WORK/err")"
  else bad "level_$k: exit $rc: $(head -c 300 "$WORK/err")"; fi
  [ "$secs" -lt 3000 ] && ok "level_$k within 3 s ($secs ms)" || bad "level_$k took $secs ms"
  [ -z "$TIMEV" ] || { [ "${kb:-0}" -lt 400000 ] && ok "level_$k peak RSS $kb KB" || bad "level_$k peak RSS $kb KB"; }
  grep -q "syntax error" "$WORK/err" && bad "level_$k: truncated SQL reached the parser"
done
run "level_3"
[ "$rc" = 0 ] && [ "$(val level_3)" = 14 ] && ok "level_3 is answered exactly" || bad "level_3: exit $rc: $(head -c 300 "$WORK/err")"

# inputs listed nine times a level, used once: 14 at every level
run "reuse_12"
[ "$rc" = 0 ] && [ "$(val reuse_12)" = 14 ] && ok "reuse_12 answers 14 ($secs ms)" || bad "reuse_12: exit $rc: $(head -c 300 "$WORK/err")"
[ "$secs" -lt 3000 ] && ok "reuse_12 within 3 s ($secs ms)" || bad "reuse_12 took $secs ms"

# a wide fan-in: 100 inputs of one measure, 100 x 14
run "fan_in"
[ "$rc" = 0 ] && [ "$(val fan_in)" = 1400 ] && ok "fan_in answers 1400" || bad "fan_in: exit $rc: $(head -c 300 "$WORK/err")"
# 500 terms: once refused as "no INTO" by a parse-tree depth check that
# blamed a clause the SQL did not have; 5 x 1400
run "fan_in_500"
[ "$rc" = 0 ] && [ "$(val fan_in_500)" = 7000 ] && ok "fan_in_500 answers 7000" || bad "fan_in_500: exit $rc: $(head -c 300 "$WORK/err")"

# depth: 12 levels compile, 13 are refused saying depth, in the check and the request
run "chain_12"
[ "$rc" = 0 ] && [ "$(val chain_12)" = 26 ] && ok "chain_12 answers 26" || bad "chain_12: exit $rc: $(head -c 300 "$WORK/err")"
expect_rc 1 "catalog check lists the deep chain and the cycle" -- "$DPGEN" catalog check "${C[@]}"
grep -Eq "semantic_models.yml:[0-9]+: metric chain_13: is derived through more than 12 levels: chain_13 -> chain_12 -> .* -> chain_1 -> chain_0 " "$WORK/out" \
  && ok "check says the depth of chain_13" || bad "check on chain_13: $(grep chain_ "$WORK/out")"
grep -q "refers to itself" <(grep chain_ "$WORK/out") && bad "check calls the chain a cycle"
grep -Eq "semantic_models.yml:[0-9]+: metric loop_a: refers to itself through loop_a -> loop_b -> loop_c -> loop_a" "$WORK/out" \
  && ok "check names the cycle" || bad "check on the cycle: $(grep loop_ "$WORK/out")"
run "chain_13"
[ "$rc" = 3 ] && grep -q "metric 'chain_13' is disabled: is derived through more than 12 levels: chain_13 -> chain_12 -> " "$WORK/err" \
  && ok "chain_13 refused saying depth" || bad "chain_13: exit $rc: $(head -c 300 "$WORK/err")"
run "loop_b"
[ "$rc" = 3 ] && grep -q "metric 'loop_b' is disabled: refers to itself through loop_a -> loop_b -> loop_c -> loop_a" "$WORK/err" \
  && ok "loop_b refused naming the cycle" || bad "loop_b: exit $rc: $(head -c 300 "$WORK/err")"
finish
