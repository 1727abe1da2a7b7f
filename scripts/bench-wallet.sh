#!/usr/bin/env bash
# The wallet charge benchmark of issue 11 (not a test): builds Release, starts a private MariaDB, runs
# tests/Guide.Benchmarks against the API process and a raw MySqlConnector baseline, prints both and the ratio.
# Extra arguments go to the benchmark: --concurrency 16 --seconds 15 --warm-up 3 --wallets 200
# Issue 16 (a), the points mall's flash redemption (500 requests for 50 units): --phases mall --concurrency 32
# Issue 16 (b), the points expiry job over a million due lots against hand-written SQL: --phases expiry [--lots 1000000]
# Issue 17, WeCom callbacks (10,000 signed posts: 8,000 distinct friend-add and group-join events for 2,000 members, 2,000
# re-sends) at 16 senders, then the time until the ProcessWeComEvents job (every 2 s here) has applied every award, every
# count checked: --phases wecom [--concurrency 16] [--wecom-timeout 300] [--api-env Jobs__ProcessWeComEvents__Cron=...]
# Issue 18, the commission ledger over a million entries (summary vs hand-written GROUP BY, one area's CSV streamed with the
# API's peak working set, posting of 5-line sales documents): --phases commission [--concurrency 16 --seconds 15]
# Issue 19, a guide's care task list (16 guides x 2,000 open tasks, 16 concurrent guides, p95): --phases care-tasks [--seconds 15]
# Issue 19, care generation: a month's birthday plan over 1,000,000 members in 500 stores (the generate-care-tasks command, its
# own process, with its peak working set) against one hand-written INSERT ... SELECT of the same selection; then two re-runs
# that must create nothing: --phases care [--care-members 1000000]
# Issue 20, campaigns: 100,000 members with 0-5 touches each over 30 days (some unsubscribed, some without a phone); an SMS campaign
# over all of them: POST .../estimate (the API) against a hand-written anti-join of the same reachable count (medians of 3, ratio,
# counts checked), then POST .../send and the drain (SendMessages every second, logging SMS): messages per second and the API's
# peak working set (the drain timed for at most --campaign-drain-seconds): --phases campaign [--campaign-members 100000] [--campaign-drain-seconds 120]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RUN_DIR="$ROOT/.test-run/bench"
DATA_DIR="$RUN_DIR/mariadb"
SERVER_LOG="$RUN_DIR/mariadb.log"
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin" ;; esac
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '==> %s\n' "$*"; }
mkdir -p "$RUN_DIR"

# shellcheck source=scripts/mariadb.sh
source "$ROOT/scripts/mariadb.sh"

log "building Release"
dotnet build tests/Guide.Benchmarks -c Release -v quiet -nologo
# The API runs as it is deployed: published without ReadyToRun. Tiering is off (Guide.Api.csproj), so every
# method is JIT-compiled once, fully optimized, on its first call; ReadyToRun code would be what it ran forever,
# and it is slower: measured on this 2-core machine (session 6, issue 14) the charge cost 1.29 ms of API CPU
# from ReadyToRun code and 0.75 ms JIT-compiled (endpoint/raw 0.40 -> 0.60 over many wallets), the guide's
# care task list 2.9 -> 1.9-2.3 ms a page. Tiering on re-compiles in the background for minutes after start.
log "publishing the API (Release) to $RUN_DIR/api"
dotnet publish api/Guide.Api -c Release -r linux-x64 --self-contained false -o "$RUN_DIR/api" -v quiet -nologo
log "benchmark (machine: $(nproc) cores; MariaDB and the API share them with the load generator)"
dotnet tests/Guide.Benchmarks/bin/Release/net10.0/Guide.Benchmarks.dll \
  --api-dll "$RUN_DIR/api/Guide.Api.dll" "$@"
