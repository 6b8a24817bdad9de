#!/usr/bin/env bash
# A local multi-process cluster on loopback: a throwaway PostgreSQL, N silo processes, M gateway processes.
#
#   scripts/local-cluster.sh up SILOS GATEWAYS   start (builds Release binaries first when missing)
#   scripts/local-cluster.sh add-silo            start one more silo
#   scripts/local-cluster.sh restart-silos       rolling restart: SIGTERM one silo, wait for its exit, start it
#                                                again, wait until Active, then the next (a silo slot whose
#                                                process is not running is just started)
#   scripts/local-cluster.sh status              what runs
#   scripts/local-cluster.sh down                stop gateways, silos and PostgreSQL (idempotent)
#
# State lives in $LOCAL_CLUSTER_DIR (default .local-cluster/ of the repository): env (sourceable: ORLEANSIM_PG,
# APP_KEY, JWT_SECRET, CLUSTER_ID, GATEWAY_PORTS, …), pg/ (PostgreSQL data), silo-N.pid/.log,
# gateway-N.pid/.log. Environment overrides (read by `up`, then remembered in env):
#   LOCAL_CLUSTER_PG_PORT (55440), LOCAL_CLUSTER_SILO_PORT (11111), LOCAL_CLUSTER_GATEWAY_PORT (9688),
#   LOCAL_CLUSTER_CONFIG (Release), LOCAL_CLUSTER_SILO_ARGS / LOCAL_CLUSTER_GATEWAY_ARGS (extra arguments,
#   e.g. "--Membership:ProbePeriod=00:00:00.500"), LOCAL_CLUSTER_TIMEOUT (seconds to wait for readiness, 120),
#   LOCAL_CLUSTER_UNIQUE_SILO_IDS=1 (a fresh Silo:SiloId per silo incarnation instead of reusing silo-N).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LC_DIR=${LOCAL_CLUSTER_DIR:-$ROOT/.local-cluster}
TIMEOUT=${LOCAL_CLUSTER_TIMEOUT:-120}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"

say() { printf '[local-cluster %s] %s\n' "$(date +%T.%3N)" "$*"; }
die() { printf '[local-cluster] error: %s\n' "$*" >&2; exit 1; }

load_env() {
  [ -f "$LC_DIR/env" ] || die "no cluster in $LC_DIR (run: $0 up SILOS GATEWAYS)"
  # shellcheck disable=SC1091
  source "$LC_DIR/env"
}

# Writes the sourceable env file from the current variables.
write_env() {
  local tmp="$LC_DIR/env.tmp"
  {
    printf 'ORLEANSIM_PG=%q\n' "$ORLEANSIM_PG"
    printf 'APP_KEY=%q\n' "$APP_KEY"
    printf 'JWT_SECRET=%q\n' "$JWT_SECRET"
    printf 'CLUSTER_ID=%q\n' "$CLUSTER_ID"
    printf 'GATEWAY_PORTS=%q\n' "$GATEWAY_PORTS"
    printf 'PG_PORT=%q\n' "$PG_PORT"
    printf 'SILO_BASE_PORT=%q\n' "$SILO_BASE_PORT"
    printf 'GATEWAY_BASE_PORT=%q\n' "$GATEWAY_BASE_PORT"
    printf 'CONFIG=%q\n' "$CONFIG"
    printf 'SILO_ARGS=%q\n' "$SILO_ARGS"
    printf 'GATEWAY_ARGS=%q\n' "$GATEWAY_ARGS"
  } >"$tmp"
  mv "$tmp" "$LC_DIR/env"
}

silo_dll() { echo "$ROOT/Silo/bin/$CONFIG/net10.0/OrleansIm.Silo.dll"; }
gateway_dll() { echo "$ROOT/Gateway/bin/$CONFIG/net10.0/OrleansIm.Gateway.dll"; }

build_if_needed() {
  if [ -f "$(silo_dll)" ] && [ -f "$(gateway_dll)" ]; then return; fi
  say "building Silo and Gateway ($CONFIG)"
  dotnet build -c "$CONFIG" --nologo -v q "$ROOT/Silo/Silo.csproj" >/dev/null
  dotnet build -c "$CONFIG" --nologo -v q "$ROOT/Gateway/Gateway.csproj" >/dev/null
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# The pid in a pid file, if that process is still one of ours (a dotnet running our dll).
live_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'OrleansIm\.\(Silo\|Gateway\)\.dll' || return 1
  echo "$pid"
}

# Starts a command in its own session with output to a log; the process writes its own pid file.
spawn() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  printf '\n=== %s start\n' "$(date -u +%FT%TZ)" >>"$log"
  # exec keeps the pid: the pid file names the dotnet process itself.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
  local i
  for i in $(seq 1 100); do [ -s "$pidfile" ] && return; sleep 0.05; done
  die "process for $pidfile did not start"
}

