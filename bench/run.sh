#!/usr/bin/env bash
# Per-stage benchmark on the demo (default scale, about a million events).
set -euo pipefail
cd "$(dirname "$0")/.."
build/dpgen demo >/dev/null 2>&1 || true
build/bench/stage_bench -n "${RUNS:-50}" "$@"
