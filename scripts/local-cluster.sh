#!/usr/bin/env bash
# A local multi-process cluster on loopback: a throwaway Redis (Orleans membership and reminders) and PostgreSQL
# (grain state, messages), N Orleans silo processes, M gateway processes (Orleans clients).
#
#   scripts/local-cluster.sh up SILOS GATEWAYS   start (builds Release binaries first when missing)
#   scripts/local-cluster.sh add-silo            start one more silo
#   scripts/local-cluster.sh restart-silos       rolling restart: SIGTERM one silo, wait for its exit, start it
#                                                again, wait until Active, then the next (a silo slot whose
#                                                process is not running is just started)
#   scripts/local-cluster.sh restart-gateway N   SIGTERM gateway N (a graceful drain: its clients are told to reconnect
#                                                elsewhere, close 4503), wait for its exit, start it again, wait until
#                                                it serves (a gateway that is not running is just started)
#   scripts/local-cluster.sh status              what runs, and the Orleans membership table
#   scripts/local-cluster.sh down                stop gateways, silos, Redis and PostgreSQL (idempotent)
#   scripts/local-cluster.sh purge               down, then delete the PostgreSQL data and the cluster directory
#
# State lives in $LOCAL_CLUSTER_DIR (default .local-cluster/ of the repository): env (sourceable: ORLEANSIM_PG,
# ORLEANSIM_REDIS, APP_KEY, JWT_SECRET, CLUSTER_ID, SERVICE_ID, GATEWAY_PORTS, TLS_DIR, …), redis.log, postgres.log,
# silo-N.pid/.log, gateway-N.pid/.log. PostgreSQL's data directory is NOT in it: initdb and the server run as the
# postgres user, who may not be able to enter the clone (a 0700 home, a mktemp -d folder), so the data lives in
# $LOCAL_CLUSTER_PG_DATA (default /tmp/orleansim-lc-pg-<hash of the cluster dir>, owned by postgres) and
# postgres.log links to its server log. Redis runs as the invoking user and keeps its files in the cluster dir.
# A silo is ready when its Orleans membership entry (Redis hash "<ServiceId>/members/<ClusterId>") is Active.
# Cluster traffic uses mutual TLS (Cluster:Tls) as in production: a development CA and one certificate per process
# (silo-N, gateway-N), made with openssl into $LC_DIR/tls (ca.crt, ca.key, NAME.crt, NAME.key; keys mode 0600),
# kept across down/up like the secrets and renewed when within a day of expiry; `purge` deletes them.
# Environment overrides (read by `up`, then remembered in env):
#   LOCAL_CLUSTER_PG_PORT (55440), LOCAL_CLUSTER_REDIS_PORT (56379), LOCAL_CLUSTER_SILO_PORT (11111, silo-to-silo),
#   LOCAL_CLUSTER_SILO_GATEWAY_PORT (30000, the silos' Orleans gateway ports, where the gateways connect),
#   LOCAL_CLUSTER_GATEWAY_PORT (9688, HTTP/WebSocket), LOCAL_CLUSTER_PG_DATA (see above),
#   LOCAL_CLUSTER_CONFIG (Release), LOCAL_CLUSTER_SILO_ARGS / LOCAL_CLUSTER_GATEWAY_ARGS (extra arguments,
#   e.g. "--Membership:ProbeTimeout=00:00:02"), LOCAL_CLUSTER_TIMEOUT (seconds to wait for readiness, 120).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LC_DIR=${LOCAL_CLUSTER_DIR:-$ROOT/.local-cluster}
LC_DIR=$(realpath -m "$LC_DIR") # absolute: it keys the PostgreSQL data directory
# Every path below is absolute; a neutral cwd spares the postgres user (runuser keeps the cwd) a directory it may not enter.
cd /
TIMEOUT=${LOCAL_CLUSTER_TIMEOUT:-120}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Five .NET processes share this machine's cores: idle thread-pool workers spinning before they sleep would burn CPU
# the others need (docs/operations.md § Sizing; measured 0.85x CPU per message, +15 % msgs/s). Set it to override.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}

