package web_test

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
func (refusingJournal) Changed() <-chan struct{} { return nil }

// TestLiveEndpointsNeedCredentials: with authentication on, the event stream of another user's
// deployment is a 403, and both live endpoints refuse a request without a token.
func TestLiveEndpointsNeedCredentials(t *testing.T) {
	keys, err := issuerKeys()
	require.NoError(t, err)
	is := oidctest.Start(t, oidctest.WithKeys(keys...))
	v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience,
		AdminGroup: "admins"}}}, auth.Options{HTTPClient: is.Client(), Logger: quiet})
	require.NoError(t, err)
	f := newFake()
	bob := f.add("CREATE_IN_PROGRESS", store.Owner{Issuer: is.URL, Subject: "bob"})
	s, err := web.New(web.Config{Auth: v, Addr: "0.0.0.0:8080"},
		web.Deps{Deployments: f, Live: web.LiveDeps{Journal: refusingJournal{}}}, quiet)
	require.NoError(t, err)

	alice := bearer(is.Token(nil))
	m := requireErrorBody(t, call(t, s, http.MethodGet, "/deployments/"+bob.UUID+"/events", "", alice), http.StatusForbidden)
	assert.Contains(t, m["message"], "another user")
	for _, path := range []string{"/deployments/" + bob.UUID + "/events", "/metrics"} {
		r := call(t, s, http.MethodGet, path, "")
		requireErrorBody(t, r, http.StatusUnauthorized)
		assert.Contains(t, r.header.Get("WWW-Authenticate"), "Bearer")
	}
	r := call(t, s, http.MethodGet, "/metrics", "", alice)
	assert.Equal(t, http.StatusOK, r.code)
	assert.Contains(t, r.body, "toscaflow_http_requests_total")
}

// TestMetricsOpenWhenConfigured: /metrics needs a token by default; the authentication configuration's
// openMetrics serves it to an anonymous scrape, and nothing else.
func TestMetricsOpenWhenConfigured(t *testing.T) {
	keys, err := issuerKeys()
	require.NoError(t, err)
	is := oidctest.Start(t, oidctest.WithKeys(keys...))
	for _, open := range []bool{false, true} {
		t.Run(fmt.Sprintf("openMetrics %t", open), func(t *testing.T) {
			v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience}},
				OpenMetrics: open}, auth.Options{HTTPClient: is.Client(), Logger: quiet})
			require.NoError(t, err)
			f := newFake()
			d := f.add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "alice"})
			s, err := web.New(web.Config{Auth: v}, web.Deps{Deployments: f, Live: web.LiveDeps{Journal: refusingJournal{}}}, quiet)
			require.NoError(t, err)

			r := call(t, s, http.MethodGet, "/metrics", "")
			if open {
				require.Equal(t, http.StatusOK, r.code, r.body)
				assert.Contains(t, r.body, "# TYPE go_goroutines gauge", "the Prometheus text format")
			} else {
				requireErrorBody(t, r, http.StatusUnauthorized)
			}
			for _, path := range []string{"/deployments", "/deployments/" + d.UUID, "/deployments/" + d.UUID + "/events", "/configuration"} {
				requireErrorBody(t, call(t, s, http.MethodGet, path, ""), http.StatusUnauthorized)
			}
		})
	}
}
