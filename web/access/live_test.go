package access_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// refusingJournal is a journal the tests below never reach: the credentials and the owner are checked
// before a stream reads anything.
type refusingJournal struct{}

var errReached = errors.New("the journal was read")

func (refusingJournal) Tail(string, int64) *processes.Tail { panic(errReached) }
func (refusingJournal) PlanState(context.Context, string, int64) ([]processes.RunState, int64, error) {
	return nil, 0, errReached
}
func (refusingJournal) MultiInstance(context.Context, string) (map[string]processes.MICounts, error) {
	return nil, errReached
}
func (refusingJournal) ChangedFor(string) <-chan struct{} { return nil }

// TestLiveEndpointsNeedCredentials: with authentication on, the event stream of another user's
// deployment is a 403, and both live endpoints refuse a request without a token.
func TestLiveEndpointsNeedCredentials(t *testing.T) {
	keys, err := apitest.IssuerKeys()
	require.NoError(t, err)
	is := oidctest.Start(t, oidctest.WithKeys(keys...))
	v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience,
		AdminGroup: "admins"}}}, auth.Options{HTTPClient: is.Client(), Logger: apitest.Quiet})
	require.NoError(t, err)
	f := apitest.NewFake()
	bob := f.Add("CREATE_IN_PROGRESS", store.Owner{Issuer: is.URL, Subject: "bob"})
	s, err := web.New(web.Config{Auth: v, Addr: "0.0.0.0:8080"},
		web.Deps{Deployments: f, Live: web.LiveDeps{Journal: refusingJournal{}}}, apitest.Quiet)
	require.NoError(t, err)

	alice := apitest.Bearer(is.Token(nil))
	m := apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, "/deployments/"+bob.UUID+"/events", "", alice), http.StatusForbidden)
	assert.Contains(t, m["message"], "another user")
	for _, path := range []string{"/deployments/" + bob.UUID + "/events", "/metrics"} {
		r := apitest.Call(t, s, http.MethodGet, path, "")
		apitest.RequireErrorBody(t, r, http.StatusUnauthorized)
		assert.Contains(t, r.Header.Get("WWW-Authenticate"), "Bearer")
	}
	r := apitest.Call(t, s, http.MethodGet, "/metrics", "", alice)
	assert.Equal(t, http.StatusOK, r.Code)
	assert.Contains(t, r.Body, "toscaflow_http_requests_total")
}

// TestMetricsOpenWhenConfigured: /metrics needs a token by default; the authentication configuration's
// openMetrics serves it to an anonymous scrape, and nothing else.
func TestMetricsOpenWhenConfigured(t *testing.T) {
	keys, err := apitest.IssuerKeys()
	require.NoError(t, err)
	is := oidctest.Start(t, oidctest.WithKeys(keys...))
	for _, open := range []bool{false, true} {
		t.Run(fmt.Sprintf("openMetrics %t", open), func(t *testing.T) {
			v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience}},
				OpenMetrics: open}, auth.Options{HTTPClient: is.Client(), Logger: apitest.Quiet})
			require.NoError(t, err)
			f := apitest.NewFake()
			d := f.Add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "alice"})
			s, err := web.New(web.Config{Auth: v}, web.Deps{Deployments: f, Live: web.LiveDeps{Journal: refusingJournal{}}}, apitest.Quiet)
			require.NoError(t, err)

			r := apitest.Call(t, s, http.MethodGet, "/metrics", "")
			if open {
				require.Equal(t, http.StatusOK, r.Code, r.Body)
				assert.Contains(t, r.Body, "# TYPE go_goroutines gauge", "the Prometheus text format")
			} else {
				apitest.RequireErrorBody(t, r, http.StatusUnauthorized)
			}
			for _, path := range []string{"/deployments", "/deployments/" + d.UUID, "/deployments/" + d.UUID + "/events", "/configuration"} {
				apitest.RequireErrorBody(t, apitest.Call(t, s, http.MethodGet, path, ""), http.StatusUnauthorized)
			}
		})
	}
}
