package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

func TestRouterErrors(t *testing.T) {
	s := apitest.NewServer(t, apitest.NewFake())
	tests := []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound},
		{http.MethodGet, "/deployments/x/nothing", http.StatusNotFound},
		{http.MethodGet, "/sim/resources", http.StatusNotFound},
		{http.MethodPut, "/info", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/deployments", http.StatusMethodNotAllowed},
		{http.MethodPost, "/deployments/x/template", http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			apitest.RequireErrorBody(t, apitest.Call(t, s, tc.method, tc.path, ""), tc.code)
		})
	}
}

func TestMeta(t *testing.T) {
	errDown := errors.New("bus is down")
	var health error
	s := apitest.NewServer(t, apitest.NewFake(), func(d *web.Deps) { d.Health = func(context.Context) error { return health } })

	r := apitest.Call(t, s, http.MethodGet, "/", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Contains(t, r.Body, "toscaflow")
	assert.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"))

	r = apitest.Call(t, s, http.MethodGet, "/info/", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, map[string]any{"version": "test"}, r.JSON(t))

	r = apitest.Call(t, s, http.MethodGet, "/configuration", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, map[string]any{"bus": "in-process"}, r.JSON(t))

	r = apitest.Call(t, s, http.MethodGet, "/healthz", "")
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, map[string]any{"status": "UP"}, r.JSON(t))
	health = errDown
	r = apitest.Call(t, s, http.MethodGet, "/healthz", "")
	v := apitest.RequireErrorBody(t, r, http.StatusServiceUnavailable)
	assert.Contains(t, v["message"], "bus is down")
	assert.Equal(t, "10", r.Header.Get("Retry-After"))
}

func TestSimResources(t *testing.T) {
	ctx := t.Context()
	p, err := sim.NewProviders(ctx, sim.Config{Provider: "sim-a", Path: t.TempDir() + "/ledger.db", Seed: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	s := apitest.NewServer(t, apitest.NewFake(), func(d *web.Deps) { d.Sim = p })

	r := apitest.Call(t, s, http.MethodGet, "/sim/resources", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	assert.Equal(t, "[]\n", r.Body)

	_, err = p.CreateResource(ctx, connectors.Request{Key: "k1", Deployment: "d1",
		Unit: connectors.Unit{ID: "server", Service: "compute", Node: connectors.Node{Name: "server"}}})
	require.NoError(t, err)
	var got []map[string]any
	r = apitest.Call(t, s, http.MethodGet, "/sim/resources/", "")
	require.Equal(t, http.StatusOK, r.Code, r.Body)
	require.NoError(t, json.Unmarshal([]byte(r.Body), &got))
	require.Len(t, got, 1)
	assert.Equal(t, "d1", got[0]["deployment"])
	assert.Equal(t, "server", got[0]["name"])
}

func TestConfigRefusesRemoteWithoutAuth(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true},
		{"[::1]:0", false, true},
		{"localhost:8080", false, true},
		{":8080", false, false},
		{"0.0.0.0:8080", false, false},
		{"192.0.2.1:8080", false, false},
		{"example.org:80", false, false},
		{"0.0.0.0:8080", true, true},
		{"nonsense", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			_, err := web.New(web.Config{Addr: tc.addr, AllowRemote: tc.remote}, web.Deps{Deployments: apitest.NewFake()}, apitest.Quiet)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, web.ErrInvalidConfig)
			}
		})
	}
	_, err := web.New(web.Config{}, web.Deps{}, apitest.Quiet)
	require.ErrorIs(t, err, web.ErrInvalidConfig, "the deployments service is required")
}

func TestRunServesAndShutsDown(t *testing.T) {
	s, err := web.New(web.Config{Addr: "127.0.0.1:0"}, web.Deps{Deployments: apitest.NewFake()}, apitest.Quiet)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, func(a net.Addr) { addrs <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	resp, err := http.Get("http://" + addr.String() + "/healthz")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// panicking is a lifecycle whose Get panics (a bug), which the API answers with a 500 error body.
type panicking struct{ *apitest.Fake }

func (panicking) Get(context.Context, string) (*store.Deployment, error) { panic("bug") }

func TestPanicIsAnErrorBody(t *testing.T) {
	s, err := web.New(web.Config{}, web.Deps{Deployments: panicking{apitest.NewFake()}}, apitest.Quiet)
	require.NoError(t, err)
	v := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/x", ""), http.StatusInternalServerError)
	assert.Equal(t, "internal error", v["message"])
}

func TestHeadOverTheWire(t *testing.T) {
	f := apitest.NewFake()
	d := f.Add("CREATE_COMPLETE", apitest.LocalUser)
	srv := httptest.NewServer(apitest.NewServer(t, f))
	defer srv.Close()
	for _, path := range []string{"/deployments/" + d.UUID, "/deployments/", "/"} {
		resp, err := http.Head(srv.URL + path)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Empty(t, body, path)
	}
}
