#!/usr/bin/env bash
# The composite action's install step: build trustaudit from the action's own checkout (the version
# the workflow pinned with `uses: …@ref`), without the optional history database.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --omit=optional >/dev/null
npm run build >/dev/null
echo "trustaudit $(node bin/trustaudit.js --version) installed from $(pwd)"
