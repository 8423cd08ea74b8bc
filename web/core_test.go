package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/client"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// waitFor bounds every wait on the real lifecycle: long enough for a loaded machine, reached only
// on failure.
const waitFor = 60 * time.Second

// realAPI is a web.Server over a real lifecycle on the simulated cloud (store, in-process bus,
// broker, one zero-latency sim provider), served over HTTP under /orchestrator behind a proxy.
type realAPI struct {
	svc  *processes.Service
	srv  *httptest.Server
	base string // the API's base URL, with the proxy's prefix
}

func startRealAPI(t *testing.T, cfg web.Config) *realAPI {
	t.Helper()
	core := apitest.StartCore(t, sim.Behaviour{}, processes.Config{CheckPeriod: 10 * time.Millisecond})
	core.RunLifecycle()
	if cfg.LocalUser == (store.Owner{}) {
		cfg.LocalUser = apitest.LocalUser
	}
	api, err := web.New(cfg, web.Deps{Deployments: core.Svc, Sim: core.Cloud}, apitest.Quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(behindProxy(api))
	t.Cleanup(srv.Close)
	return &realAPI{svc: core.Svc, srv: srv, base: srv.URL + "/orchestrator/"}
}

func (a *realAPI) client(t *testing.T) *client.Client {
	t.Helper()
	hc := a.srv.Client()
	hc.Transport = specTransport{t: t, next: hc.Transport}
	c, err := client.New(a.base, hc)
	require.NoError(t, err)
	return c
}

// specTransport validates every answer against the OpenAPI document (see checkAgainstSpec), the
// proxy's prefix taken off the path.
type specTransport struct {
	t    *testing.T
	next http.RoundTripper
}

func (s specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r := req.Clone(req.Context())
	r.URL.Path = strings.TrimPrefix(r.URL.Path, "/orchestrator")
	apitest.CheckAgainstSpec(s.t, r, resp.StatusCode, resp.Header, body)
	return resp, nil
}

// awaitStatus polls the deployment through the API until it has one of the statuses.
func awaitStatus(t *testing.T, c *client.Client, id string, statuses ...string) *client.Deployment {
	t.Helper()
	var d *client.Deployment
	require.Eventually(t, func() bool {
		var err error
		d, err = c.Get(context.Background(), id)
		require.NoError(t, err)
		for _, s := range statuses {
			if d.Status == s {
				return true
			}
		}
		return false
	}, waitFor, 10*time.Millisecond, "deployment %s never reached %v", id, statuses)
	return d
}

// example returns a template of docs/examples.
func example(t *testing.T, name string) string {
	t.Helper()
	return examples.MustRead(name)
}