# shellcheck source=lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"
# shellcheck source=lib/redis.sh
source "$ROOT/scripts/lib/redis.sh"

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
    printf 'ORLEANSIM_REDIS=%q\n' "$ORLEANSIM_REDIS"
    printf 'APP_KEY=%q\n' "$APP_KEY"
    printf 'JWT_SECRET=%q\n' "$JWT_SECRET"
    printf 'CLUSTER_ID=%q\n' "$CLUSTER_ID"
    printf 'SERVICE_ID=%q\n' "$SERVICE_ID"
    printf 'GATEWAY_PORTS=%q\n' "$GATEWAY_PORTS"
    printf 'PG_PORT=%q\n' "$PG_PORT"
    printf 'PG_DATA=%q\n' "$PG_DATA"
    printf 'REDIS_PORT=%q\n' "$REDIS_PORT"
    printf 'SILO_BASE_PORT=%q\n' "$SILO_BASE_PORT"
    printf 'SILO_GATEWAY_BASE_PORT=%q\n' "$SILO_GATEWAY_BASE_PORT"
    printf 'GATEWAY_BASE_PORT=%q\n' "$GATEWAY_BASE_PORT"
    printf 'CONFIG=%q\n' "$CONFIG"
    printf 'SILO_ARGS=%q\n' "$SILO_ARGS"
    printf 'GATEWAY_ARGS=%q\n' "$GATEWAY_ARGS"
    printf 'TLS_DIR=%q\n' "$(tls_dir)"
  } >"$tmp"
  mv "$tmp" "$LC_DIR/env"
}

# Console log lines with a time stamp (the same clock as this script's messages), so logs of processes line up.
LOG_ARGS=("--Logging:Console:TimestampFormat=HH:mm:ss.fff ")

silo_dll() { echo "$ROOT/Silo/bin/$CONFIG/net10.0/OrleansIm.Silo.dll"; }
gateway_dll() { echo "$ROOT/Gateway/bin/$CONFIG/net10.0/OrleansIm.Gateway.dll"; }

