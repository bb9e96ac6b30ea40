#!/usr/bin/env bash
# Builds the libFuzzer targets with clang against the library sources that
# they reach (no CMake, no DuckDB library: its header only, from DUCKDB_DIR):
# build/fuzz/yaml_fuzz, build/fuzz/manifest_fuzz and build/fuzz/expr_fuzz.
#   fuzz/build.sh            then e.g.
#   mkdir -p build/fuzz/work && build/fuzz/yaml_fuzz -max_total_time=600 -max_len=4096 build/fuzz/work fuzz/corpus/yaml
set -euo pipefail
cd "$(dirname "$0")/.."
CC=${CC:-clang}
OUT=${OUT:-build/fuzz}
mkdir -p "$OUT"
# DUCKDB_DIR: headers only (src/catalog/db.h declares its types); nothing links DuckDB
# files under share/ are compiled in (dp_embedded_find), as the CMake build does
cmake -DOUT="$OUT/embedded.c" -DDIR="$PWD/share" -P scripts/embed.cmake
SRC=(
  src/util/arena.c src/util/error.c src/util/ident.c src/util/utf8.c
  src/doc/yaml_load.c src/doc/yaml_files.c
  src/catalog/dbt_load.c src/catalog/glossary_load.c src/catalog/files.c src/catalog/offline.c
  src/catalog/semantic_manifest.c src/catalog/semantic_manifest_models.c src/catalog/semantic_manifest_metrics.c
  src/catalog/semantic_manifest_project.c
  src/catalog/problems.c src/catalog/metric_check.c src/catalog/dbt_types.c src/catalog/dbt_latest.c
  src/catalog/dbt_saved.c src/catalog/dbt_project.c src/catalog/jinja.c src/catalog/dbt_docs.c src/catalog/dbt_manifest.c
  src/util/fs.c src/util/buf.c
  src/kg/kg.c src/kg/text.c src/kg/lexicon.c src/kg/lexicon_phrases.c src/kg/vindex.c src/kg/features.c src/kg/indexes.c
  src/catalog/expr_check.c src/sql/expr_check.c
  src/sql/expr_functions.c
  "$OUT/embedded.c"
)
FLAGS=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wno-overlength-strings -Werror
       -Iinclude -Isrc -isystem "${DUCKDB_DIR:-third_party/duckdb}/include")
# PATCH_DIR=/some/dir: take src/... from there when it has the file (to keep
# fuzzing past a known bug with its fix before the fix lands)
if [ -n "${PATCH_DIR:-}" ]; then
  for i in "${!SRC[@]}"; do
    if [ -f "$PATCH_DIR/${SRC[$i]}" ]; then SRC[$i]="$PATCH_DIR/${SRC[$i]}"; echo "using ${SRC[$i]}"; fi
  done
fi
"$CC" "${FLAGS[@]}" fuzz/yaml_fuzz.c "${SRC[@]}" -lyaml -ljansson -lstemmer -lpg_query -lm -lpthread -o "$OUT/yaml_fuzz"
echo "built $OUT/yaml_fuzz"
"$CC" "${FLAGS[@]}" fuzz/manifest_fuzz.c "${SRC[@]}" -lyaml -ljansson -lstemmer -lpg_query -lm -lpthread -o "$OUT/manifest_fuzz"
echo "built $OUT/manifest_fuzz"
"$CC" "${FLAGS[@]}" fuzz/expr_fuzz.c "${SRC[@]}" -lyaml -ljansson -lstemmer -lpg_query -lm -lpthread -o "$OUT/expr_fuzz"
echo "built $OUT/expr_fuzz"
# The request target reaches the stages after the catalog: intent, discovery,
# modeling, the compiler and the SQL check (libpg_query); still no DuckDB
# (the data look-ups are answered from fuzz/request_values.txt).
REQ_SRC=(
  src/catalog/quote.c
  src/intent/*.c src/discovery/*.c src/modeling/*.c src/transform/compile*.c src/sql/check.c
)
if [ -n "${PATCH_DIR:-}" ]; then
  for i in "${!REQ_SRC[@]}"; do
    if [ -f "$PATCH_DIR/${REQ_SRC[$i]}" ]; then REQ_SRC[$i]="$PATCH_DIR/${REQ_SRC[$i]}"; echo "using ${REQ_SRC[$i]}"; fi
  done
fi
"$CC" "${FLAGS[@]}" -DDP_FUZZ_ROOT="\"$PWD\"" fuzz/request_fuzz.c "${SRC[@]}" "${REQ_SRC[@]}" \
  -lyaml -ljansson -lstemmer -lpg_query -lm -lpthread -o "$OUT/request_fuzz"
echo "built $OUT/request_fuzz"
