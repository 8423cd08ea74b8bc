package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/esb/esbtest"
	"github.com/toscaflow/toscaflow/registry"
)

// startServe runs `serve` on a free loopback port with its data in a temporary directory (unless
// cfg.DataDir is set) and returns the API's base URL and a stop function; the server stops (and must
// stop cleanly) when stop is called or the test ends.
func startServe(t testing.TB, cfg serveConfig) (string, func()) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	cfg.DB = filepath.Join(cfg.DataDir, "toscaflow.db")
	addrs := make(chan net.Addr, 1)
	cfg.ready = func(a net.Addr) { addrs <- a }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler)) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err, "serve stops cleanly")
			case <-time.After(60 * time.Second):
				t.Error("serve did not stop within 60s of its context ending")
			}
		})
	}
	t.Cleanup(stop)
	select {
	case a := <-addrs:
		return "http://" + a.String(), stop
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not listen within 60s")
	}
	return "", stop
}

// getJSON GETs url and decodes its JSON body, returning the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if v != nil {
		require.NoError(t, json.Unmarshal(body, v), "%s: %s", url, body)
	}
	return resp.StatusCode
}

// createDeployment POSTs body as JSON to /deployments, requires 201 Created and returns the response's
// deployment and headers.
func createDeployment(t *testing.T, base string, body map[string]any) (map[string]any, http.Header) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(data))
	require.NoError(t, err)
	created, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", created)
	var dep map[string]any
	require.NoError(t, json.Unmarshal(created, &dep))
	return dep, resp.Header
}

func TestServeDeploysAndDeletesWordPress(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server")
	}
	t.Run("in-process bus", func(t *testing.T) { deployAndDeleteWordPress(t, "") })
	t.Run("NATS JetStream bus", func(t *testing.T) { deployAndDeleteWordPress(t, esbtest.StartNATS(t)) })
}

// deployAndDeleteWordPress drives the project's WordPress/MySQL example through the HTTP API of a real
// server on the simulated cloud: created, complete with outputs and resources, deleted, gone from the sim.
func deployAndDeleteWordPress(t *testing.T, busURL string) {
	tmpl := examples.MustRead("wordpress-mysql.yaml")
	base, _ := startServe(t, serveConfig{CheckPeriod: 50 * time.Millisecond, BusURL: busURL})

	t.Run("an invalid template is a 400 listing its problems", func(t *testing.T) {
		bad := `{"template":"tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    x:\n      type: nope.Type\n"}`
		resp, err := http.Post(base+"/deployments", "application/json", strings.NewReader(bad))
		require.NoError(t, err)
		defer resp.Body.Close()
		var e map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.EqualValues(t, 400, e["code"])
		assert.Contains(t, e["message"], "nope.Type")
	})

	dep, header := createDeployment(t, base, map[string]any{"template": string(tmpl),
		"parameters": map[string]any{"db_password": "s3cret"}, "keepLastAttempt": "true"})
	id := dep["uuid"].(string)
	assert.Equal(t, "CREATE_IN_PROGRESS", dep["status"])
	assert.Equal(t, base+"/deployments/"+id, header.Get("Location"))

	require.Eventually(t, func() bool {
		dep = map[string]any{}
		getJSON(t, base+"/deployments/"+id, &dep)
		return dep["status"] != "CREATE_IN_PROGRESS"
	}, 2*time.Minute, 50*time.Millisecond)
	require.Equal(t, "CREATE_COMPLETE", dep["status"], "status reason: %v", dep["statusReason"])
	outputs, _ := dep["outputs"].(map[string]any)
	assert.NotEmpty(t, outputs["wordpress_state"], "outputs: %v", dep["outputs"])
	assert.NotEmpty(t, outputs["mysql_state"], "outputs: %v", dep["outputs"])

	var page map[string]any
	require.Equal(t, http.StatusOK, getJSON(t, base+"/deployments/"+id+"/resources?size=100", &page))
	content := page["content"].([]any)
	nodes := map[string]string{}
	for _, r := range content {
		m := r.(map[string]any)
		nodes[m["toscaNodeName"].(string)] = m["state"].(string)
	}
	for _, n := range []string{"mysql_runtime", "mysql", "wordpress"} {
		assert.Contains(t, nodes, n, "resources: %v", nodes)
	}
	var ledger []map[string]any
	require.Equal(t, http.StatusOK, getJSON(t, base+"/sim/resources", &ledger))
	assert.NotEmpty(t, ledger, "the sim holds the deployment's resources")

	req, err := http.NewRequest(http.MethodDelete, base+"/deployments/"+id, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	require.Eventually(t, func() bool {
		var e map[string]any
		return getJSON(t, base+"/deployments/"+id, &e) == http.StatusNotFound &&
			strings.Contains(e["message"].(string), "doesn't exist")
	}, 2*time.Minute, 50*time.Millisecond)
	ledger = nil
	require.Equal(t, http.StatusOK, getJSON(t, base+"/sim/resources", &ledger))
	assert.Empty(t, ledger, "delete leaves the simulated cloud empty")
}

func TestServeFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
		want func(t *testing.T, c serveConfig)
	}{
		{"defaults", nil, true, func(t *testing.T, c serveConfig) {
			assert.Equal(t, "127.0.0.1:8080", c.Addr)
			assert.Equal(t, filepath.Join(defaultDataDir, "toscaflow.db"), c.DB)
			assert.Empty(t, c.BusURL)
			assert.Equal(t, slog.LevelInfo, c.LogLevel)
		}},
		{"all", []string{"--listen", "[::1]:9", "--data", "d", "--bus", "nats://127.0.0.1:4222", "--sim-config", "s.yaml",
			"--log-level", "debug", "--check-period", "2s", "--allow-remote", "--max-body", "100", "--max-template", "50",
			"--max-nodes", "7", "--max-in-flight", "3"}, true, func(t *testing.T, c serveConfig) {
			assert.Equal(t, serveConfig{Addr: "[::1]:9", AllowRemote: true, DataDir: "d", DB: filepath.Join("d", "toscaflow.db"),
				BusURL: "nats://127.0.0.1:4222", SimConfig: "s.yaml", LogLevel: slog.LevelDebug, CheckPeriod: 2 * time.Second,
				Limits: requestLimits{BodyBytes: 100, TemplateBytes: 50, NodeTemplates: 7, InFlight: 3}}, c)
		}},
		{"bad level", []string{"--log-level", "loud"}, false, nil},
		{"extra argument", []string{"x"}, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseServeFlags(tc.args, io.Discard)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			tc.want(t, c)
		})
	}
}