build_if_needed() {
  if [ -f "$(silo_dll)" ] && [ -f "$(gateway_dll)" ]; then return; fi
  say "building Silo and Gateway ($CONFIG)"
  dotnet build -c "$CONFIG" --nologo -v q "$ROOT/Silo/Silo.csproj" >/dev/null
  dotnet build -c "$CONFIG" --nologo -v q "$ROOT/Gateway/Gateway.csproj" >/dev/null
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

tls_dir() { echo "$LC_DIR/tls"; }

# A certificate file that exists and is valid for at least another day.
cert_fresh() { [ -s "$1" ] && openssl x509 -checkend 86400 -noout -in "$1" >/dev/null 2>&1; }

# The cluster's development CA (EC P-256, ten years), made once per cluster directory.
ensure_tls_ca() {
  local dir
  dir=$(tls_dir)
  command -v openssl >/dev/null || {
    say "installing openssl from Debian's packages"
    apt-get install -y -qq openssl >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq openssl >/dev/null; }
  }
  if cert_fresh "$dir/ca.crt" && [ -s "$dir/ca.key" ]; then return; fi
  mkdir -p "$dir"
  chmod 700 "$dir"
  rm -f "$dir"/*.crt "$dir"/*.key # certificates of an old CA would not be trusted any more
  (umask 077 && openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=OrleansIm local-cluster CA ($(basename "$LC_DIR"))" -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign") >/dev/null 2>&1 \
    || die "openssl could not make the cluster CA in $dir"
  say "made a development CA for cluster TLS ($dir/ca.crt)"
}

# A certificate for one process (NAME = silo-N or gateway-N) signed by the cluster CA: TLS server and client use
# (a silo both accepts and connects), IP 127.0.0.1, about two years.
ensure_tls_cert() {
  local name=$1 dir
  dir=$(tls_dir)
  if cert_fresh "$dir/$name.crt" && [ -s "$dir/$name.key" ]; then return; fi
  (umask 077 && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" \
    && openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(random_hex 16)" \
      -days 825 -sha256 -out "$dir/$name.crt" -extfile <(printf '%s\n' 'basicConstraints=critical,CA:FALSE' \
        'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth,clientAuth' 'subjectAltName=IP:127.0.0.1' \
        'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid')) >/dev/null 2>&1 \
    || die "openssl could not make the certificate $dir/$name.crt"
  rm -f "$dir/$name.csr"
}

# The Cluster:Tls arguments of process NAME, one a line (ensure_tls_cert NAME first).
tls_args() {
  local dir
  dir=$(tls_dir)
  printf '%s\n' "--Cluster:Tls:CertificatePath=$dir/$1.crt" "--Cluster:Tls:KeyPath=$dir/$1.key" "--Cluster:Tls:CaCertificatePath=$dir/ca.crt"
}

# PostgreSQL's data directory: somewhere the postgres user can enter whatever the clone's location, one per cluster dir.
default_pg_data() {
  echo "${LOCAL_CLUSTER_PG_DATA:-/tmp/orleansim-lc-pg-$(printf '%s' "$LC_DIR" | md5sum | cut -c1-12)}"
}

# The pid in a pid file, if that process is still one of ours (a dotnet running our dll).
live_pid() { pidfile_live "$1" 'OrleansIm\.\(Silo\|Gateway\)\.dll'; }

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

silo_port() { echo $((SILO_BASE_PORT + $1 - 1)); }
silo_gateway_port() { echo $((SILO_GATEWAY_BASE_PORT + $1 - 1)); }

# Orleans' SiloAddress generation: seconds since 2022-01-01T00:00:00Z (SiloAddress.AllocateNewGeneration).
orleans_generation_now() { echo $(( $(date +%s) - 1640995200 )); }

# The Orleans membership table (Microsoft.Orleans.Clustering.Redis): one Redis hash "<ServiceId>/members/<ClusterId>"
# with a "Version" field and one field per silo incarnation, named by SiloAddress.ToString() ("S127.0.0.1:11111:<gen>"),
# whose value is the MembershipEntry as one line of JSON; "Status" is Orleans' SiloStatus as a number
# (None 0, Created 1, Joining 2, Active 3, ShuttingDown 4, Stopping 5, Dead 6).
# Prints "<host:port> <generation> <status> <silo name>" per incarnation, oldest first.
membership() {
  redis_cli "$REDIS_PORT" --raw HGETALL "$SERVICE_ID/members/$CLUSTER_ID" 2>/dev/null | {
    local field value status name endpoint
    while IFS= read -r field && IFS= read -r value; do
      [[ "$field" == S* ]] || continue
      status=$(sed -n 's/.*"Status":\([0-9]*\).*/\1/p' <<<"$value")
      name=$(sed -n 's/.*"SiloName":"\([^"]*\)".*/\1/p' <<<"$value")
      endpoint=${field#S}
      printf '%s %s %s %s\n' "${endpoint%:*}" "${endpoint##*:}" "${status:-?}" "${name:-?}"
    done
  } | sort -k2,2n
}

status_name() {
  case "$1" in 0) echo None ;; 1) echo Created ;; 2) echo Joining ;; 3) echo Active ;; 4) echo ShuttingDown ;;
    5) echo Stopping ;; 6) echo Dead ;; *) echo "status-$1" ;; esac
}

start_silo() {
  local n=$1 port gport tls
  port=$(silo_port "$n")
  gport=$(silo_gateway_port "$n")
  ensure_tls_ca
  ensure_tls_cert "silo-$n"
  mapfile -t tls < <(tls_args "silo-$n")
  # The generation Orleans gives this incarnation is at least this (1 s of slack for the clock's second boundary).
  echo $(( $(orleans_generation_now) - 1 )) >"$LC_DIR/silo-$n.started"
  # shellcheck disable=SC2086
  spawn "$LC_DIR/silo-$n.pid" "$LC_DIR/silo-$n.log" dotnet "$(silo_dll)" \
    --OrleansIm:Mode=silo --ConnectionStrings:Postgres="$ORLEANSIM_PG" --ConnectionStrings:Redis="$ORLEANSIM_REDIS" \
    --Cluster:ClusterId="$CLUSTER_ID" --Cluster:ServiceId="$SERVICE_ID" \
    --Cluster:SiloPort="$port" --Cluster:GatewayPort="$gport" \
    --Cluster:ListenAddress=127.0.0.1 --Cluster:AdvertisedHost=127.0.0.1 \
    --Silo:SiloName="silo-$n" "${tls[@]}" "${LOG_ARGS[@]}" $SILO_ARGS
  say "silo-$n started (pid $(cat "$LC_DIR/silo-$n.pid"), silo port $port, gateway port $gport)"
}

