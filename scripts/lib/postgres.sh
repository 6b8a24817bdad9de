#!/usr/bin/env bash
# Throwaway PostgreSQL on loopback for tests and local clusters. Installs Debian's package when missing.
# Usage: source scripts/lib/postgres.sh; pg_up <dir> <port>  → exports ORLEANSIM_PG (Npgsql connection string)
#        pg_down <dir>
set -euo pipefail

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  return 1
}

pg_install() {
  if ! pg_bin_dir >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
}

# Runs a command as the postgres user (initdb and postgres refuse to run as root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_up() {
  local dir=$1 port=$2 bin
  pg_install
  bin=$(pg_bin_dir)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    # Loopback only; fsync stays on (acks must be durable even in tests of durability).
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" start >/dev/null
  fi
  export ORLEANSIM_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
}

pg_down() {
  local dir=$1 bin
  bin=$(pg_bin_dir) || return 0
  [ -f "$dir/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}
