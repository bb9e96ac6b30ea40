#!/usr/bin/env bash
# Bounded profiling and test runs (issue 13, items 1.2 and 1.5). A view too
# slow to profile finishes within --timeout and is reported partial (in the
# catalog output and the spec's warnings, never cached); DuckDB spills into
# a folder of dpgen's state, never ./.tmp of the current folder, and a killed
# process's folder is removed at the next start; a result of millions of
# rows stays in DuckDB: the run's peak RSS follows --memory-limit (the
# profile honours it too) and the size is warned about.
# Catalog: tests/data/limits (data.sql, slow.yml, large.yml).
. "$(dirname "$0")/lib.inc"
D="$DP_SOURCE_DIR/tests/data/limits"
"$DPGEN" demo --sql "$D/data.sql" --out "$WORK/l.duckdb" 2>/dev/null || { bad "build db"; finish; exit 1; }
SLOW=(--db "$WORK/l.duckdb" --models "$D/slow.yml")
LARGE=(--db "$WORK/l.duckdb" --models "$D/large.yml")
ST="$DPGEN_STATE_DIR"
TIMEV=""
/usr/bin/time -v true >/dev/null 2>&1 && TIMEV=1
grep -aq __asan_init "$DPGEN" && TIMEV="" # shadow memory and quarantine: no RSS bound under ASan
ms() { echo $(($(date +%s%N) / 1000000)); }
# js EXPR [M]: EXPR over the JSON on stdout (d), M given as a string
js() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); M=sys.argv[3]; print(eval(sys.argv[2]))" "$WORK/out" "$1" "${2:-}" 2>&1; }
mkdir -p "$WORK/cwd" && cd "$WORK/cwd" || exit 1

# 1. the slow view: profiled within --timeout, reported partial (which limit, where)
t0=$(ms)
timeout 120 "$DPGEN" catalog profile "${SLOW[@]}" --timeout 2 >"$WORK/out" 2>"$WORK/err"
rc=$? el=$(($(ms) - t0))
[ "$rc" = 0 ] && ok "catalog profile of a slow view with --timeout 2 (exit 0)" || bad "catalog profile: exit $rc: $(tail -2 "$WORK/err")"
[ "$el" -lt 10000 ] && ok "it finished in $el ms" || bad "it took $el ms"
p=$(js "[x.get('profile_partial','') for x in d['datasets'] if x['name']=='slow'][0]")
case "$p" in "time limit: "*"ran out while counting rows and values") ok "slow is partial: $p" ;; *) bad "slow: '$p'" ;; esac
[ "$(js "[(x['rows'], 'profile_partial' in x) for x in d['datasets'] if x['name']=='small'][0]")" = "(100, False)" ] &&
  ok "small is profiled whole" || bad "small: $(js "d['datasets']")"

# 2. a run on the table the budget did not reach: exit 0, the spec and stderr say partial, never cached
# (a state of its own: step 1's state holds small's complete profile)
for k in 1 2; do
  DPGEN_STATE_DIR="$WORK/st2" timeout 120 "$DPGEN" generate "${SLOW[@]}" --timeout 1 --format json --as-of 2025-02-01 "amount by small_date" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  [ "$rc" = 0 ] && ok "run $k on small (exit 0)" || bad "run $k: exit $rc: $(tail -2 "$WORK/err")"
  msg="the profile of raw.small (small) is partial: time limit: the profile's 1 s were used up before this table"
  grep -qF "dpgen: warning: $msg" "$WORK/err" && ok "run $k: stderr says partial, which table and which limit" || bad "run $k: stderr: $(cat "$WORK/err")"
  [ "$(js "any(w.startswith(M) for s in d['execution']['stages'] for w in s['warnings'])" "$msg")" = True ] &&
    ok "run $k: the spec's warnings say it" || bad "run $k: no warning in the spec"
  [ "$(js "d['execution']['catalog']['profile_cached']")" = False ] && ok "run $k: the partial profile was not cached" ||
    bad "run $k: profile_cached $(js "d['execution']['catalog']['profile_cached']")"
done

# 2b. what was complete is kept: with step 1's state, small comes from the cache whole and only
# the slow view is profiled again (and is again partial)
timeout 120 "$DPGEN" generate "${SLOW[@]}" --timeout 1 --format json --as-of 2025-02-01 "amount by small_date" >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" = 0 ] && ok "run on step 1's state (exit 0)" || bad "run on step 1's state: exit $rc: $(tail -2 "$WORK/err")"
grep -q "profile of raw.small" "$WORK/err" && bad "small partial again: $(cat "$WORK/err")" ||
  ok "small's complete profile came from the cache"