psql_q() { psql "host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" -Atq -c "$1" 2>/dev/null; }

silo_port() { echo $((SILO_BASE_PORT + $1 - 1)); }

start_silo() {
  local n=$1 port
  port=$(silo_port "$n")
  local now id="silo-$n"
  now=$(date +%s%3N)
  echo $((now - 1000)) >"$LC_DIR/silo-$n.started"
  # LOCAL_CLUSTER_UNIQUE_SILO_IDS=1 gives every incarnation its own id (silo-N-<start ms>) instead of reusing silo-N.
  if [ "${LOCAL_CLUSTER_UNIQUE_SILO_IDS:-0}" = 1 ]; then id="silo-$n-$now"; fi
  # shellcheck disable=SC2086
  spawn "$LC_DIR/silo-$n.pid" "$LC_DIR/silo-$n.log" dotnet "$(silo_dll)" \
    --OrleansIm:Mode=silo --ConnectionStrings:Postgres="$ORLEANSIM_PG" \
    --Cluster:ClusterId="$CLUSTER_ID" --Cluster:SiloPort="$port" \
    --Cluster:ListenAddress=127.0.0.1 --Cluster:AdvertisedHost=127.0.0.1 \
    --Silo:SiloId="$id" $SILO_ARGS
  say "silo-$n started (pid $(cat "$LC_DIR/silo-$n.pid"), silo port $port)"
}

start_gateway() {
  local n=$1 port=$((GATEWAY_BASE_PORT + $1 - 1))
  # shellcheck disable=SC2086
  spawn "$LC_DIR/gateway-$n.pid" "$LC_DIR/gateway-$n.log" dotnet "$(gateway_dll)" \
    --ConnectionStrings:Postgres="$ORLEANSIM_PG" --Cluster:ClusterId="$CLUSTER_ID" \
    --Gateway:Host=127.0.0.1 --Gateway:Port="$port" \
    --Gateway:AppKey="$APP_KEY" --Gateway:JwtSecret="$JWT_SECRET" \
    --Silo:SiloId="gateway-$n" $GATEWAY_ARGS
  say "gateway-$n started (pid $(cat "$LC_DIR/gateway-$n.pid"), http://127.0.0.1:$port)"
}

# Waits until silo N's current process has an Active (2) membership row: its address carries the port and a
# generation (start time in ms) no older than the spawn; fails early if the process exits.
wait_silo_active() {
  local n=$1 port deadline active pid since
  port=$(silo_port "$n")
  pid=$(cat "$LC_DIR/silo-$n.pid")
  since=$(cat "$LC_DIR/silo-$n.started")
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    active=$(psql_q "SELECT count(*) FROM orleansim_membership WHERE cluster_id = '$CLUSTER_ID' AND status = 2
                     AND address LIKE '127.0.0.1:$port@%' AND split_part(address, '@', 2)::bigint >= $since" || true)
    [ "${active:-0}" -ge 1 ] && return
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LC_DIR/silo-$n.log" >&2; die "silo-$n exited (see $LC_DIR/silo-$n.log)"; }
    [ $SECONDS -lt $deadline ] || die "silo-$n not Active after ${TIMEOUT}s (see $LC_DIR/silo-$n.log)"
    sleep 0.2
  done
}

# Waits until gateway N answers a login (which needs a silo: the user grain lives there).
wait_gateway_serving() {
  local n=$1 port=$((GATEWAY_BASE_PORT + $1 - 1)) deadline code pid
  pid=$(cat "$LC_DIR/gateway-$n.pid")
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST "http://127.0.0.1:$port/openapi/v1/user/login" \
      -H "X-App-Key: $APP_KEY" -H 'Content-Type: application/json' -d '{"id":"local-cluster-probe"}' || true)
    [ "$code" = 200 ] && return
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LC_DIR/gateway-$n.log" >&2; die "gateway-$n exited (see $LC_DIR/gateway-$n.log)"; }
    [ $SECONDS -lt $deadline ] || die "gateway-$n not serving after ${TIMEOUT}s (see $LC_DIR/gateway-$n.log)"
    sleep 0.2
  done
}

# Sends SIGTERM and waits for the exit; SIGKILL after the timeout.
stop_pid() {
  local pid=$1 name=$2 deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + 90))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      say "$name (pid $pid) ignored SIGTERM for 90s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
  done
}

