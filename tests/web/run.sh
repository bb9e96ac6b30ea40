#!/usr/bin/env bash
# The web page in a real browser: Debian's chromium driven by Playwright
# (tests/web/node_modules, pinned by package-lock.json, installed by
# scripts/deps.sh) against `dpgen serve` on the demo. Exit 77 (ctest: skipped)
# when chromium or the node modules are absent. Screenshots of each state
# land in $DP_BUILD_DIR/web-screenshots/.
set -u
: "${DPGEN:?DPGEN must point at the dpgen binary}"
: "${DP_SOURCE_DIR:?}"
here="$DP_SOURCE_DIR/tests/web"
chromium=${DP_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIPPED: no chromium at $chromium (scripts/deps.sh installs it)"
  exit 77
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
  echo "SKIPPED: tests/web/node_modules is missing (scripts/deps.sh runs npm ci there)"
  exit 77
fi
export DPGEN_STATE_DIR=$(mktemp -d)
WORK=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$WORK" "$DPGEN_STATE_DIR"
}
trap cleanup EXIT
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" >/dev/null 2>&1 || { echo "FAIL build demo"; exit 1; }
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
"$DPGEN" serve --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/log" &
server=$!
line=
for _ in $(seq 300); do
  line=$(head -1 "$WORK/out")
  [ -n "$line" ] && break
  sleep 0.1
done
[ -n "$line" ] || { echo "FAIL the server printed no address"; cat "$WORK/log"; exit 1; }
url=${line##* }
case "$url" in http://127.0.0.1:*) ;; *) echo "FAIL unexpected address line: $line"; exit 1 ;; esac
shots="${DP_BUILD_DIR:-$WORK}/web-screenshots"
mkdir -p "$shots"
DP_CHROMIUM="$chromium" timeout 120 node "$here/page.mjs" "$url" "$shots"
rc=$?
[ $rc -eq 0 ] || tail -20 "$WORK/log"
exit $rc
