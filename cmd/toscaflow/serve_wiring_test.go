package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// postTemplate creates a deployment of a docs/examples template and returns its id.
func postTemplate(t *testing.T, base, example, token string) string {
	t.Helper()
	tmpl := examples.MustRead(example)
	body, err := json.Marshal(map[string]any{"template": string(tmpl)})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, base+"/deployments", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	created, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", created)
	var dep map[string]any
	require.NoError(t, json.Unmarshal(created, &dep))
	return dep["uuid"].(string)
}

// TestServeLiveEndpoints: the real server feeds GET /deployments/{id}/events and /metrics from the lifecycle.
func TestServeLiveEndpoints(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server")
	}
	base, _ := startServe(t, serveConfig{CheckPeriod: 50 * time.Millisecond})
	id := postTemplate(t, base, "wordpress-mysql.yaml", "")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/deployments/"+id+"/events", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/event-stream")
	lines := bufio.NewScanner(resp.Body)
	sawEvent := false
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "event:") || strings.HasPrefix(lines.Text(), "data:") {
			sawEvent = true
			break
		}
	}
	assert.True(t, sawEvent, "the stream carries events")
	cancel()

	resp, err = http.Get(base + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(metrics), "toscaflow_engine_steps_total", "the lifecycle's collectors are registered")
}

// TestServeWithAuthentication: with --auth-config, requests need a bearer token of a trusted issuer.
func TestServeWithAuthentication(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts the whole server")
	}
	iss := oidctest.Start(t)
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "auth.yaml")
	require.NoError(t, os.WriteFile(cfgFile, fmt.Appendf(nil, "issuers:\n  - issuer: %s\n    audience: %s\n    adminGroup: admins\n",
		iss.URL, oidctest.Audience), 0o600))
	base, _ := startServe(t, serveConfig{DataDir: dir, AuthConfig: cfgFile, CheckPeriod: 50 * time.Millisecond})

	get := func(path, token string) int {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, get("/deployments", ""))
	assert.Equal(t, http.StatusUnauthorized, get("/providers", ""))
	assert.Equal(t, http.StatusOK, get("/info", ""), "anonymous")
	token := iss.Token(map[string]any{"sub": "alice"})
	assert.Equal(t, http.StatusOK, get("/deployments", token))
	assert.Equal(t, http.StatusOK, get("/providers", token))
	id := postTemplate(t, base, "webapp-on-compute.yaml", token)
	assert.Equal(t, http.StatusOK, get("/deployments/"+id, token))
	assert.Equal(t, http.StatusForbidden, get("/deployments/"+id, iss.Token(map[string]any{"sub": "mallory"})))
}

func TestServeRefusesAnInvalidAuthConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "auth.yaml")
	require.NoError(t, os.WriteFile(file, []byte("issuers:\n  - issuer: ftp://nowhere\n"), 0o600))
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--auth-config", file, "--data", dir, "--listen", "127.0.0.1:0"}, &out, &errb)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, errb.String(), "ftp://nowhere")
}