slots() { # slots silo|gateway → the indexes with a pid file, ascending
  local f
  for f in "$LC_DIR/$1"-*.pid; do
    [ -e "$f" ] || continue
    f=${f##*/$1-}
    echo "${f%.pid}"
  done | sort -n
}

cmd_up() {
  local silos=${1:-} gateways=${2:-} n
  [[ "$silos" =~ ^[1-9][0-9]*$ && "$gateways" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 up SILOS GATEWAYS"
  mkdir -p "$LC_DIR"
  local f
  for f in "$LC_DIR"/*.pid; do
    [ -e "$f" ] || continue
    if live_pid "$f" >/dev/null; then die "a cluster is already running in $LC_DIR (run: $0 down)"; fi
  done
  rm -f "$LC_DIR"/*.pid "$LC_DIR"/*.started

  APP_KEY='' JWT_SECRET='' CLUSTER_ID=''
  # Secrets and cluster id survive a down/up, so issued tokens stay valid; ports and args are taken anew.
  # shellcheck disable=SC1091
  if [ -f "$LC_DIR/env" ]; then source "$LC_DIR/env"; fi
  APP_KEY=${APP_KEY:-key$(random_hex 12)}
  JWT_SECRET=${JWT_SECRET:-$(random_hex 32)}
  CLUSTER_ID=${CLUSTER_ID:-local-$(random_hex 4)}
  PG_PORT=${LOCAL_CLUSTER_PG_PORT:-55440}
  SILO_BASE_PORT=${LOCAL_CLUSTER_SILO_PORT:-11111}
  GATEWAY_BASE_PORT=${LOCAL_CLUSTER_GATEWAY_PORT:-9688}
  CONFIG=${LOCAL_CLUSTER_CONFIG:-Release}
  SILO_ARGS=${LOCAL_CLUSTER_SILO_ARGS:-}
  GATEWAY_ARGS=${LOCAL_CLUSTER_GATEWAY_ARGS:-}
  GATEWAY_PORTS=$(seq -s ' ' "$GATEWAY_BASE_PORT" $((GATEWAY_BASE_PORT + gateways - 1)))

  build_if_needed
  pg_up "$LC_DIR/pg" "$PG_PORT"
  write_env
  say "PostgreSQL on 127.0.0.1:$PG_PORT"

  for n in $(seq 1 "$silos"); do start_silo "$n"; done
  for n in $(seq 1 "$silos"); do wait_silo_active "$n"; done
  say "$silos silos Active"
  for n in $(seq 1 "$gateways"); do start_gateway "$n"; done
  for n in $(seq 1 "$gateways"); do wait_gateway_serving "$n"; done

  say "cluster '$CLUSTER_ID' up: $silos silos (ports $(seq -s ' ' "$SILO_BASE_PORT" $((SILO_BASE_PORT + silos - 1)))), gateways on $GATEWAY_PORTS"
  say "app key: $APP_KEY   (app id 666666; settings: source $LC_DIR/env)"
  say "try: curl -s -X POST http://127.0.0.1:$GATEWAY_BASE_PORT/openapi/v1/user/login -H 'X-App-Key: $APP_KEY' -H 'Content-Type: application/json' -d '{\"id\":\"alice\"}'"
}

cmd_add_silo() {
  load_env
  local last n
  last=$(slots silo | tail -n 1)
  n=$(( ${last:-0} + 1 ))
  start_silo "$n"
  wait_silo_active "$n"
  say "silo-$n Active"
}

cmd_restart_silos() {
  load_env
  local n pid started
  for n in $(slots silo); do
    started=$SECONDS
    if pid=$(live_pid "$LC_DIR/silo-$n.pid"); then
      say "silo-$n: SIGTERM (pid $pid)"
      stop_pid "$pid" "silo-$n"
    else
      say "silo-$n was not running"
    fi
    start_silo "$n"
    wait_silo_active "$n"
    say "silo-$n Active again ($((SECONDS - started))s)"
  done
}

cmd_status() {
  load_env
  local f name pid
  for f in "$LC_DIR"/silo-*.pid "$LC_DIR"/gateway-*.pid; do
    [ -e "$f" ] || continue
    name=${f##*/}
    name=${name%.pid}
    if pid=$(live_pid "$f"); then say "$name running (pid $pid)"; else say "$name not running"; fi
  done
  psql_q "SELECT address, silo_name, status FROM orleansim_membership WHERE cluster_id = '$CLUSTER_ID' ORDER BY start_time" || true
}

cmd_down() {
  [ -d "$LC_DIR" ] || { say "nothing to stop"; return 0; }
  local f pid kind pids=()
  # Gateways first (clients go away), then silos in parallel (each leaves gracefully), then PostgreSQL.
  for kind in gateway silo; do
    pids=()
    for f in "$LC_DIR/$kind"-*.pid; do
      [ -e "$f" ] || continue
      if pid=$(live_pid "$f"); then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    done
    for pid in "${pids[@]}"; do stop_pid "$pid" "$kind"; done
    rm -f "$LC_DIR/$kind"-*.pid "$LC_DIR/$kind"-*.started
  done
  pg_down "$LC_DIR/pg"
  say "down"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  add-silo) cmd_add_silo ;;
  restart-silos) cmd_restart_silos ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) echo "usage: $0 up SILOS GATEWAYS | add-silo | restart-silos | status | down" >&2; exit 2 ;;
esac
