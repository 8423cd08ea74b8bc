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

# bpmn-check's npm packages (bpmn-js, bpmn-moddle, bpmnlint, pinned by the shared lock file) are installed once
# into a cache outside the repository, here in the set-up step, so that the tests themselves reach no registry.
# bpmncheck.Installed does the install (keyed by the lock file's hash, under a lock); its reuse test drives it.
shared="${TOSCAFLOW_SHARED:-$(cd "$(dirname "$0")/.." && pwd)/../shared}"
if [ -d "$shared/tools/bpmn-check" ] && command -v npm >/dev/null 2>&1; then
  TOSCAFLOW_SHARED="$shared" go test -count=1 -run '^TestInstalledIsReused$' ./bpmn/bpmncheck >/dev/null
fi

# The dashboard's bundle, which the binary embeds and its browser end-to-end test drives.
if command -v npm >/dev/null 2>&1; then
  "$(dirname "$0")/build-ui.sh"
fi

# A real Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok) for the tests of
# connectors/kubernetes, built once from the Go module proxy into ~/.cache/toscaflow/k8s (15-30 min cold on two
# cores; nothing when cached).
"$(dirname "$0")/k8s-build.sh"
