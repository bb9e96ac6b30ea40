#!/usr/bin/env bash
# PostgreSQL parity (issue 5): every benchmark case that expects an answer is
# generated with --dialect postgres; its PostgreSQL SQL runs on a private
# PostgreSQL server loaded with the domain's bronze tables, its DuckDB SQL on
# the domain's DuckDB file, and both must return the same rows.
# The server: initdb into a temporary folder, unix socket only (no TCP), run
# as a non-root user when the test runs as root, always stopped on exit.
# Skips (exit 0) only when ../shared/bench is absent; fails when PostgreSQL's
# server binaries are missing (scripts/deps.sh installs the postgresql package;
# PG_BINDIR=/path overrides where they are looked for).
. "$(dirname "$0")/lib.inc"
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH="$DP_SOURCE_DIR/../shared/bench"
if [ ! -f "$BENCH/cases.yml" ] || [ ! -d "$BENCH/domains" ]; then
  echo "skip: no benchmark at $BENCH (cases.yml and domains/)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi

# PostgreSQL's server binaries: PG_BINDIR, else the newest Debian install, else pg_config's.
PGBIN=${PG_BINDIR:-}
if [ -z "$PGBIN" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { PGBIN=$d; break; }
  done
fi
if [ -z "$PGBIN" ] && command -v pg_config >/dev/null 2>&1; then PGBIN=$(pg_config --bindir); fi
for tool in initdb pg_ctl postgres psql; do
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/$tool" ]; then
    bad "PostgreSQL server binaries not found (no $tool in ${PGBIN:-/usr/lib/postgresql/*/bin}): install Debian's postgresql package (scripts/deps.sh does) or set PG_BINDIR"
    finish
    exit 1
  fi
done

# A folder the server's user owns; the socket lives in it, the cluster in data/.
# Under /tmp so that the socket path stays short and any user can reach it.
PGDIR=$(mktemp -d /tmp/dp_pg.XXXXXX)
PGDATA="$PGDIR/data"
PGUSER_NAME=dpgen
PGPORT=$((20000 + RANDOM % 20000)) # only names the socket file: no TCP listener
RUN_AS=
as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root: run them as postgres (created by
  # the Debian package) or nobody.
  for u in postgres nobody; do
    id -u "$u" >/dev/null 2>&1 && { RUN_AS=$u; break; }
  done
  if [ -z "$RUN_AS" ]; then
    bad "running as root and neither user postgres nor nobody exists to run the PostgreSQL server"
    rm -rf "$PGDIR"
    finish
    exit 1
  fi
  chown "$RUN_AS" "$PGDIR"
  if command -v runuser >/dev/null 2>&1; then
    as_server() { (cd "$PGDIR" && runuser -u "$RUN_AS" -- "$@"); }
  else
    as_server() { (cd "$PGDIR" && setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --clear-groups -- "$@"); }
  fi
fi
chmod 755 "$PGDIR"

HELPER=
stop_server() {
  [ -n "$HELPER" ] && kill "$HELPER" 2>/dev/null
  if [ -f "$PGDATA/postmaster.pid" ]; then
    as_server "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 20 stop >/dev/null 2>&1
    # pg_ctl could not stop it: end the postmaster we started, by its pid
    local pid
    pid=$(head -1 "$PGDATA/postmaster.pid" 2>/dev/null)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -rf "$PGDIR" "$WORK" "$DPGEN_STATE_DIR"
}
trap stop_server EXIT
trap 'exit 130' INT TERM HUP

export LC_ALL=C
if ! as_server "$PGBIN/initdb" -D "$PGDATA" -U "$PGUSER_NAME" -A trust -E UTF8 --no-locale --no-sync >"$WORK/initdb.log" 2>&1; then
  bad "initdb failed: $(tail -5 "$WORK/initdb.log")"
  finish
  exit 1
fi
# No TCP; small and unsafe (no fsync) since the cluster is thrown away; a
# session time zone with daylight saving, so that date arithmetic that
# depended on the zone would show.
OPTS="-c listen_addresses= -c unix_socket_directories=$PGDIR -p $PGPORT -c fsync=off -c synchronous_commit=off"
OPTS="$OPTS -c full_page_writes=off -c shared_buffers=32MB -c max_connections=20 -c TimeZone=America/Havana -c DateStyle=ISO"
if ! as_server "$PGBIN/pg_ctl" -D "$PGDATA" -o "$OPTS" -l "$PGDIR/server.log" -w -t 60 start >/dev/null 2>&1; then
  bad "PostgreSQL server did not start: $(tail -5 "$PGDIR/server.log" 2>/dev/null)"
  finish
  exit 1
fi
ok "private PostgreSQL server ($("$PGBIN/postgres" --version)) on socket $PGDIR, port $PGPORT${RUN_AS:+, as $RUN_AS}"

# In the background, so that a signal to this script stops the server at once.
python3 "$HERE/pg_parity.py" --dpgen "$DPGEN" --bench "$BENCH" --work "$WORK" --psql "$PGBIN/psql" \
  --host "$PGDIR" --port "$PGPORT" --user "$PGUSER_NAME" \
  --demo --catalogs "$DP_SOURCE_DIR/tests/data/hr" "$DP_SOURCE_DIR/tests/data/logistics" \
  "$DP_SOURCE_DIR/tests/data/keywords" "$DP_SOURCE_DIR/tests/data/compiler" "$DP_SOURCE_DIR/tests/data/mfspec_conv" \
  "$DP_SOURCE_DIR/tests/data/mfspec_scd" "$DP_SOURCE_DIR/tests/data/mfspec_time" &
HELPER=$!
wait "$HELPER"
HELPER=
if [ -f "$WORK/counts" ]; then
  read -r p f <"$WORK/counts"
  passes=$((passes + p))
  fails=$((fails + f))
else
  bad "pg_parity.py ended without counts"
fi
finish
