#!/usr/bin/env bash
# A CPU profile of the API under one of the benchmark's phases (not a test): runs scripts/bench-wallet.sh with the
# API's JIT-compiled code visible to perf, waits until the serving API process is busy, records it with perf for a
# while, and prints where its CPU went (by library, then by function).
#
#   scripts/profile-api.sh [--record-seconds 12] [--busy-ticks 75] [--busy-seconds 8] -- <bench-wallet.sh arguments>
#   e.g. scripts/profile-api.sh -- --phases codes --concurrency 16 --seconds 40 --warm-up 5 --wallets 50
#
# What made it work on this machine (session 7, issue 14): perf's software clock event (`-e cpu-clock`; the
# hardware counters are not available in this VM); DOTNET_PerfMapEnabled=1 so the runtime writes
# /tmp/perf-<pid>.map; and DOTNET_EnableWriteXorExecute=0, without which JIT-compiled code runs from a
# double-mapped memfd and perf cannot name any of it. dotnet-trace's sampled thread time is no CPU profile
# here: it counts every thread blocked in native code (epoll, sockets) as unmanaged time.
# The benchmark starts the API twice (migrations, then serving); the second process is the one recorded, once
# it has used more than --busy-ticks clock ticks (1/100 s) a second for --busy-seconds in a row: the set-up (start-up
# compilation, crediting the wallets) is shorter than that, the phase's load (--warm-up + --seconds) longer; keep
# --busy-seconds + --record-seconds well below it (perf's sample count tells: a busy API gives ~10,000 in 12 s at 999 Hz). Recording costs the API some throughput: read ratios from runs without it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RECORD_SECONDS=12
BUSY_TICKS=75
BUSY_SECONDS=8
while [[ $# -gt 0 ]]; do
  case "$1" in
    --record-seconds) RECORD_SECONDS=$2; shift 2 ;;
    --busy-ticks) BUSY_TICKS=$2; shift 2 ;;
    --busy-seconds) BUSY_SECONDS=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1 (bench-wallet.sh arguments go after --)" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "perf is required (Debian: linux-perf)" >&2; exit 1; }
OUT="$ROOT/.test-run/profile"
mkdir -p "$OUT"
API_DLL="$ROOT/.test-run/bench/api/Guide.Api.dll"

scripts/bench-wallet.sh "$@" --api-env DOTNET_PerfMapEnabled=1 --api-env DOTNET_EnableWriteXorExecute=0 > "$OUT/bench.log" 2>&1 &
BENCH=$!
trap 'kill $BENCH 2>/dev/null || true' INT TERM

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
first="" serving=""
while kill -0 $BENCH 2>/dev/null; do
  pid=$(pgrep -f "^dotnet $API_DLL" | tail -1 || true)
  if [[ -n "$pid" && -z "$first" ]]; then first=$pid; fi
  if [[ -n "$pid" && -n "$first" && "$pid" != "$first" ]]; then serving=$pid; break; fi
  sleep 1
done
[[ -n "$serving" ]] || { echo "the serving API never started; see $OUT/bench.log" >&2; exit 1; }
busy=0
while [[ $busy -lt $BUSY_SECONDS ]]; do
  a=$(ticks "$serving") || { echo "the API ended before it got busy" >&2; exit 1; }
  sleep 1
  b=$(ticks "$serving") || { echo "the API ended before it got busy" >&2; exit 1; }
  if (( b - a > BUSY_TICKS )); then busy=$((busy + 1)); else busy=0; fi
done
echo "==> recording API pid $serving for ${RECORD_SECONDS}s ($(date -u +%T))"
perf record -e cpu-clock -F 999 -g -p "$serving" -o "$OUT/perf.data" -- sleep "$RECORD_SECONDS" 2>&1 | tail -1
wait $BENCH || true
grep -v NU1603 "$OUT/bench.log" | tail -6
echo "==> by library"
perf report -i "$OUT/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
echo "==> by function (self)"
perf report -i "$OUT/perf.data" --no-children --sort sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 | cut -c1-200
echo "==> perf data: $OUT/perf.data (perf report -i $OUT/perf.data; the map is /tmp/perf-$serving.map)"
