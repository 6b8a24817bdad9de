#!/usr/bin/env bash
# Pid files of the throwaway processes the scripts start.
# Usage: source scripts/lib/pidfile.sh; pidfile_live <file> <pattern>
#   → prints the pid in <file> if that process still runs and its command line matches the grep pattern
#     (a pid file can outlive its process, and the pid can be reused by another program).

pidfile_live() {
  local file=$1 pattern=$2 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$pattern" || return 1
  echo "$pid"
}
