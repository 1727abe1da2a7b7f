#!/usr/bin/env bash
# The TypeScript contracts (miniprogram-contracts/typescript), run by scripts/test.sh after the .NET build:
#   npm ci; tsc strict over the package and its tests; the generated types are current with openapi.json;
#   node's test runner over the client's unit tests, the generator's tests and the flows against the API
#   started in simulator mode (scripts/lib/simulator.sh, with a signing key made here so that a test can
#   make an expired token).
# Writes RESULTS_FOLDER/contracts-checks.junit.xml (the tsc and generated-file checks, one test case each)
# and RESULTS_FOLDER/contracts.junit.xml (node --test). Exits non-zero when anything failed.
#
#   scripts/suites/contracts.sh RESULTS_FOLDER      (needs api/Guide.Api built in Release)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS=${1:?usage: contracts.sh RESULTS_FOLDER}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
PACKAGE="$ROOT/miniprogram-contracts/typescript"
status=0

log() { printf '==> contracts: %s\n' "$*"; }
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

cd "$PACKAGE" || exit 1
log "npm ci"
if ! npm ci --no-audit --no-fund; then
  echo "contracts: npm ci failed" >&2
  exit 1
fi

# One JUnit test case per check, with its output in the failure when it fails.
checks_xml=""
check() {
  local name=$1
  shift
  log "$name"
  local output rc=0
  output=$("$@" 2>&1) || rc=$?
  [[ -n $output ]] && printf '%s\n' "$output"
  if ((rc == 0)); then
    checks_xml+="    <testcase classname=\"contracts.checks\" name=\"$name\"/>"$'\n'
  else
    status=1
    checks_xml+="    <testcase classname=\"contracts.checks\" name=\"$name\"><failure message=\"exit $rc\">$(printf '%s' "$output" | tail -n 60 | xml_escape)</failure></testcase>"$'\n'
  fi
}
check "tsc --noEmit (strict) over the generated types, the client and the tests" npm run --silent typecheck
check "src/generated/api.ts is current with miniprogram-contracts/openapi.json" npm run --silent check-generated
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<testsuites>'
  echo '  <testsuite name="contracts checks">'
  printf '%s' "$checks_xml"
  echo '  </testsuite>'
  echo '</testsuites>'
} >"$RESULTS/contracts-checks.junit.xml"

log "build (tsc)"
if ! npm run --silent build; then
  echo "contracts: the tests do not compile" >&2
  exit 1
fi

# shellcheck source=scripts/lib/simulator.sh
source "$ROOT/scripts/lib/simulator.sh"
signing_key=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
SIMULATOR_ENV=("Auth__SigningKey=$signing_key")
trap simulator_stop EXIT
log "start the API in simulator mode"
if ! simulator_start contracts; then
  echo "contracts: the simulator did not start" >&2
  exit 1
fi

log "node --test against $SIMULATOR_URL"
test_rc=0
GUIDE_API_URL=$SIMULATOR_URL GUIDE_TEST_SIGNING_KEY=$signing_key node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$RESULTS/contracts.junit.xml" \
  dist/test/client.test.js dist/test/simulator.test.js test/generate.test.mjs || test_rc=$?
simulator_stop
if ((test_rc != 0)); then
  echo "contracts: node --test exited with $test_rc" >&2
  status=1
fi
exit "$status"
