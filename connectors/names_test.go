package connectors_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
)

// TestNamesMatchThePlans reads the translator's golden plans (without importing it) and checks that every
// service task asks for a service and an operation that connectors name, of the capability that serves it.
func TestNamesMatchThePlans(t *testing.T) {
	files, err := filepath.Glob("../tosca2bpmn/testdata/*.bpmn")
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skip("no golden plans in ../tosca2bpmn/testdata")
	}
	ops := map[connectors.Service][]connectors.Operation{
		connectors.ServiceContainerCluster: {connectors.OpCreateDeploymentUnit, connectors.OpDeploymentUnitStatus,
			connectors.OpConfigureDeploymentUnit, connectors.OpDisposeDeploymentUnit, connectors.OpUpdateDeploymentUnit},
		connectors.ServiceCloud: {connectors.OpCreateResource, connectors.OpResourceStatus, connectors.OpConfigureResource,
			connectors.OpDeleteResource, connectors.OpUpdateResource},
		connectors.ServiceSoftware: {connectors.OpCreatePackage, connectors.OpConfigurePackage, connectors.OpStartPackage,
			connectors.OpStopPackage, connectors.OpDeletePackage},
	}
	tag := regexp.MustCompile(`<[^>]*\btf:service="([^"]+)"[^>]*>`)
	operation := regexp.MustCompile(`\btf:operation="([^"]+)"`)
	seen := map[connectors.Operation]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range tag.FindAllStringSubmatch(string(src), -1) {
			svc := connectors.Service(m[1])
			if svc == "plan" { // notifications between units: carried by the orchestrator, not by connectors
				continue
			}
			op := operation.FindStringSubmatch(m[0])
			require.NotNil(t, op, "%s: a task of service %s names no operation", f, svc)
			require.Contains(t, ops, svc, "%s: service %q", f, svc)
			assert.Contains(t, ops[svc], connectors.Operation(op[1]), "%s: operation %q of service %q", f, op[1], svc)
			assert.True(t, connectors.Operation(op[1]).Known())
			seen[connectors.Operation(op[1])] = true
		}
	}
	assert.NotEmpty(t, seen)
}
