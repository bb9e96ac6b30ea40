#!/usr/bin/env bash
# Runs the stress harness (tests/stress/stress.py): `run.sh --quick` is the
# short mode make test runs; `run.sh` alone is the full run (minutes).
# DPGEN=path picks the binary (default build/dpgen); see README.md here.
here=$(cd "$(dirname "$0")" && pwd)
export DP_SOURCE_DIR=${DP_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
export DPGEN=${DPGEN:-$DP_SOURCE_DIR/build/dpgen}
exec python3 "$here/stress.py" "$@"
