package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/registry"
)

const twoSimProviders = `
providers:
  - name: sim-it
    location: { country: IT, site: bologna }
    services: [ { platform: sim } ]
    slas: [ { id: it, priority: 1 } ]
  - name: sim-de
    location: { country: DE, site: karlsruhe }
    services: [ { platform: sim } ]
    slas: [ { id: de, priority: 2 } ]
`

func TestServeRefusesAnInvalidCatalogue(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "catalogue.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`providers:
  - name: a
    services: [ { platform: opnstack } ]
  - name: a
    services: [ { platform: sim, credentials: hunter2 } ]
`), 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--catalogue", file, "--data", dir, "--listen", "127.0.0.1:0"}, &out, &errb)
	assert.Equal(t, exitInvalid, code)
	for _, p := range []string{`providers[0].services[0].platform: unknown "opnstack"`, `providers[1].name: "a" is already`,
		`providers[1].services[0].credentials: not a reference`} {
		assert.Contains(t, errb.String(), p)
	}
	assert.NotContains(t, errb.String(), "hunter2")
}

// TestServeWithACatalogue serves two simulated providers of a catalogue: both are listed with their health,
// a deployment goes to the higher SLA priority, and one whose data must stay in Italy goes to Italy.
func TestServeWithACatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "catalogue.yaml")
	// An OpenStack cloud with the best SLA, but no OpenStack connector in this build: never chosen.
	require.NoError(t, os.WriteFile(file, []byte(twoSimProviders+`  - name: openstack-best
    services: [ { platform: openstack, type: compute, endpoint: "https://keystone.example:5000/v3", credentials: "env:OS_SECRET" } ]
    slas: [ { id: best, priority: 99 } ]
`), 0o600))
	base, _ := startServe(t, serveConfig{DataDir: dir, Catalogue: file, CheckPeriod: 50 * time.Millisecond})

	require.Eventually(t, func() bool {
		var v struct {
			Providers []struct {
				Name, Health string
			}
		}
		require.Equal(t, http.StatusOK, getJSON(t, base+"/providers", &v))
		return len(v.Providers) == 3 && v.Providers[0].Health == "healthy" && v.Providers[1].Health == "healthy" &&
			v.Providers[2].Health == "unhealthy"
	}, time.Minute, 20*time.Millisecond, "both simulated providers checked healthy, the cloud without connector not")
	var conf map[string]string
	getJSON(t, base+"/configuration", &conf)
	assert.Equal(t, "sim-it,sim-de,openstack-best", conf["providers"])

	tmpl := examples.MustRead("wordpress-mysql.yaml")
	for _, tc := range []struct{ name, template, want string }{
		{"by SLA priority", string(tmpl), "sim-de"},
		{"data location", string(tmpl) + "\n  policies:\n    - italy: { type: tosca.policies.Placement, metadata: { data_location: IT } }\n", "sim-it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dep, _ := createDeployment(t, base, map[string]any{"template": tc.template})
			id := dep["uuid"].(string)
			require.Eventually(t, func() bool {
				dep = map[string]any{}
				getJSON(t, base+"/deployments/"+id, &dep)
				return dep["status"] != "CREATE_IN_PROGRESS"
			}, 2*time.Minute, 50*time.Millisecond)
			require.Equal(t, "CREATE_COMPLETE", dep["status"], "status reason: %v", dep["statusReason"])
			assert.Equal(t, tc.want, dep["cloudProviderName"])
			var ledger []map[string]any
			getJSON(t, base+"/sim/resources", &ledger)
			n := 0
			for _, r := range ledger {
				if strings.Contains(strings.ToLower(toJSON(t, r)), strings.ToLower(id)) {
					assert.Equal(t, tc.want, r["provider"], "%v", r)
					n++
				}
			}
			assert.Equal(t, 2, n, "the two deployment units are on %s", tc.want)
		})
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestSimProvidersOfTheCatalogue(t *testing.T) {
	cat, err := registry.ParseCatalogue("c", []byte(twoSimProviders+`  - name: k8s
    services: [ { platform: kubernetes, credentials: "file:/etc/k" } ]
`))
	require.NoError(t, err)
	got, err := simProvidersOf(cat, []sim.Config{{Provider: "sim-de", Seed: 9, Path: "/x.db"}}, "/ledger.db")
	require.NoError(t, err)
	assert.Equal(t, []sim.Config{{Provider: "sim-it", Path: "/ledger.db"}, {Provider: "sim-de", Seed: 9, Path: "/x.db"}}, got,
		"a provider's --sim-config, else the default, on the data directory's ledger")

	_, err = simProvidersOf(cat, []sim.Config{{Provider: "elsewhere"}}, "/ledger.db")
	assert.ErrorContains(t, err, `provider "elsewhere" is not a simulated provider of the catalogue`)

	kube, err := kubeConfigs(cat)
	require.NoError(t, err)
	require.Len(t, kube, 1)
	assert.Equal(t, "k8s", kube[0].Provider)
	assert.Equal(t, "/etc/k", kube[0].Kubeconfig)

	cat.Providers[2].Services[0].Credentials = "env:KUBECONFIG_DATA"
	_, err = kubeConfigs(cat)
	assert.ErrorContains(t, err, "providers[2].services[0].credentials: a kubernetes service takes a kubeconfig file")
}

func TestCatalogueOfSimConfig(t *testing.T) {
	cat, err := loadCatalogue("", nil, false)
	require.NoError(t, err)
	assert.Equal(t, registry.DefaultCatalogue(), cat)
	cat, err = loadCatalogue("", []sim.Config{{Provider: "a"}, {Provider: "b"}}, true)
	require.NoError(t, err)
	require.Len(t, cat.Providers, 2)
	assert.Equal(t, "b", cat.Providers[1].Name)
	assert.Equal(t, []processesRef{{"a", "sim"}, {"b", "sim"}}, refsOf(cat))
}

type processesRef struct{ name, platform string }

func refsOf(cat *registry.Catalogue) []processesRef {
	var out []processesRef
	for _, r := range providerRefs(cat) {
		out = append(out, processesRef{r.Name, string(r.Platform)})
	}
	return out
}

// kubeconfig writes a kubeconfig for an API server at url.
func kubeconfig(t *testing.T, dir, name, url string) string {
	t.Helper()
	file := filepath.Join(dir, name+".kubeconfig")
	require.NoError(t, os.WriteFile(file, fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters: [ { name: c, cluster: { server: %q } } ]
users: [ { name: u, user: { token: test } } ]
contexts: [ { name: c, context: { cluster: c, user: u } } ]
current-context: c
`, url), 0o600))
	return file
}