[ "$(js "d['execution']['catalog']['profile_cached']")" = False ] && ok "profile_cached is false: the slow view was redone" ||
  bad "profile_cached $(js "d['execution']['catalog']['profile_cached']")"

# 3. spilling goes into the state's tmp/, never ./.tmp; a killed process's folder is removed at the next start
mkdir -p "$WORK/cwd2" && cd "$WORK/cwd2" || exit 1
"$DPGEN" generate "${LARGE[@]}" --no-record --timeout 300 --memory-limit 150MB "points by event" >/dev/null 2>&1 &
pid=$!
seen="" dot=""
for _ in $(seq 1 2400); do
  seen=$(ls -d "$ST/tmp/$pid-"*/duckdb_temp_storage* 2>/dev/null | head -1)
  [ -e .tmp ] && dot=1
  [ -n "$seen" ] || [ -n "$dot" ] || ! kill -0 "$pid" 2>/dev/null && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -n "$seen" ] && ok "DuckDB spilled into the state: ${seen#"$ST"/}" || bad "no spill file seen in $ST/tmp"
[ -z "$dot" ] && [ ! -e .tmp ] && ok "no .tmp in the current folder" || bad ".tmp appeared in the current folder"
ls -d "$ST/tmp/$pid-"* >/dev/null 2>&1 && ok "kill -9 left its spill folder" || bad "no spill folder after kill -9"
"$DPGEN" catalog list "${SLOW[@]}" --timeout 0.5 >/dev/null 2>"$WORK/err" || bad "catalog list: $(cat "$WORK/err")"
ls -d "$ST/tmp/$pid-"* >/dev/null 2>&1 && bad "the dead process's spill folder is still there" || ok "the next start removed it"
[ -z "$(ls -A "$ST/tmp")" ] && ok "and its own folder is gone after it ended" || bad "left in $ST/tmp: $(ls -A "$ST/tmp")"

# 4. a result of 2M rows under --memory-limit 150MB: exit 0, warned, peak RSS bounded, nothing left behind
if [ -n "$TIMEV" ]; then
  /usr/bin/time -v -o "$WORK/time" "$DPGEN" generate "${LARGE[@]}" --no-record --timeout 300 --memory-limit 150MB \
    --format json "points by event" >"$WORK/out" 2>"$WORK/err"
else
  "$DPGEN" generate "${LARGE[@]}" --no-record --timeout 300 --memory-limit 150MB --format json "points by event" \
    >"$WORK/out" 2>"$WORK/err"
fi
rc=$?
[ "$rc" = 0 ] && ok "2M rows under 150MB (exit 0)" || bad "2M rows: exit $rc: $(tail -2 "$WORK/err")"
w="the test run returned 2000000 rows, more than the large-result threshold of 1000000 rows"
grep -qF "dpgen: warning: $w" "$WORK/err" && ok "stderr warns with the count and the threshold" || bad "stderr: $(cat "$WORK/err")"
[ "$(js "any(x.startswith(M) for x in d['transformation']['test_run']['warnings'])" "$w")" = True ] &&
  ok "the spec's test_run.warnings say it" || bad "test_run.warnings: $(js "d['transformation']['test_run']['warnings']")"
[ "$(js "len(d['transformation']['test_run']['sample_rows'])")" = 5 ] && ok "5 sample rows" || bad "sample rows"
if [ -n "$TIMEV" ]; then
  kb=$(awk -F: '/Maximum resident/{gsub(/ /,"",$2); print $2}' "$WORK/time")
  # was 804 MB: the profile ignored --memory-limit (2GB) and counted 12M keys exactly
  [ "${kb:-999999999}" -lt 500000 ] && ok "peak RSS $kb KB (under 500 MB)" || bad "peak RSS $kb KB"
fi
[ ! -e .tmp ] && [ -z "$(ls -A "$ST/tmp")" ] && ok "no spill left anywhere" || bad "spill left: $(ls -A . "$ST/tmp")"

# 5. the table above 10M rows: its key and value counts come from a sample, said so (and cached so)
"$DPGEN" catalog show entries "${LARGE[@]}" --memory-limit 150MB >"$WORK/out" 2>"$WORK/err" || bad "catalog show: $(cat "$WORK/err")"
n=$(js "d.get('profile_sample_rows', 0)")
[ "$n" -gt 900000 ] 2>/dev/null && [ "$n" -lt 1100000 ] && ok "entries: sampled on $n rows" || bad "entries: sample '$n'"
[ "$(js "(d['rows'], d.get('duplicate_keys_unknown'))")" = "(12000000, True)" ] &&
  ok "entries: 12000000 rows exact, repeated keys not ruled out" || bad "entries: $(js "(d['rows'], d.get('duplicate_keys_unknown'))")"
finish
