#!/usr/bin/env bash
# Installs what dpgen needs to build and test, idempotently:
#  - Debian packages (apt-get, only when one is missing);
#  - the API tests' npm tools (tests/api, pinned by its package-lock.json);
#  - the web page tests' npm tools (tests/web: playwright-core, axe-core) and
#    Debian's chromium, which they drive;
#  - DuckDB 1.4.4's C library and header, fetched pinned with `npm pack` from
#    the npm packages that ship them, checked against third_party/duckdb.sha256,
#    and unpacked into third_party/duckdb/ (git-ignored).
# Set DUCKDB_DIR to an existing install (with include/duckdb.h and
# lib/libduckdb.so) to skip the download.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config libsqlite3-dev libpg-query-dev libmicrohttpd-dev libgnutls28-dev zlib1g-dev
      libcurl4-openssl-dev libjansson-dev libyaml-dev libcmocka-dev libstemmer-dev
      json-schema-test-suite postgresql ca-certificates python3 python3-yaml python3-jinja2 chromium)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Test-time tools from npm, pinned with their integrity hashes by
# tests/api/package-lock.json (the OpenAPI 3.1 schemas and a validator for
# the API tests); reinstalled when the lock file changes.
api="$top/tests/api"
if [ ! -f "$api/node_modules/.package-lock.json" ] || [ "$api/package-lock.json" -nt "$api/node_modules/.package-lock.json" ]; then
  echo "deps: installing the API test tools (npm ci in tests/api)"
  (cd "$api" && npm ci --no-audit --no-fund --silent)
fi
# The same for the web page's browser tests (tests/web/package-lock.json).
web="$top/tests/web"
if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "deps: installing the web test tools (npm ci in tests/web)"
  (cd "$web" && npm ci --no-audit --no-fund --silent)
fi

if [ -n "${DUCKDB_DIR:-}" ] && [ "$DUCKDB_DIR" != "$top/third_party/duckdb" ]; then
  [ -f "$DUCKDB_DIR/include/duckdb.h" ] && [ -f "$DUCKDB_DIR/lib/libduckdb.so" ] || {
    echo "deps: DUCKDB_DIR=$DUCKDB_DIR lacks include/duckdb.h or lib/libduckdb.so" >&2; exit 1; }
  exit 0
fi
dest="$top/third_party/duckdb"
if [ -f "$dest/include/duckdb.h" ] && [ -f "$dest/lib/libduckdb.so" ]; then
  exit 0
fi
cache="$top/third_party/cache"
mkdir -p "$cache"
cd "$cache"
if ! sha256sum --quiet -c "$top/third_party/duckdb.sha256" >/dev/null 2>&1; then
  echo "deps: fetching DuckDB 1.4.4 C library (npm pack)"
  rm -f ./*.tgz
  npm pack --silent @duckdb/node-bindings-linux-x64@1.4.4-r.1 duckdb@1.4.4 >/dev/null
fi
sha256sum --quiet -c "$top/third_party/duckdb.sha256" || {
  echo "deps: DuckDB archives do not match third_party/duckdb.sha256" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf duckdb-node-bindings-linux-x64-1.4.4-r.1.tgz -C "$tmp" package/libduckdb.so
mkdir -p "$tmp/h"
tar -xzf duckdb-1.4.4.tgz -C "$tmp/h" package/src/duckdb/src/include/duckdb.h
mkdir -p "$dest/lib" "$dest/include"
cp "$tmp/package/libduckdb.so" "$dest/lib/"
cp "$tmp/h/package/src/duckdb/src/include/duckdb.h" "$dest/include/"
echo "deps: DuckDB installed in $dest"
