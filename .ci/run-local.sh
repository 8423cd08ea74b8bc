#!/usr/bin/env bash
# What `make run` does until `toscaflow serve` exists (issue 5): validate the project's example templates and
# write the provisioning plan of the paper's WordPress/MySQL scenario, ready to open in bpmn.io (demo.bpmn.io).
set -euo pipefail
bin="$1"
"$bin" version
"$bin" validate docs/examples/*.yaml
out=bin/wordpress-mysql.bpmn
"$bin" plan -o "$out" docs/examples/wordpress-mysql.yaml
"$bin" plan --undeploy -o bin/wordpress-mysql-undeploy.bpmn docs/examples/wordpress-mysql.yaml
echo "plans written: $out bin/wordpress-mysql-undeploy.bpmn (open them in bpmn.io)"
