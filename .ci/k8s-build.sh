#!/usr/bin/env bash
# Builds, once, the Kubernetes control plane that the tests of connectors/kubernetes run on (package
# connectors/kubernetes/k8stest): etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and
# kwok (fake nodes and pods), from the Go module proxy, into a cache outside the repository:
#
#   ${TOSCAFLOW_K8S_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/toscaflow/k8s/v$K8S_VERSION}
#
# A build from cold takes 15-30 minutes on two idle cores (most of it compiling kube-apiserver) and took 68 on
# two cores shared with seven other engineers; about 2 minutes with a warm Go build cache (linking); nothing
# when the directory is complete: .complete records the versions it was
# built at, written last. A lock makes a second run wait for the first and then find the work done.
# k8stest's tests check that the versions below match its constants.
set -euo pipefail

K8S_VERSION=1.37.2
ETCD_VERSION=3.6.16
KWOK_VERSION=0.8.0

dest="${TOSCAFLOW_K8S_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/toscaflow/k8s/v$K8S_VERSION}"
files=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwok-stages.yaml)
stamp="k8s=v$K8S_VERSION etcd=v$ETCD_VERSION kwok=v$KWOK_VERSION"

say() { echo "k8s-build: $*"; }

# complete: every file is there and the stamp names these versions.
complete() {
  [ "$(cat "$dest/.complete" 2>/dev/null)" = "$stamp" ] || return 1
  for f in "${files[@]}"; do [ -s "$dest/$f" ] || return 1; done
}

# built_here: a directory without the stamp (written by the recipe this script comes from, or by a run that was
# stopped just before the end) is complete when every program runs and says the expected version.
built_here() {
  for f in "${files[@]}"; do [ -s "$dest/$f" ] || return 1; done
  # says PATTERN CMD...: a line of CMD's output is PATTERN. The output is read whole before it is matched:
  # grep -q in a pipe would stop reading early, and with pipefail the writer's SIGPIPE would fail the check.
  says() { local want=$1 out; shift; out=$("$@" 2>/dev/null) || return 1; grep -qx "$want" <<<"$out"; }
  local b
  says "etcd Version: $ETCD_VERSION" "$dest/etcd" --version || return 1
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    says "Kubernetes v$K8S_VERSION" "$dest/$b" --version || return 1
  done
  says "Client Version: v$K8S_VERSION" "$dest/kubectl" version --client || return 1
  says "kwok version v$KWOK_VERSION .*" "$dest/kwok" --version || return 1
}

if complete; then
  say "up to date in $dest"
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "go is not installed" >&2; exit 1; }
command -v flock >/dev/null 2>&1 || { say "flock (util-linux) is not installed" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
if ! flock -n 9; then
  say "another build of $dest is running; waiting for it"
  flock 9
fi
if complete; then # built by the run we waited for
  say "up to date in $dest"
  exit 0
fi
if built_here; then
  echo "$stamp" > "$dest/.complete"
  say "up to date in $dest (checked the versions the programs report)"
  exit 0
fi

start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/toscaflow-k8s-build.XXXXXX")
stage="$dest.partial"
log="$dest.build.log"
trap 'rm -rf "$work"' EXIT
trap 'exit 143' INT TERM # so that the EXIT trap cleans up
rm -rf "$stage" && mkdir -p "$stage"
: > "$log"
say "building etcd v$ETCD_VERSION, Kubernetes v$K8S_VERSION and kwok v$KWOK_VERSION into $dest (log: $log; 15-60 min from cold)"

# The builds run niced: on a shared machine the tests of others keep the CPU they need.
nicely() { if command -v nice >/dev/null 2>&1; then nice -n 10 "$@"; else "$@"; fi; }

build() {
  export GOWORK=off
  # Kubernetes: k8s.io/kubernetes replaces its staging modules (k8s.io/api...) with local directories, which a
  # module that requires it cannot use; pin each to its published v0.<minor>.<patch> instead.
  local staging="0.${K8S_VERSION#1.}" minor
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  mkdir -p "$work/k8s" && cd "$work/k8s"
  local kmod
  kmod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module local/k8sbin"; echo
    sed -n 's/^go \(.*\)$/go \1/p' "$kmod"; echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"; echo
    echo "replace ("
    sed -n '/^replace (/,/^)/p' "$kmod" | grep -oE '^\s+k8s.io/[a-z0-9-]+' |
      awk -v v="v$staging" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport (\n' > tools.go
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c" >> tools.go
  done
  echo ')' >> tools.go
  go mod tidy
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor
    -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
  nicely go build -ldflags "$ldflags" -o "$stage/" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl

  # etcd: its server module replaces its sibling modules with relative paths, ignored in a dependency; pin them.
  mkdir -p "$work/etcd" && cd "$work/etcd"
  {
    printf 'module local/etcdbin\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 v%s\n\nreplace (\n' "$ETCD_VERSION"
    for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do
      printf '\tgo.etcd.io/etcd/%s => go.etcd.io/etcd/%s v%s\n' "$m" "$m" "$ETCD_VERSION"
    done
    echo ')'
  } > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
  go mod tidy
  nicely go build -ldflags "-s -w" -o "$stage/etcd" go.etcd.io/etcd/server/v3

  # kwok, and the stages that move its fake nodes and pods through their states quickly.
  GOBIN="$stage" nicely go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  local s
  s="$(go env GOMODCACHE)/sigs.k8s.io/kwok@v$KWOK_VERSION/kustomize/stage"
  for f in "$s/node/fast/node-initialize.yaml" "$s/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$s"/pod/fast/*.yaml; do
    echo ---
    cat "$f"
  done > "$stage/kwok-stages.yaml"
}

if ! (build) >>"$log" 2>&1; then
  say "build failed; last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "$stamp" > "$stage/.complete"
rm -rf "$dest"
mv "$stage" "$dest"
say "built in $((SECONDS - start)) s into $dest"
