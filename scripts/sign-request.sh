#!/usr/bin/env bash
# Signs a request to Guide's integration API (/api/integration/...) the way a POS must, and sends it.
#
#   export KEY=pos-001 SECRET=...            # an integration client's key id and secret
#   scripts/sign-request.sh POST /api/integration/members/lookup '{"phone":"13800138000"}'
#   scripts/sign-request.sh --headers POST /api/integration/members/lookup '{"phone":"13800138000"}'
#
# Sends to ${API:-http://localhost:5080} with curl and prints the answer's body; exits non-zero (after printing
# the problem details) when the answer is an HTTP error. --headers prints only the four headers, one
# "Name: value" per line, for another HTTP client (send the body byte for byte as signed). The signature:
#   X-Guide-Signature = base64(HMAC-SHA256(SECRET, METHOD\nPATH_AND_QUERY\nTIMESTAMP\nNONCE\nhex(SHA256(body))\n))
# with X-Guide-Key-Id, X-Guide-Timestamp (unix seconds, within 5 minutes of the server's clock) and
# X-Guide-Nonce (8 to 64 characters, never reused). Needs bash, openssl and curl.
set -euo pipefail

headers_only=false
if [[ ${1:-} == --headers ]]; then headers_only=true; shift; fi
if (($# < 2)); then
  echo "usage: KEY=... SECRET=... $0 [--headers] METHOD PATH_AND_QUERY [BODY]" >&2
  exit 2
fi
method=${1^^}
path=$2
body=${3-}
: "${KEY:?set KEY to the integration client's key id}"
: "${SECRET:?set SECRET to the integration client's secret}"

timestamp=$(date +%s)
nonce=$(openssl rand -hex 12)
body_hash=$(printf '%s' "$body" | openssl dgst -sha256 -r | cut -d' ' -f1)
signature=$(printf '%s\n%s\n%s\n%s\n%s\n' "$method" "$path" "$timestamp" "$nonce" "$body_hash" \
  | openssl dgst -sha256 -hmac "$SECRET" -binary | openssl base64 -A)

headers=(
  "X-Guide-Key-Id: $KEY"
  "X-Guide-Timestamp: $timestamp"
  "X-Guide-Nonce: $nonce"
  "X-Guide-Signature: $signature"
)
if $headers_only; then
  printf '%s\n' "${headers[@]}"
  exit 0
fi

args=(-sS --fail-with-body -X "$method" "${API:-http://localhost:5080}$path")
for h in "${headers[@]}"; do args+=(-H "$h"); done
if [[ -n $body ]]; then args+=(-H 'content-type: application/json' --data-binary "$body"); fi
curl "${args[@]}"
echo
