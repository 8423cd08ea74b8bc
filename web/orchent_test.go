package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/client"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// TestOrchentOverTheRealLifecycle drives every endpoint the way orchent does (web/client) against a
// real server over the real lifecycle on the simulated cloud, behind a proxy's prefix.
func TestOrchentOverTheRealLifecycle(t *testing.T) {
	a := startRealAPI(t, web.Config{})
	c := a.client(t)
	ctx := context.Background()
	asError := func(err error) *client.Error {
		t.Helper()
		var e *client.Error
		require.ErrorAs(t, err, &e)
		return e
	}

	// Create, with the scalars orchent sends as strings.
	d, err := c.Create(ctx, client.Request{Template: example(t, "webapp-on-compute.yaml"),
		Parameters: map[string]any{"cpus": 2}, KeepLastAttempt: "true", TimeoutMins: 60, ProviderTimeoutMins: 30,
		MaxProvidersRetry: 1, UserGroup: "beta", Callback: "http://127.0.0.1:1/cb"})
	require.NoError(t, err)
	assert.Equal(t, "CREATE_IN_PROGRESS", d.Status)
	assert.Equal(t, a.base+"deployments/"+d.UUID, client.Links(d.Links)["self"], "absolute links with the proxy's prefix")
	id := d.UUID
	d = awaitStatus(t, c, id, "CREATE_COMPLETE", "CREATE_FAILED")
	require.Equal(t, "CREATE_COMPLETE", d.Status, d.StatusReason)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d\+0000$`, d.UpdateTime)
	assert.Equal(t, "beta", d.UserGroup)

	// More deployments, listed a page of 2 at a time by following next.
	var others []string
	for range 4 {
		o, err := c.Create(ctx, client.Request{Template: apitest.ValidTemplate, Parameters: map[string]any{"cpus": 1}})
		require.NoError(t, err)
		others = append(others, o.UUID)
	}
	all, err := c.Deployments(ctx, "me", 2)
	require.NoError(t, err)
	var ids []string
	for _, x := range all {
		ids = append(ids, x.UUID)
	}
	assert.ElementsMatch(t, append(others, id), ids, "three pages of two followed to the last")
	assert.Equal(t, others[len(others)-1], ids[0], "newest first")
	var big struct {
		Links []client.Link
		Page  client.PageInfo
	}
	require.NoError(t, c.Do(ctx, http.MethodGet, "deployments?size=5000", nil, &big))
	assert.Equal(t, 2000, big.Page.Size, "the page size is clamped")
	assert.Equal(t, a.base+"deployments?page=0&size=2000", client.Links(big.Links)["self"])

	// Resources: paged, filtered by a base type, one by one.
	res, err := c.Resources(ctx, id, "", 1)
	require.NoError(t, err)
	require.Len(t, res, 3)
	assert.Equal(t, []string{"server", "web_server", "shop"}, []string{res[0].ToscaNodeName, res[1].ToscaNodeName, res[2].ToscaNodeName},
		"topological order")
	compute, err := c.Resources(ctx, id, "tosca.nodes.Root", 0)
	require.NoError(t, err)
	assert.Len(t, compute, 3, "a base type matches the types derived from it")
	var filtered []client.Resource
	require.NoError(t, c.Do(ctx, http.MethodGet, "deployments/"+id+"/resources/filter?type=tosca.nodes.Compute", nil, &filtered))
	require.Len(t, filtered, 1)
	server := filtered[0]
	assert.Equal(t, "server", server.ToscaNodeName)
	one, err := c.Resource(ctx, id, server.UUID)
	require.NoError(t, err)
	assert.Equal(t, "STARTED", one.State)
	assert.Equal(t, a.base+"deployments/"+id, client.Links(one.Links)["deployment"])

	// Texts: the template as sent, a log, extrainfo as JSON text, the plan.
	tmpl, err := c.Text(ctx, id, "template")
	require.NoError(t, err)
	assert.Equal(t, example(t, "webapp-on-compute.yaml"), tmpl)
	log, err := c.Text(ctx, id, "log")
	require.NoError(t, err)
	assert.Contains(t, log, "Deployment complete")
	extra, err := c.ExtraInfo(ctx, id)
	require.NoError(t, err)
	assert.Len(t, extra, 3)
	plan, err := c.Text(ctx, id, "bpmn")
	require.NoError(t, err)
	assert.Contains(t, plan, "definitions")
	var stats map[string]any
	require.NoError(t, c.Do(ctx, http.MethodGet, "deployments/"+id+"/statistics", nil, &stats))

	// Actions on the compute node: 202 while the cloud works on it, then the state the cloud reached.
	stopping, err := c.Action(ctx, id, server.UUID, "stop")
	require.NoError(t, err)
	assert.Contains(t, []string{"STOPPING", "STOPPED"}, stopping.State)
	awaitResource(t, c, id, server.UUID, "STOPPED")
	e := asError(c.Do(ctx, http.MethodPost, "deployments/"+id+"/resources/"+server.UUID+"/actions", map[string]string{"type": "stop"}, nil))
	assert.Equal(t, http.StatusConflict, e.Code)
	assert.NotEmpty(t, e.RetryAfter)
	e = asError(c.Do(ctx, http.MethodPost, "deployments/"+id+"/resources/"+res[1].UUID+"/actions", map[string]string{"type": "stop"}, nil))
	assert.Equal(t, http.StatusBadRequest, e.Code, "software is not a compute node")
	_, err = c.Action(ctx, id, server.UUID, "start")
	require.NoError(t, err)
	awaitResource(t, c, id, server.UUID, "STARTED")

	// Update: parameters merged, a body on the 202.
	up, err := c.Update(ctx, id, client.Request{Parameters: map[string]any{"cpus": 4}, KeepLastAttempt: "false"})
	require.NoError(t, err)
	assert.Equal(t, "UPDATE_IN_PROGRESS", up.Status)
	d = awaitStatus(t, c, id, "UPDATE_COMPLETE", "UPDATE_FAILED")
	require.Equal(t, "UPDATE_COMPLETE", d.Status, d.StatusReason)
	tmpl, err = c.Text(ctx, id, "template")
	require.NoError(t, err)
	assert.Equal(t, example(t, "webapp-on-compute.yaml"), tmpl, "parameters alone keep the template")

	// Validation and plans of templates.
	var v struct {
		Valid    bool
		Problems []map[string]any
	}
	require.NoError(t, c.Do(ctx, http.MethodPost, "templates/validate", map[string]any{"template": strings.Replace(apitest.ValidTemplate, "Compute", "Nope", 1)}, &v))
	assert.False(t, v.Valid)
	assert.NotEmpty(t, v.Problems)
	var xml string
	require.NoError(t, c.Do(ctx, http.MethodPost, "templates/plan", map[string]any{"template": apitest.ValidTemplate, "parameters": map[string]any{"cpus": 1}}, &xml))
	assert.Contains(t, xml, "definitions")

	// Errors, each with the error body.
	e = asError(c.Do(ctx, http.MethodPatch, "deployments/"+id, map[string]string{"status": "DELETE_FAILED"}, nil))
	assert.Equal(t, http.StatusConflict, e.Code, "reset only a stuck delete")
	e = asError(c.Do(ctx, http.MethodPost, "deployments", map[string]any{"template": apitest.ValidTemplate}, nil))
	assert.Equal(t, http.StatusBadRequest, e.Code, "a required input is missing")
	assert.Contains(t, e.Message, "cpus")
	e = asError(c.Do(ctx, http.MethodPost, "deployments", map[string]any{"template": apitest.ValidTemplate, "timeoutMins": "5", "providerTimeoutMins": "6"}, nil))
	assert.Contains(t, e.Message, "ProviderTimeout must be <= Timeout")

	// Delete: 204, then 404 with the API's message once removed.
	require.NoError(t, c.Delete(ctx, id, true))
	require.Eventually(t, func() bool {
		_, err := c.Get(ctx, id)
		var e *client.Error
		if errors.As(err, &e) {
			require.Equal(t, http.StatusNotFound, e.Code)
			assert.Equal(t, "The deployment "+id+" doesn't exist", e.Message)
			return true
		}
		require.NoError(t, err)
		return false
	}, waitFor, 10*time.Millisecond)
	for _, o := range others {
		awaitStatus(t, c, o, "CREATE_COMPLETE")
		require.NoError(t, c.Delete(ctx, o, false))
	}
}

// awaitResource polls a resource through the API until it is in state.
func awaitResource(t *testing.T, c *client.Client, id, resID, state string) {
	t.Helper()
	require.Eventually(t, func() bool {
		r, err := c.Resource(context.Background(), id, resID)
		require.NoError(t, err)
		return r.State == state
	}, waitFor, 10*time.Millisecond, "resource %s never reached %s", resID, state)
}
