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
servers=()
llmpid=
cleanup() {
  [ -n "$llmpid" ] && kill "$llmpid" 2>/dev/null
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$WORK" "$DPGEN_STATE_DIR"
}
trap cleanup EXIT
# start_server NAME ARGS...: `dpgen serve` on a free loopback port; its URL in $url
start_server() {
  local name=$1 line=
  shift
  "$DPGEN" serve --listen 127.0.0.1:0 "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  servers+=($!)
  for _ in $(seq 300); do
    line=$(head -1 "$WORK/$name.out")
    [ -n "$line" ] && break
    sleep 0.1
  done
  url=${line##* }
  case "$url" in http://127.0.0.1:*) ;; *) echo "FAIL $name: no address ($line)"; cat "$WORK/$name.log"; exit 1 ;; esac
}
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" >/dev/null 2>&1 || { echo "FAIL build demo"; exit 1; }
sm="$DP_SOURCE_DIR/tests/data/smanifest"
"$DPGEN" demo --sql "$sm/data.sql" --out "$WORK/sm.duckdb" >/dev/null 2>&1 || { echo "FAIL build smanifest"; exit 1; }
DPGEN_DEMO_DB="$WORK/demo.duckdb" start_server demo
demo_url=$url
# a catalog with a saved query (the demo has none): the page offers it
DPGEN_STATE_DIR="$WORK/state2" start_server saved --db "$WORK/sm.duckdb" --manifest "$sm/semantic_manifest.json"
saved_url=$url
# a server that needs an API key: the page loads without one and asks for it
echo "web-test-key-0123456789" >"$WORK/keys"
DPGEN_DEMO_DB="$WORK/demo.duckdb" DPGEN_STATE_DIR="$WORK/state3" start_server keyed --api-keys "$WORK/keys"
keyed_url=$url
# a server with a language model (the scripted one of tests/e2e): a product whose SQL the model wrote
python3 "$DP_SOURCE_DIR/tests/e2e/llm_server.py" "$DP_SOURCE_DIR/tests/data/llm/fixtures.json" "$WORK/llm.log" \
  >"$WORK/llm.port" 2>/dev/null &
llmpid=$!
for _ in $(seq 100); do [ -s "$WORK/llm.port" ] && break; sleep 0.05; done
DPGEN_DEMO_DB="$WORK/demo.duckdb" DPGEN_STATE_DIR="$WORK/state4" DPGEN_LLM_MODEL=sql_median \
  start_server llm --llm "http://127.0.0.1:$(cat "$WORK/llm.port")/v1"
llm_url=$url
shots="${DP_BUILD_DIR:-$WORK}/web-screenshots"
mkdir -p "$shots"
DP_CHROMIUM="$chromium" timeout 150 node "$here/page.mjs" "$demo_url" "$shots" "$saved_url" "$keyed_url" "$llm_url"
rc=$?
[ $rc -eq 0 ] || tail -20 "$WORK/demo.log"
# each server stops cleanly on SIGTERM (under ASan: with no leak or error)
names=(demo saved keyed llm)
for i in "${!servers[@]}"; do
  kill -TERM "${servers[$i]}" 2>/dev/null
  wait "${servers[$i]}"
  src=$?
  if [ $src -ne 0 ]; then
    echo "FAIL server ${names[$i]} exited $src on SIGTERM"
    grep -v '^{' "$WORK/${names[$i]}.log" | tail -30
    rc=1
  else
    echo "ok   server ${names[$i]} stopped cleanly"
  fi
done
servers=()
exit $rc