// TestKubernetesProvidersOfTheCatalogue: each kubernetes provider gets its connector (from the kubeconfig its
// credentials reference), and the health checks reach each cluster's API server.
func TestKubernetesProvidersOfTheCatalogue(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/version" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"major":"1","minor":"30","gitVersion":"v1.30.0"}`)
	}))
	t.Cleanup(api.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // nothing listens there any more
	dir := t.TempDir()
	cat, err := registry.ParseCatalogue("k8s", fmt.Appendf(nil, `providers:
  - name: k8s-up
    services: [ { platform: kubernetes, type: container-cluster, credentials: "file:%s" } ]
  - name: k8s-down
    services: [ { platform: kubernetes, type: container-cluster, credentials: "file:%s" } ]
`, kubeconfig(t, dir, "up", api.URL), kubeconfig(t, dir, "down", gone.URL)))
	require.NoError(t, err)
	services := registry.NewServices()
	ctx := context.Background()
	require.NoError(t, announceKubernetes(ctx, cat, services))
	_, err = services.Lookup(connectors.ServiceContainerCluster, connectors.PlatformKubernetes)
	require.NoError(t, err)

	health := registry.NewHealth(cat, services, registry.HealthConfig{Timeout: 5 * time.Second}, nil)
	health.CheckAll(ctx)
	assert.Equal(t, registry.Healthy, health.ServiceHealth("k8s-up", 0).State)
	down := health.ServiceHealth("k8s-down", 0)
	assert.Equal(t, registry.Unhealthy, down.State)
	assert.NotEmpty(t, down.LastError)
}
