package registry_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/registry"
)

func TestExampleCatalogue(t *testing.T) {
	cat, err := registry.LoadCatalogue(filepath.Join("testdata", "catalogue.yaml"))
	require.NoError(t, err)
	require.Len(t, cat.Providers, 4)
	b := cat.Provider("sim-bologna")
	require.NotNil(t, b)
	assert.Equal(t, registry.Location{Country: "IT", Site: "bologna"}, b.Location)
	assert.Equal(t, "IT/bologna", b.Location.String())
	assert.Equal(t, connectors.PlatformSim, b.Platform())
	require.Len(t, b.SLAs, 2)
	assert.True(t, b.SLAs[0].AppliesTo("beta-testers"))
	assert.False(t, b.SLAs[0].AppliesTo("others"))
	assert.True(t, b.SLAs[1].AppliesTo("others"), "an SLA of no group applies to every group")
	assert.Equal(t, registry.Demand{Instances: 20, VCPUs: 40, RAM: 128 << 30, Storage: 2 << 40}, b.SLAs[0].Quotas.Limits())
	k := cat.Provider("k8s-cesnet")
	require.NotNil(t, k)
	assert.True(t, k.Services[0].Offers(connectors.ServiceContainerCluster))
	assert.False(t, k.Services[0].Offers(connectors.ServiceCompute))
	assert.True(t, b.Services[0].Offers(connectors.ServiceCompute), "an entry with no type offers every service")
	assert.Nil(t, cat.Provider("nowhere"))
}

func TestDefaultCatalogue(t *testing.T) {
	cat := registry.DefaultCatalogue()
	require.Len(t, cat.Providers, 1)
	assert.Equal(t, "sim", cat.Providers[0].Name)
	assert.Equal(t, connectors.PlatformSim, cat.Providers[0].Platform())
	require.NoError(t, cat.Validate())
}

// TestCatalogueValidationListsEveryProblem checks that one read reports every problem of the file, each
// with its path (or, for a field the schema lacks, its line).
func TestCatalogueValidationListsEveryProblem(t *testing.T) {
	_, err := registry.LoadCatalogue(filepath.Join("testdata", "invalid_catalogue.yaml"))
	require.ErrorIs(t, err, registry.ErrInvalidCatalogue)
	var ce *registry.CatalogueError
	require.ErrorAs(t, err, &ce)
	want := []string{
		`line 28: field colour not found`,
		`providers[0].location.country: "Italy": want an ISO 3166 alpha-2 code`,
		`providers[0].services[1]: the same service and platform as providers[0].services[0]`,
		`providers[0].slas[0].priority: -1: must not be negative`,
		`providers[0].slas[0].quotas.vcpus: -2: must not be negative`,
		`providers[0].slas[0].quotas.ram: size "lots"`,
		`providers[1].name: "alpha" is already the name of providers[0]`,
		`providers[1].services[0].platform: unknown "opnstack" (want sim, kubernetes, openstack)`,
		`providers[1].services[0].type: unknown "gpu"`,
		`providers[1].services[0].credentials: not a reference (want file:PATH or env:NAME)`,
		`providers[1].services[1].endpoint: required for openstack`,
		`providers[1].services[1].credentials: env:1BAD is not an environment variable name`,
		`providers[1].slas[0].id: "gold" is already the id of providers[0].slas[0]`,
		`providers[1].slas[0].user_groups[0]: empty group`,
		`providers[2].name: "bad name!": want ASCII letters, digits and '-'`,
		`providers[2].services: at least one service is required`,
		`providers[3].services[0].endpoint: credentials in the URL are refused`,
	}
	require.Len(t, ce.Problems, len(want), strings.Join(ce.Problems, "\n"))
	for i, w := range want {
		assert.Contains(t, ce.Problems[i], w, "problem %d", i)
	}
	assert.NotContains(t, err.Error(), "s3cr3t", "a secret written inline is never echoed")
	assert.NotContains(t, err.Error(), "admin:pw", "nor credentials in a URL")
}

func TestCatalogueErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "the catalogue is empty"},
		{"no providers", "providers: []\n", "providers: at least one provider is required"},
		{"not YAML", "providers: [\n", "did not find expected"},
		{"wrong type", "providers:\n  - name: a\n    services: { platform: sim }\n", "line 3: cannot unmarshal"},
		{"missing platform", "providers:\n  - name: a\n    services: [ { type: compute } ]\n", "providers[0].services[0].platform: required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := registry.ParseCatalogue("test.yaml", []byte(tc.yaml))
			require.ErrorIs(t, err, registry.ErrInvalidCatalogue)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "test.yaml")
		})
	}
}

func TestReadCredential(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(file, []byte("from-file"), 0o600))
	t.Setenv("TOSCAFLOW_TEST_CREDENTIAL", "from-env")

	got, err := registry.ReadCredential("file:" + file)
	require.NoError(t, err)
	assert.Equal(t, "from-file", string(got))
	got, err = registry.ReadCredential("env:TOSCAFLOW_TEST_CREDENTIAL")
	require.NoError(t, err)
	assert.Equal(t, "from-env", string(got))
	got, err = registry.ReadCredential("")
	require.NoError(t, err)
	assert.Nil(t, got)

	_, err = registry.ReadCredential("env:TOSCAFLOW_TEST_UNSET_CREDENTIAL")
	assert.ErrorContains(t, err, "not set")
	_, err = registry.ReadCredential("file:" + filepath.Join(dir, "missing"))
	assert.Error(t, err)
	_, err = registry.ReadCredential("hunter2")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "hunter2")
}
