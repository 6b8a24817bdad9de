#!/usr/bin/env bash
# Throwaway Redis on loopback for tests and local clusters (the Orleans membership table and reminders), no
# persistence. Installs Debian's redis-server when missing. Runs as the invoking user; its files stay in <dir>.
# Usage: source scripts/lib/redis.sh; redis_up <dir> <port>  → exports ORLEANSIM_REDIS (StackExchange.Redis syntax)
#        redis_down <dir>   (stops the server started in <dir>; idempotent)
#        redis_cli <port> ARGS…
set -euo pipefail

# shellcheck source=pidfile.sh
source "$(dirname "${BASH_SOURCE[0]}")/pidfile.sh"

redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  echo "installing Redis from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  # The package's own service is not wanted (and cannot start without an init system); policy-rc.d keeps it off.
  apt-get install -y -qq redis-server >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null; }
}

redis_cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }

# The pid in <dir>/redis.pid if that process is a redis-server.
redis_pid() { pidfile_live "$1/redis.pid" 'redis-server'; }

redis_up() {
  local dir=$1 port=$2 i
  redis_install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if ! redis_pid "$dir" >/dev/null; then
    if redis_cli "$port" PING >/dev/null 2>&1; then
      echo "redis_up: port $port is taken by a Redis that $dir/redis.pid does not name (left by another run?)" >&2
      return 1
    fi
    # Loopback only, no RDB snapshots and no AOF: the state is throwaway by design.
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --save '' --appendonly no \
      --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  fi
  for i in $(seq 1 100); do
    [ "$(redis_cli "$port" PING 2>/dev/null)" = PONG ] && break
    [ "$i" -lt 100 ] || { tail -n 20 "$dir/redis.log" >&2 || true; echo "redis_up: no answer on 127.0.0.1:$port" >&2; return 1; }
    sleep 0.05
  done
  export ORLEANSIM_REDIS="127.0.0.1:$port"
}

redis_down() {
  local dir=$1 pid i
  pid=$(redis_pid "$dir") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
}
