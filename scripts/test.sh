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
  dotnet test OrleansIm.sln -c Release --nologo 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  set -e
  local p f
  # dotnet test prints "Failed: N, Passed: N, ..." once per test assembly.
  p=$(grep -Eo 'Passed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  f=$(grep -Eo 'Failed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "dotnet test exited with $rc (build or runner failure)"; fi
  count "$p" "$f" dotnet
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node/npm missing: installing Debian's nodejs and npm"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
}

# The STOMP dialect end to end with stock @stomp/stompjs (tests/node) against the Release Silo build.
run_node_tests() {
  log "node tests (STOMP with @stomp/stompjs)"
  local out="$ROOT/.test-output/node.log"
  mkdir -p "$ROOT/.test-output"
  ensure_node
  if [ ! -f "$ROOT/Silo/bin/Release/net10.0/OrleansIm.Silo.dll" ]; then
    dotnet build "$ROOT/Silo/Silo.csproj" -c Release --nologo -v quiet
  fi
  set +e
  (cd "$ROOT/tests/node" && npm ci --no-audit --no-fund --loglevel=error && node --test) 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  set -e
  local p f
  # node's test runner closes with "# pass N" and "# fail N".
  p=$(grep -Eo '^# pass [0-9]+' "$out" | awk '{s+=$3} END {print s+0}')
  f=$(grep -Eo '^# fail [0-9]+' "$out" | awk '{s+=$3} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "node tests exited with $rc (install or runner failure)"; fi
  count "$p" "$f" node
}

start_postgres() {
  log "PostgreSQL (loopback, throwaway)"
  # shellcheck source=lib/postgres.sh
  source "$ROOT/scripts/lib/postgres.sh"
  PG_DIR=/tmp/orleansim-test-pg
  rm -rf "$PG_DIR"
  pg_up "$PG_DIR" "${ORLEANSIM_TEST_PG_PORT:-55432}"
  export ORLEANSIM_TEST_PG="$ORLEANSIM_PG"
  trap 'pg_down "$PG_DIR"' EXIT
  echo "PostgreSQL up: $ORLEANSIM_TEST_PG"
}

ensure_dotnet
start_postgres
run_dotnet_tests
run_node_tests

echo
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
