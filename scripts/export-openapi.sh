#!/usr/bin/env bash
# Writes the OpenAPI document the API publishes to miniprogram-contracts/openapi.json (no server, no database)
# and regenerates the TypeScript types from it. Run after changing a route, a contract or an error code;
# the test suite fails while the committed files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build api/Guide.Api -v quiet -nologo >/dev/null
dotnet api/Guide.Api/bin/Debug/net10.0/Guide.Api.dll openapi miniprogram-contracts/openapi.json
if [[ -d miniprogram-contracts/typescript/node_modules ]]; then
  (cd miniprogram-contracts/typescript && npm run --silent generate)
else
  echo "miniprogram-contracts/typescript: run npm ci there, then npm run generate" >&2
fi
