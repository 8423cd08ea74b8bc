package bpmncheck

import (
	"os"
	"os/exec"
	"testing"
)

// RequireTools skips t in -short mode (unit tests only) and when the shared directory, node, npm,
// xmllint or Chromium is missing; under CI (the CI environment variable set) a missing tool fails
// the test instead.
func RequireTools(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("bpmncheck: external tools are not run in -short mode")
	}
	if _, err := SharedDir(); err != nil {
		t.Skipf("bpmncheck: ../shared not found (set TOSCAFLOW_SHARED): %v", err)
	}
	var missing []string
	for _, tool := range []string{"node", "npm", "xmllint"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := Chromium(); err != nil {
		missing = append(missing, "chromium")
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("bpmncheck: missing tools %v (run .ci/ensure-tools.sh)", missing)
	}
	t.Skipf("bpmncheck: missing tools %v (install node, npm, libxml2-utils and chromium)", missing)
}
