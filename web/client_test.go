package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web/client"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// behindProxy serves h under /orchestrator as a reverse proxy would: the prefix stripped and announced
// in X-Forwarded-Prefix.
func behindProxy(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/orchestrator")
		if !ok {
			http.NotFound(w, r)
			return
		}
		r.URL.Path = rest
		r.Header.Set("X-Forwarded-Prefix", "/orchestrator")
		h.ServeHTTP(w, r)
	})
}

// TestOrchentStyleClient drives the API over the fake lifecycle with the orchent-style client (paths
// relative to a base URL under a proxy's prefix, next links followed, the error body decoded).
func TestOrchentStyleClient(t *testing.T) {
	f := apitest.NewFake()
	for range 23 {
		f.Add("CREATE_COMPLETE", apitest.LocalUser)
	}
	srv := httptest.NewServer(behindProxy(apitest.NewServer(t, f)))
	defer srv.Close()
	c, err := client.New(srv.URL+"/orchestrator", srv.Client())
	require.NoError(t, err)
	ctx := context.Background()

	all, err := c.Deployments(ctx, "me", 0)
	require.NoError(t, err)
	assert.Len(t, all, 23, "three pages of 10 followed to the end")

	dep, err := c.Create(ctx, client.Request{Template: "tosca_definitions_version: x\n",
		Parameters: map[string]any{"n": 1}, KeepLastAttempt: "true", Callback: "http://cb.example/"})
	require.NoError(t, err)
	self := client.Links(dep.Links)["self"]
	assert.Equal(t, srv.URL+"/orchestrator/deployments/"+dep.UUID, self, "links carry the proxy's prefix")
	var again client.Deployment
	require.NoError(t, c.Do(ctx, http.MethodGet, self, nil, &again), "the self link is followable")
	assert.Equal(t, dep.UUID, again.UUID)
	require.Len(t, f.Created, 1)
	assert.True(t, f.Created[0].KeepLastAttempt, `"keepLastAttempt":"true" is a boolean`)

	tmpl, err := c.Text(ctx, dep.UUID, "template")
	require.NoError(t, err)
	assert.Equal(t, "tosca_definitions_version: x\n", tmpl)

	f.Mu.Lock()
	f.Res[dep.UUID] = []*store.Resource{{UUID: "a", ToscaType: "t"}, {UUID: "b", ToscaType: "t"}, {UUID: "c", ToscaType: "t"}}
	f.Mu.Unlock()
	res, err := c.Resources(ctx, dep.UUID, "", 2)
	require.NoError(t, err)
	assert.Len(t, res, 3)

	require.NoError(t, c.Delete(ctx, dep.UUID, false))
	var e *client.Error
	require.ErrorAs(t, c.Delete(ctx, dep.UUID, false), &e)
	assert.Equal(t, http.StatusConflict, e.Code)
	assert.Equal(t, "10", e.RetryAfter)
	_, err = c.Get(ctx, "nope")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, client.Error{Code: 404, Title: "Not Found", Message: "The deployment nope doesn't exist"}, *e)
	_, err = c.Create(ctx, client.Request{Template: "x", TimeoutMins: 5, ProviderTimeoutMins: 6})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.Code)
	assert.Contains(t, e.Message, "ProviderTimeout must be <= Timeout")
}
