#!/usr/bin/env bash
# Bundles the dashboard into web/ui/dist (embedded into the binary by go:embed). npm ci installs exactly the versions
# of web/ui/package-lock.json, from npm's own cache (~/.npm) when it has them; it is skipped when node_modules already
# matches the lock file, so repeated builds cost only the bundling.
set -euo pipefail
cd "$(dirname "$0")/../web/ui"
stamp=node_modules/.toscaflow-lock-sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
fi
npm run --silent build
