package ui

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJavaScriptUnits runs the dashboard's JavaScript unit tests (test/*.test.mjs, node's own test runner) on the
// sources: token counting, template reading, CSARs, constraints. They need node and the packages `npm ci` installs
// (make ui, .ci/ensure-tools.sh).
func TestJavaScriptUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat("node_modules/yaml/package.json")
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or web/ui/node_modules missing (CI is set: make ui installs them): %v", err)
		}
		t.Skipf("node or web/ui/node_modules missing (cd web/ui && npm ci): %v", err)
	}
	out, err := exec.Command(node, "--test", "test/").CombinedOutput()
	require.NoError(t, err, "node --test:\n%s", out)
}
