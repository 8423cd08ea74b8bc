#!/usr/bin/env bash
# The reader against the Python reference parser on the same files, each in one process, and one template as a
# whole process. Installs Debian's python3-tosca-parser when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${TOSCAFLOW_SHARED:-$(pwd)/../shared}"
data="$shared/tosca-corpus/tosca-parser/data"
[ -d "$data" ] || { echo "bench-reference: $data not found (set TOSCAFLOW_SHARED)" >&2; exit 2; }
if ! /usr/bin/python3 -c 'import toscaparser' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-tosca-parser >/dev/null
fi
# Debian's python3-tosca-parser ships without its normative definition file (TOSCA_definition_1_0.yaml);
# the corpus keeps tosca-parser 2.6.0's own, so run a private copy of the package with it put back.
pkg=$(mktemp -d)
cp -r /usr/lib/python3/dist-packages/toscaparser "$pkg/"
cp "$shared/tosca-corpus/tosca-parser/definitions/TOSCA_definition_1_0.yaml" "$pkg/toscaparser/elements/"
export PYTHONPATH="$pkg"
bin=bin/toscaflow
[ -x "$bin" ] || make -s build
list=$(mktemp)
trap 'rm -rf "$list" "$pkg"' EXIT
( cd "$shared/tosca-corpus/tosca-parser" && /usr/bin/python3 "$OLDPWD/.ci/bench-reference.py" data "$list" )
n=$(wc -l < "$list")
start=$(date +%s%N)
( cd "$shared/tosca-corpus/tosca-parser" && xargs "$OLDPWD/$bin" validate < "$list" >/dev/null 2>&1 ) || true
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
echo "toscaflow    $n files in ${ms} ms: $(( n * 1000 / (ms > 0 ? ms : 1) )) files/s"
one="$data/tosca_single_instance_wordpress.yaml"
[ -f "$one" ] || one=$(head -n 1 "$list")
echo "one template as a whole process, 10 runs each ($one):"
for tool in toscaflow tosca-parser; do
  start=$(date +%s%N)
  for _ in $(seq 10); do
    if [ "$tool" = toscaflow ]; then "$bin" validate "$one" >/dev/null 2>&1 || true
    else /usr/bin/python3 -c 'import logging,sys; logging.disable(50); from toscaparser.tosca_template import ToscaTemplate as T; T(sys.argv[1])' "$one" >/dev/null 2>&1 || true; fi
  done
  end=$(date +%s%N)
  echo "  $tool: $(( (end - start) / 10000000 )) ms per run"
done
