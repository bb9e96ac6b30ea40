#!/usr/bin/env bash
# The exports of --dialect postgres on PostgreSQL (issue 12): the product
# built from the spec's PostgreSQL SQL, then every statement of
# sql/assertions.sql and every GX expectation (translated to SQL) find the
# failing rows the spec recorded, and every assertion on the product fails
# once its table is dropped (pg_exports.py). The server is started as in
# pg_parity.sh: initdb into a temporary folder, unix socket only, always
# stopped on exit. Without PostgreSQL's server binaries: skipped (exit 77).
. "$(dirname "$0")/lib.inc"
HERE=$(cd "$(dirname "$0")" && pwd)

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
    echo "skip: PostgreSQL server binaries not found (no $tool in ${PGBIN:-/usr/lib/postgresql/*/bin}); set PG_BINDIR"
    exit 77
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
python3 "$HERE/pg_exports.py" --dpgen "$DPGEN" --work "$WORK" --psql "$PGBIN/psql" --host "$PGDIR" --port "$PGPORT" \
  --user "$PGUSER_NAME" --source "$DP_SOURCE_DIR" &
HELPER=$!
wait "$HELPER"
HELPER=
if [ -f "$WORK/counts" ]; then
  read -r p f <"$WORK/counts"
  passes=$((passes + p))
  fails=$((fails + f))
else
  bad "pg_exports.py ended without counts"
fi
finish
