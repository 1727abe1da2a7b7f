#!/usr/bin/env bash
# Start and stop the Guide API in simulator mode (fake WeChat on loopback, SQLite in a fresh data folder),
# for test suites that drive the real server over HTTP. Source it, then:
#
#   simulator_start NAME      # builds nothing: runs api/Guide.Api/bin/Release/net10.0/Guide.Api.dll
#   curl "$SIMULATOR_URL/health/ready"
#   simulator_stop
#
# The server's log is .test-run/simulator-NAME/api.log; its data folder .test-run/simulator-NAME/data
# (removed before every start, so each run begins from the simulator's seed).

SIMULATOR_ROOT=${SIMULATOR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SIMULATOR_PID=
SIMULATOR_URL=

simulator_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

simulator_start() {
  local name=${1:?simulator_start NAME}
  local dir="$SIMULATOR_ROOT/.test-run/simulator-$name"
  local dll="$SIMULATOR_ROOT/api/Guide.Api/bin/Release/net10.0/Guide.Api.dll"
  [[ -f $dll ]] || { echo "simulator: $dll is missing (dotnet build Guide.sln -c Release first)" >&2; return 1; }
  rm -rf "$dir"
  mkdir -p "$dir/data"
  local port
  port=$(simulator_free_port)
  SIMULATOR_URL="http://127.0.0.1:$port"
  (cd "$SIMULATOR_ROOT/api/Guide.Api" && exec env ASPNETCORE_ENVIRONMENT=Development Simulator__Enabled=true \
      ASPNETCORE_URLS="$SIMULATOR_URL" Database__DataFolder="$dir/data" "${SIMULATOR_ENV[@]}" \
      dotnet "$dll") >"$dir/api.log" 2>&1 &
  SIMULATOR_PID=$!
  local i
  for ((i = 0; i < 240; i++)); do
    if curl -fsS -o /dev/null "$SIMULATOR_URL/health/ready" 2>/dev/null; then return 0; fi
    if ! kill -0 "$SIMULATOR_PID" 2>/dev/null; then
      echo "simulator: the API exited during start-up; its log:" >&2
      tail -n 40 "$dir/api.log" >&2
      SIMULATOR_PID=
      return 1
    fi
    sleep 0.25
  done
  echo "simulator: not ready after 60 s; its log:" >&2
  tail -n 40 "$dir/api.log" >&2
  simulator_stop
  return 1
}

simulator_stop() {
  [[ -n $SIMULATOR_PID ]] || return 0
  kill "$SIMULATOR_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 40; i++)); do kill -0 "$SIMULATOR_PID" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$SIMULATOR_PID" 2>/dev/null || true
  wait "$SIMULATOR_PID" 2>/dev/null || true
  SIMULATOR_PID=
}

# Extra environment for the API process: SIMULATOR_ENV=(Name=value ...) before simulator_start.
declare -p SIMULATOR_ENV >/dev/null 2>&1 || SIMULATOR_ENV=()
