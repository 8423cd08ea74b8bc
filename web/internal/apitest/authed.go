package apitest

import (
	"sync"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
)

// Authed is an API with authentication on, trusting one local issuer whose group "admins" administers.
type Authed struct {
	Issuer *oidctest.Issuer
	Fake   *Fake
	Server *web.Server
	// Alice and Bob are deployments of the users alice and bob, each with a compute resource.
	Alice, Bob *store.Deployment
}

// IssuerKeys are made once per test binary: RSA key generation is most of an issuer's start-up.
var IssuerKeys = sync.OnceValues(oidctest.DefaultKeys)

// NewAuthed starts the issuer and the API over a Fake, on clock when one is given (else the real one).
func NewAuthed(t testing.TB, clock ...clockwork.Clock) *Authed {
	t.Helper()
	keys, err := IssuerKeys()
	require.NoError(t, err)
	c := clockwork.NewRealClock()
	if len(clock) > 0 {
		c = clock[0]
	}
	is := oidctest.Start(t, oidctest.WithKeys(keys...), oidctest.WithClock(c))
	v, err := auth.New(t.Context(), auth.Config{Issuers: []auth.IssuerConfig{{Issuer: is.URL, Audience: oidctest.Audience,
		AdminGroup: "admins"}}}, auth.Options{HTTPClient: is.Client(), Logger: Quiet, Clock: c})
	require.NoError(t, err)
	f := NewFake()
	a := &Authed{Issuer: is, Fake: f}
	a.Alice = f.Add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "alice"})
	a.Bob = f.Add("CREATE_COMPLETE", store.Owner{Issuer: is.URL, Subject: "bob"})
	for _, d := range []*store.Deployment{a.Alice, a.Bob} {
		f.Res[d.UUID] = []*store.Resource{{UUID: "vm-" + d.UUID, ToscaType: "tosca.nodes.Compute", State: "STARTED"}}
	}
	a.Server, err = web.New(web.Config{Auth: v, Addr: "0.0.0.0:8080"}, web.Deps{Deployments: f}, Quiet)
	require.NoError(t, err, "with authentication any listen address is allowed")
	return a
}

// Bearer is the Authorization header of a token, for Call.
func Bearer(tok string) string { return "Authorization: Bearer " + tok }
