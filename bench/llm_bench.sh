#!/usr/bin/env bash
# The shared report-request benchmark with and without language-model
# assistance (issue 16; docs/llm.md): accuracy (cases passed) and time per
# case, for where a model is available, e.g. a local llama.cpp or Ollama:
#
#   llama-server -m model.gguf --port 8080 &
#   DPGEN_LLM_URL=http://127.0.0.1:8080/v1 bash bench/llm_bench.sh
#   DPGEN_LLM_URL=http://127.0.0.1:11434/v1 DPGEN_LLM_MODEL=qwen2.5:7b bash bench/llm_bench.sh
#
# BENCH (default ../shared/bench) is the benchmark's folder, with its npm
# packages installed (npm ci there, or in a writable copy). Each run has a
# state of its own, so nothing learned in one counts in the other.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-../shared/bench}
[ -n "${DPGEN_LLM_URL:-}" ] || { echo "llm_bench: set DPGEN_LLM_URL to an OpenAI-compatible endpoint" >&2; exit 2; }
[ -d "$BENCH/node_modules" ] || { echo "llm_bench: run npm ci in $BENCH (or set BENCH to a copy where it ran)" >&2; exit 2; }
url=$DPGEN_LLM_URL
for mode in without with; do
  state=$(mktemp -d)
  t0=$(date +%s%N)
  if [ $mode = without ]; then
    out=$(env -u DPGEN_LLM_URL DPGEN_STATE_DIR="$state" node "$BENCH/score.mjs" 2>&1 || true)
  else
    out=$(DPGEN_LLM_URL="$url" DPGEN_STATE_DIR="$state" node "$BENCH/score.mjs" 2>&1 || true)
  fi
  ms=$((($(date +%s%N) - t0) / 1000000))
  rm -rf "$state"
  echo "== $mode the model: $ms ms for the whole run (the scorer's own work included)"
  echo "$out" | tail -5
done
