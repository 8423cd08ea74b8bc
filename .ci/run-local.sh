#!/usr/bin/env bash
# What `make run` does until `toscaflow serve` exists (issue 5): validate the project's example templates.
set -euo pipefail
bin="$1"
"$bin" version
shopt -s nullglob
examples=(docs/examples/*.yaml)
if ((${#examples[@]})); then
  "$bin" validate "${examples[@]}"
fi
