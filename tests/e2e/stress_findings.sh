#!/usr/bin/env bash
# What the stress harness (tests/stress/) found, fixed: a C1 control
# (U+009B is CSI) and a byte that is not UTF-8 (0x9b alone is CSI to an
# 8-bit terminal) never reach the terminal raw; a request that is not UTF-8
# is refused (a JSON clarification could not hold it); every option value
# is echoed escaped; a malformed --as-of is a usage error like any other
# malformed option value.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.02 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
# clean FILE: no C0/C1 control character and valid UTF-8
clean() { python3 -c 'import re,sys; t=open(sys.argv[1],"rb").read().decode("utf-8"); sys.exit(1 if re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", t) else 0)' "$1" 2>/dev/null; }

"$DPGEN" generate --as-of 2025-07-16 $'daily spend on \xc2\x9b31mpodcast in May 2025' >"$WORK/out" 2>"$WORK/err"
clean "$WORK/err" && ok "U+009B in a request is escaped" || bad "U+009B raw: $(cat -v "$WORK/err")"
grep -q '\\u009b31m' "$WORK/err" && ok "shown as \\u009b" || bad "no \\u009b in: $(cat -v "$WORK/err")"
"$DPGEN" generate --format $'x\x9b31m' "daily spend" >"$WORK/out" 2>"$WORK/err"
clean "$WORK/err" && grep -q 'x\\x9b31m' "$WORK/err" && ok "a raw 0x9b in an option is shown as \\x9b" || bad "raw 0x9b: $(cat -v "$WORK/err")"

expect_rc 1 "a request with a byte that is not UTF-8" -- "$DPGEN" generate --as-of 2025-07-16 --format json $'daily spend on \xc3( in May 2025'
grep -q "request is not UTF-8 text (byte 0xc3 at offset 15)" "$WORK/err" && ok "the refusal says where" || bad "message: $(cat -v "$WORK/err")"
clean "$WORK/err" && ok "the refusal is UTF-8 without controls" || bad "raw bytes: $(cat -v "$WORK/err")"
for b in $'\xed\xa0\x80' $'\xc0\xaf' $'\xf4\x90\x80\x80' $'\xff'; do
  expect_rc 1 "not UTF-8: $(printf %q "$b")" -- "$DPGEN" generate --as-of 2025-07-16 "daily spend $b"
done
expect_rc 3 "UTF-8 letters and emoji are read as words (not refused as bytes)" -- "$DPGEN" generate --as-of 2025-07-16 --no-record "daily spend 🎯 café"

for opt in --timeout --memory-limit --as-of; do
  "$DPGEN" generate "$opt" $'\e[2Jx' "daily spend" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  clean "$WORK/err" && ok "$opt value escaped" || bad "$opt echoes raw: $(cat -v "$WORK/err" | head -1)"
  [ $rc = 2 ] && ok "$opt malformed: exit 2" || bad "$opt malformed: exit $rc"
done
for d in 2025-02-30 0000-01-01 -1 2025-13-01 20250716 2025-07-16x; do
  expect_rc 2 "--as-of $d is a usage error" -- "$DPGEN" generate --as-of "$d" "daily spend"
  grep -q "^dpgen: --as-of is a date YYYY-MM-DD, not '$d'" "$WORK/err" && ok "says why" || bad "message: $(head -1 "$WORK/err")"
done
expect_rc 2 "an unknown --dialect is a usage error, as an unknown --format is" -- "$DPGEN" generate --dialect $'\e[2J' "daily spend"
clean "$WORK/err" && grep -qF "dpgen: unknown dialect '\\x1b[2J' (duckdb, postgres)" "$WORK/err" && ok "says which" || bad "message: $(cat -v "$WORK/err" | head -1)"
expect_rc 0 "--as-of 2024-02-29 (a leap day) is a date" -- "$DPGEN" generate --no-record --as-of 2024-02-29 "daily spend"
# the run history prints a recorded request's C1 control escaped (JSON
# allows it raw; a terminal acts on it), and so does a JSON clarification
"$DPGEN" generate --as-of 2025-07-16 --format json $'weekly clicks by \xc2\x9b31mzz' >"$WORK/out" 2>"$WORK/err"
clean "$WORK/out" && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" && ok "clarification JSON escapes U+009B" \
  || bad "clarification JSON: $(cat -v "$WORK/out" | head -c 300)"
"$DPGEN" runs --limit 3 >"$WORK/out" 2>"$WORK/err"
clean "$WORK/out" && grep -q 'u009b31mzz' "$WORK/out" && ok "runs prints U+009B escaped" || bad "runs: $(cat -v "$WORK/out" | head -c 400)"
finish