start_gateway() {
  local n=$1 port=$((GATEWAY_BASE_PORT + $1 - 1)) tls
  ensure_tls_ca
  ensure_tls_cert "gateway-$n"
  mapfile -t tls < <(tls_args "gateway-$n")
  # PostgreSQL for uploaded files, which every gateway must see (Gateway:Files; without it uploads are off).
  # shellcheck disable=SC2086
  spawn "$LC_DIR/gateway-$n.pid" "$LC_DIR/gateway-$n.log" dotnet "$(gateway_dll)" \
    --ConnectionStrings:Redis="$ORLEANSIM_REDIS" --ConnectionStrings:Postgres="$ORLEANSIM_PG" --Cluster:ClusterId="$CLUSTER_ID" --Cluster:ServiceId="$SERVICE_ID" \
    --Gateway:Host=127.0.0.1 --Gateway:Port="$port" \
    --Gateway:AppKey="$APP_KEY" --Gateway:JwtSecret="$JWT_SECRET" "${tls[@]}" "${LOG_ARGS[@]}" $GATEWAY_ARGS
  say "gateway-$n started (pid $(cat "$LC_DIR/gateway-$n.pid"), http://127.0.0.1:$port)"
}

# Waits until silo N's current process has an Active membership entry in Redis: its address carries the silo port
# and a generation no older than the spawn; fails early if the process exits.
wait_silo_active() {
  local n=$1 port deadline pid since
  port=$(silo_port "$n")
  pid=$(cat "$LC_DIR/silo-$n.pid")
  since=$(cat "$LC_DIR/silo-$n.started")
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    membership | awk -v ep="127.0.0.1:$port" -v since="$since" '$1 == ep && $2 >= since && $3 == 3 { found = 1 } END { exit !found }' && return
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
  # Secrets and cluster id survive a down/up, so issued tokens stay valid (PostgreSQL's data survives too; Redis,
  # without persistence, starts empty: membership and reminders begin anew); ports and args are taken anew.
  # shellcheck disable=SC1091
  if [ -f "$LC_DIR/env" ]; then source "$LC_DIR/env"; fi
  APP_KEY=${APP_KEY:-key$(random_hex 12)}
  JWT_SECRET=${JWT_SECRET:-$(random_hex 32)}
  CLUSTER_ID=${CLUSTER_ID:-local-$(random_hex 4)}
  SERVICE_ID=orleansim # ClusterSettings.ServiceId's default: grain state and reminders are keyed by it
  PG_PORT=${LOCAL_CLUSTER_PG_PORT:-55440}
  PG_DATA=$(default_pg_data)
  REDIS_PORT=${LOCAL_CLUSTER_REDIS_PORT:-56379}
  SILO_BASE_PORT=${LOCAL_CLUSTER_SILO_PORT:-11111}
  SILO_GATEWAY_BASE_PORT=${LOCAL_CLUSTER_SILO_GATEWAY_PORT:-30000}
  GATEWAY_BASE_PORT=${LOCAL_CLUSTER_GATEWAY_PORT:-9688}
  CONFIG=${LOCAL_CLUSTER_CONFIG:-Release}
  SILO_ARGS=${LOCAL_CLUSTER_SILO_ARGS:-}
  GATEWAY_ARGS=${LOCAL_CLUSTER_GATEWAY_ARGS:-}
  GATEWAY_PORTS=$(seq -s ' ' "$GATEWAY_BASE_PORT" $((GATEWAY_BASE_PORT + gateways - 1)))

  build_if_needed
  redis_up "$LC_DIR" "$REDIS_PORT"
  say "Redis on $ORLEANSIM_REDIS (files in $LC_DIR)"
  pg_up "$PG_DATA" "$PG_PORT"
  ln -sfn "$PG_DATA/server.log" "$LC_DIR/postgres.log"
  printf '%s\n' "$LC_DIR" >"$PG_DATA/local-cluster-dir" # which cluster this data belongs to, for humans
  write_env
  say "PostgreSQL on 127.0.0.1:$PG_PORT (data in $PG_DATA)"

  for n in $(seq 1 "$silos"); do start_silo "$n"; done
  for n in $(seq 1 "$silos"); do wait_silo_active "$n"; done
  say "$silos silos Active"
  for n in $(seq 1 "$gateways"); do start_gateway "$n"; done
  for n in $(seq 1 "$gateways"); do wait_gateway_serving "$n"; done

  say "cluster '$CLUSTER_ID' up: $silos silos (silo ports $(seq -s ' ' "$SILO_BASE_PORT" $((SILO_BASE_PORT + silos - 1))), Orleans gateway ports $(seq -s ' ' "$SILO_GATEWAY_BASE_PORT" $((SILO_GATEWAY_BASE_PORT + silos - 1)))), gateways on $GATEWAY_PORTS"
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

cmd_restart_gateway() {
  load_env
  local n=${1:-} pid started=$SECONDS
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 restart-gateway N"
  [ -f "$LC_DIR/gateway-$n.pid" ] || die "gateway-$n is not part of this cluster"
  if pid=$(live_pid "$LC_DIR/gateway-$n.pid"); then
    say "gateway-$n: SIGTERM (pid $pid), draining"
    stop_pid "$pid" "gateway-$n"
  else
    say "gateway-$n was not running"
  fi
  start_gateway "$n"
  wait_gateway_serving "$n"
  say "gateway-$n serving again ($((SECONDS - started))s)"
}

cmd_status() {
  load_env
  local f name pid pg_bin
  for f in "$LC_DIR"/silo-*.pid "$LC_DIR"/gateway-*.pid; do
    [ -e "$f" ] || continue
    name=${f##*/}
    name=${name%.pid}
    if pid=$(live_pid "$f"); then say "$name running (pid $pid)"; else say "$name not running"; fi
  done
  if redis_pid "$LC_DIR" >/dev/null; then say "Redis running on $ORLEANSIM_REDIS"; else say "Redis not running"; fi
  if pg_bin=$(pg_bin_dir 2>/dev/null) && as_pg "$pg_bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "PostgreSQL running on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
  else
    say "PostgreSQL not running (data in $PG_DATA)"
  fi
  say "membership of cluster '$CLUSTER_ID' (silo address, generation, status, name):"
  local ep gen st nm
  membership | while read -r ep gen st nm; do printf '  %-18s %-10s %-12s %s\n' "$ep" "$gen" "$(status_name "$st")" "$nm"; done || true
}

cmd_down() {
  [ -d "$LC_DIR" ] || { say "nothing to stop"; return 0; }
  local f pid kind pids=()
  # Gateways first (clients go away), then silos in parallel (each leaves gracefully), then Redis and PostgreSQL.
  for kind in gateway silo; do
    pids=()
    for f in "$LC_DIR/$kind"-*.pid; do
      [ -e "$f" ] || continue
      if pid=$(live_pid "$f"); then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    done
    for pid in "${pids[@]}"; do stop_pid "$pid" "$kind"; done
    rm -f "$LC_DIR/$kind"-*.pid "$LC_DIR/$kind"-*.started
  done
  redis_down "$LC_DIR"
  PG_DATA=''
  # shellcheck disable=SC1091
  if [ -f "$LC_DIR/env" ]; then source "$LC_DIR/env"; fi
  pg_down "${PG_DATA:-$(default_pg_data)}"
  say "down"
}

cmd_purge() {
  cmd_down
  PG_DATA=''
  # shellcheck disable=SC1091
  if [ -f "$LC_DIR/env" ]; then source "$LC_DIR/env"; fi
  PG_DATA=${PG_DATA:-$(default_pg_data)}
  # Only a directory this script made (it holds the back reference) is deleted.
  if [ -f "$PG_DATA/local-cluster-dir" ] && [ "$(cat "$PG_DATA/local-cluster-dir")" = "$LC_DIR" ]; then rm -rf "$PG_DATA"; fi
  # The cluster dir only when it is one (its env file), never a directory handed over by mistake.
  if [ -f "$LC_DIR/env" ]; then rm -rf "$LC_DIR"; fi
  say "purged $LC_DIR and $PG_DATA"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  add-silo) cmd_add_silo ;;
  restart-silos) cmd_restart_silos ;;
  restart-gateway) shift; cmd_restart_gateway "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  purge) cmd_purge ;;
  *) echo "usage: $0 up SILOS GATEWAYS | add-silo | restart-silos | restart-gateway N | status | down | purge" >&2; exit 2 ;;
esac
