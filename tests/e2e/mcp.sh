#!/usr/bin/env bash
# dpgen mcp: a scripted MCP client (mcp_client.py) over stdio.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
python3 "$DP_SOURCE_DIR/tests/e2e/mcp_client.py" "$DPGEN" "$DP_SOURCE_DIR" "$WORK"
