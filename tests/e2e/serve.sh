#!/usr/bin/env bash
# dpgen serve end to end (serve.py): routes, status codes, limits, reload,
# drain, and every response against the OpenAPI document; serve_guard.py:
# API keys, rate limits, CORS, HTTPS and the access log.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
python3 "$DP_SOURCE_DIR/tests/e2e/serve.py" "$DPGEN" "$DP_SOURCE_DIR" "$WORK" || bad "serve.py"
python3 "$DP_SOURCE_DIR/tests/e2e/serve_guard.py" "$DPGEN" "$WORK" || bad "serve_guard.py"
finish
