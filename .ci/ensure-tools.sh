#!/usr/bin/env bash
# Installs, idempotently, what the test suite needs beyond Go on a fresh Debian machine.
# Tests that need one of these tools fail under CI=true when it is missing, and skip (with a message) elsewhere.
set -euo pipefail

need_apt=()
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils)   # XSD validation of written BPMN
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)        # bpmn-js renders of plans, dashboard end-to-end tests
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)          # bpmn-check (bpmn-moddle, bpmnlint)

if ((${#need_apt[@]})); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tools: installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "ensure-tools: missing ${need_apt[*]} (install them with apt-get as root)" >&2
  fi
fi
