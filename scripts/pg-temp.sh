#!/usr/bin/env bash
# A throw-away PostgreSQL 15 + PostGIS cluster on a Unix socket only (no TCP), for tests and
# benchmarks. Usage:  eval "$(scripts/pg-temp.sh start DIR)"  ...  scripts/pg-temp.sh stop DIR
# `start` prints the PGHOST/PGPORT/PGUSER exports. initdb refuses to run as root, so as root
# the server runs as the `postgres` user.
set -euo pipefail
cmd=$1 dir=$2
pgbin=/usr/lib/postgresql/15/bin
port=${ATLAS_PG_PORT:-54329}
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
    as_owner "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
      -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
    echo "export PGHOST=$dir PGPORT=$port PGUSER=postgres"
    ;;
  stop)
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: scripts/pg-temp.sh start|stop DIR" >&2; exit 2 ;;
esac
