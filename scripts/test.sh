#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs every suite
# and prints one closing line "total: N passed, N failed". Exit code is non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0
failed=0

log() { printf '\n== %s\n' "$*"; }

ensure_dotnet() {
  command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required (https://dot.net)"; exit 1; }
}

# Adds "N passed, N failed" from one suite to the totals.
count() { passed=$((passed + $1)); failed=$((failed + $2)); echo "$3: $1 passed, $2 failed"; }

run_dotnet_tests() {
  log "dotnet tests"
  local out="$ROOT/.test-output/dotnet.log"
  mkdir -p "$ROOT/.test-output"
  set +e
  # Build Release first: the multi-process tests (tests/OrleansIm.Tests/MultiProcess) start the Silo and Gateway
  # executables from Silo/bin/Release and Gateway/bin/Release through scripts/local-cluster.sh.
  dotnet build OrleansIm.sln -c Release --nologo -v q 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    dotnet test OrleansIm.sln -c Release --no-build --nologo 2>&1 | tee -a "$out"
    rc=${PIPESTATUS[0]}
  fi
  set -e
  local p f
  # dotnet test prints "Failed: N, Passed: N, ..." once per test assembly.
  p=$(grep -Eo 'Passed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  f=$(grep -Eo 'Failed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "dotnet test exited with $rc (build or runner failure)"; fi
  count "$p" "$f" dotnet
}

ensure_node() {
  apt_install node:nodejs npm:npm
}

# The STOMP dialect end to end with stock @stomp/stompjs (tests/node) against the Release Silo build.
# Runs `npm ci && node --test` in a folder and adds its "# pass N" / "# fail N" closing lines to the totals.
run_node_suite() {
  local dir=$1 name=$2
  local out="$ROOT/.test-output/$name.log"
  mkdir -p "$ROOT/.test-output"
  set +e
  (cd "$ROOT/$dir" && npm ci --no-audit --no-fund --loglevel=error && node --test --test-concurrency=1) 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  set -e
  local p f
  p=$(grep -Eo '^# pass [0-9]+' "$out" | awk '{s+=$3} END {print s+0}')
  f=$(grep -Eo '^# fail [0-9]+' "$out" | awk '{s+=$3} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$name tests exited with $rc (install or runner failure)"; fi
  count "$p" "$f" "$name"
}

run_node_tests() {
  log "node tests (STOMP with @stomp/stompjs)"
  ensure_node
  if [ ! -f "$ROOT/Silo/bin/Release/net10.0/OrleansIm.Silo.dll" ]; then
    dotnet build "$ROOT/Silo/Silo.csproj" -c Release --nologo -v quiet
  fi
  run_node_suite tests/node node
}

# The first port from $1 upwards that nothing listens on (loopback).
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

start_postgres() {
  log "PostgreSQL (loopback, throwaway)"
  # shellcheck source=lib/postgres.sh
  source "$ROOT/scripts/lib/postgres.sh"
  PG_DIR=/tmp/orleansim-test-pg
  pg_down "$PG_DIR" # a server left by an interrupted run would keep its port after its directory is gone
  rm -rf "$PG_DIR"
  pg_up "$PG_DIR" "${ORLEANSIM_TEST_PG_PORT:-$(free_port 55432)}"
  export ORLEANSIM_TEST_PG="$ORLEANSIM_PG"
  trap stop_services EXIT
  echo "PostgreSQL up: $ORLEANSIM_TEST_PG"
}

# Redis for the tests that run Orleans clustering or reminders on it (RedisTestServer reads ORLEANSIM_TEST_REDIS).
start_redis() {
  log "Redis (loopback, throwaway)"
  # shellcheck source=lib/redis.sh
  source "$ROOT/scripts/lib/redis.sh"
  REDIS_DIR=/tmp/orleansim-test-redis
  redis_down "$REDIS_DIR" # a server left by an interrupted run would keep its port
  rm -rf "$REDIS_DIR"
  redis_up "$REDIS_DIR" "${ORLEANSIM_TEST_REDIS_PORT:-$(free_port 56380)}"
  export ORLEANSIM_TEST_REDIS="$ORLEANSIM_REDIS"
  trap stop_services EXIT
  echo "Redis up: $ORLEANSIM_TEST_REDIS"
}

stop_services() {
  if [ -n "${REDIS_DIR:-}" ]; then redis_down "$REDIS_DIR"; fi
  if [ -n "${PG_DIR:-}" ]; then pg_down "$PG_DIR"; fi
}

apt_install() {
  # Debian's packages, installed only when a command is missing (run `apt-get update` once on a fresh machine).
  local missing=()
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
}


# kubectl renders k8s/ offline (`kubectl kustomize`) for tests/OrleansIm.Tests/Operations/ManifestTests.cs; no
# cluster is used. Missing, those tests fail and say so; the other suites still run.
ensure_kubectl() {
  apt_install kubectl:kubectl || true
  command -v kubectl >/dev/null || echo "kubectl not found and not installable from the configured apt sources: the k8s/ manifest tests will fail (README § The two commands)"
}

run_browser_tests() {
  log "browser and TURN tests (Chromium + coturn)"
  ensure_node
  apt_install chromium:chromium turnserver:coturn turnutils_uclient:coturn
  run_node_suite tests/browser browser
}

ensure_dotnet
ensure_kubectl
start_postgres
start_redis
run_dotnet_tests
run_node_tests
run_browser_tests

echo
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
