#!/usr/bin/env bash
# `make run`: one process on http://127.0.0.1:8080 with a SQLite file, the in-process bus and one simulated
# provider (auth off, loopback only). Data lives in ./toscaflow-data (git-ignored) and survives restarts.
set -euo pipefail
bin="$1"
"$bin" validate docs/examples/*.yaml
echo "toscaflow: serving on http://127.0.0.1:8080 — try:"
echo "  curl -s -H 'Content-Type: application/json' \\"
echo "    -d \"\$(jq -Rs '{template: .}' docs/examples/wordpress-mysql.yaml)\" http://127.0.0.1:8080/deployments"
exec "$bin" serve -data toscaflow-data -listen 127.0.0.1:8080