func TestServerConfiguration(t *testing.T) {
	cat, err := loadCatalogue("", []sim.Config{{Provider: "a"}, {Provider: "b"}}, true)
	require.NoError(t, err)
	got := serverConfiguration(serveConfig{BusURL: "nats://user:pw@127.0.0.1:4222"}, cat)
	assert.Equal(t, map[string]string{"bus": "nats://user:xxxxx@127.0.0.1:4222", "store": "sqlite", "simProviders": "a,b",
		"providers": "a,b", "catalogue": "embedded"}, got)
	assert.Equal(t, "in-process", serverConfiguration(serveConfig{}, registry.DefaultCatalogue())["bus"])
}

func TestServeRefusesNegativeLimits(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--data", t.TempDir(), "--max-nodes", "-1"}, &out, &errb)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errb.String(), "negative")
}

func TestServeRefusesRemoteWithoutFlag(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--listen", "0.0.0.0:0", "--data", t.TempDir()}, &out, &errb)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errb.String(), "not loopback")
}

func TestLoadSimConfigs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	ledger := filepath.Join(dir, "sim.db")

	cfgs, err := loadSimConfigs("", ledger)
	require.NoError(t, err)
	require.Len(t, cfgs, 1)
	assert.Equal(t, "sim", cfgs[0].Provider)
	assert.Equal(t, ledger, cfgs[0].Path)

	cfgs, err = loadSimConfigs(write("one.yaml", "provider: alpha\nseed: 3\ndefault: { latency: { dist: fixed, mean: 20ms } }\n"), ledger)
	require.NoError(t, err)
	require.Len(t, cfgs, 1)
	assert.Equal(t, "alpha", cfgs[0].Provider)
	assert.Equal(t, uint64(3), cfgs[0].Seed)
	assert.Equal(t, 20*time.Millisecond, cfgs[0].Default.Latency.Mean)

	cfgs, err = loadSimConfigs(write("two.yaml", "providers:\n  - provider: a\n  - provider: b\n    path: /elsewhere.db\n"), ledger)
	require.NoError(t, err)
	require.Len(t, cfgs, 2)
	assert.Equal(t, ledger, cfgs[0].Path)
	assert.Equal(t, "/elsewhere.db", cfgs[1].Path)

	for name, text := range map[string]string{
		"typo.yaml":   "provder: a\n",
		"typo2.yaml":  "providers:\n  - provder: a\n",
		"empty.yaml":  "providers: []\n",
		"broken.yaml": "provider: [\n",
	} {
		_, err := loadSimConfigs(write(name, text), ledger)
		assert.Error(t, err, name)
	}
	_, err = loadSimConfigs(filepath.Join(dir, "missing.yaml"), ledger)
	assert.Error(t, err)
}

func TestServeKeepsDeploymentsAcrossRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server twice")
	}
	tmpl := examples.MustRead("wordpress-mysql.yaml")
	cfg := serveConfig{DataDir: t.TempDir(), CheckPeriod: 50 * time.Millisecond}
	base, stop := startServe(t, cfg)
	body, err := json.Marshal(map[string]any{"template": string(tmpl)})
	require.NoError(t, err)
	resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	var dep map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&dep))
	resp.Body.Close()
	id := dep["uuid"].(string)
	require.Eventually(t, func() bool {
		getJSON(t, base+"/deployments/"+id, &dep)
		return dep["status"] == "CREATE_COMPLETE"
	}, 2*time.Minute, 50*time.Millisecond)
	var before []map[string]any
	getJSON(t, base+"/sim/resources", &before)
	stop()

	base, _ = startServe(t, cfg)
	var again map[string]any
	require.Equal(t, http.StatusOK, getJSON(t, base+"/deployments/"+id, &again))
	assert.Equal(t, dep["status"], again["status"])
	assert.Equal(t, dep["outputs"], again["outputs"])
	var after []map[string]any
	getJSON(t, base+"/sim/resources", &after)
	assert.Equal(t, before, after, "the simulated cloud's ledger outlives the restart")
	var out, errb bytes.Buffer
	require.Equal(t, exitOK, run(context.Background(), []string{"sim", "ls", "--json", "--db", filepath.Join(cfg.DataDir, simLedgerFile)}, &out, &errb), errb.String())
	assert.Contains(t, out.String(), id, "sim ls reads the ledger the server writes")
}

func TestServeStopsEverythingWhenTheAPICannotListen(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	dir := t.TempDir()
	cfg := serveConfig{Addr: taken.Addr().String(), DataDir: dir, DB: filepath.Join(dir, "toscaflow.db")}
	done := make(chan error, 1)
	go func() { done <- serve(context.Background(), cfg, slog.New(slog.DiscardHandler)) }()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "listen")
	case <-time.After(60 * time.Second):
		t.Fatal("serve went on without its API")
	}
}

func TestServeWithInjectedFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server")
	}
	tmpl := examples.MustRead("wordpress-mysql.yaml")
	tests := []struct {
		name   string
		faults string
		status string
		reason []string
	}{
		{"a transient fault is retried and the deployment completes",
			"{ kind: transient, first_n: 1, units: [ mysql_runtime ] }", "CREATE_COMPLETE", nil},
		{"a lost reply is retried without a second resource",
			"{ kind: transient, first_n: 1, units: [ wordpress_runtime ], after_effect: true }", "CREATE_COMPLETE", nil},
		{"a permanent fault fails the deployment and leaves nothing behind",
			"{ kind: permanent, first_n: 100, units: [ mysql_runtime ] }", "CREATE_FAILED", []string{"node mysql_runtime", "provider sim", "injected permanent fault"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			simCfg := filepath.Join(dir, "sim.yaml")
			require.NoError(t, os.WriteFile(simCfg, []byte("provider: sim\nseed: 1\noperations:\n  create-deployment-unit:\n    faults: [ "+
				tc.faults+" ]\n"), 0o600))
			base, _ := startServe(t, serveConfig{DataDir: dir, SimConfig: simCfg, CheckPeriod: 50 * time.Millisecond})
			body, err := json.Marshal(map[string]any{"template": string(tmpl)})
			require.NoError(t, err)
			resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(body))
			require.NoError(t, err)
			var dep map[string]any
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&dep))
			resp.Body.Close()
			require.Equal(t, http.StatusCreated, resp.StatusCode, "%v", dep)
			id := dep["uuid"].(string)
			require.Eventually(t, func() bool {
				getJSON(t, base+"/deployments/"+id, &dep)
				return dep["status"] != "CREATE_IN_PROGRESS"
			}, 2*time.Minute, 50*time.Millisecond)
			require.Equal(t, tc.status, dep["status"], "status reason: %v", dep["statusReason"])
			for _, want := range tc.reason {
				assert.Contains(t, dep["statusReason"], want)
			}
			var ledger []map[string]any
			require.Equal(t, http.StatusOK, getJSON(t, base+"/sim/resources", &ledger))
			names := map[string]int{}
			for _, r := range ledger {
				names[r["name"].(string)]++
			}
			if tc.status == "CREATE_FAILED" {
				assert.Empty(t, names, "a failed deployment leaves no resource behind")
				return
			}
			assert.Equal(t, map[string]int{"mysql_runtime": 1, "wordpress_runtime": 1}, names, "one resource per unit")
		})
	}
}
