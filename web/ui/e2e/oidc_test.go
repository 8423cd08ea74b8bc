package e2e

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/auth"
	"github.com/toscaflow/toscaflow/web/auth/oidctest"
	"github.com/toscaflow/toscaflow/web/ui"
)

// listOnly is a deployments service that can only list (what the dashboard's first page asks for); it records
// who listed. Any other call would be a bug of this test (the nil interface panics, the API answers 500).
type listOnly struct {
	web.Deployments
	owners chan store.Owner
}

func (l listOnly) List(_ context.Context, f store.DeploymentFilter, p store.Page) (store.Paged[*store.Deployment], error) {
	select {
	case l.owners <- f.Owner:
	default:
	}
	return store.Paged[*store.Deployment]{}, nil
}

// TestSignInWithOIDC signs in to a server with authentication on, through a local OpenID Connect issuer, with the
// authorization-code flow and PKCE as a public client, and lists the deployments with the token it got.
func TestSignInWithOIDC(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: drives Chromium")
	}
	need(t, ui.Built(), "the dashboard's bundle is not built (cd web/ui && npm ci && npm run build)")
	ctx := browser(t)
	dir := artifacts(t)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	iss := oidctest.Start(t,
		oidctest.WithClient(oidctest.Client{ID: "toscaflow-dashboard", RedirectURIs: []string{base + "/ui/"}}),
		oidctest.WithUser(oidctest.User{Subject: "u-42", Name: "Ada Lovelace", Email: "ada@example.org"}))
	vctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	verifier, err := auth.New(vctx, auth.Config{Issuers: []auth.IssuerConfig{{
		Issuer: iss.URL, Audience: oidctest.Audience, ClientID: "toscaflow-dashboard"}}}, auth.Options{HTTPClient: iss.Client()})
	require.NoError(t, err)
	deps := listOnly{owners: make(chan store.Owner, 16)}
	api, err := web.New(web.Config{Auth: verifier}, web.Deps{Deployments: deps}, nil)
	require.NoError(t, err)
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	// Without a token, the API refuses the list; the dashboard asks the user to sign in.
	resp, err := http.Get(base + "/deployments")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	run(t, ctx, dir, "sign-in page", 20*time.Second,
		chromedp.Navigate(base+"/ui/"),
		chromedp.WaitVisible(css(`main button.primary`)))
	shot(t, ctx, dir, "1-sign-in")
	accessible(t, ctx, dir, "sign-in")

	// Sign in: the issuer approves at once and sends the browser back with a code, which the page exchanges
	// (with its PKCE verifier) for a token; the list is then read with that token.
	run(t, ctx, dir, "signed in", 30*time.Second,
		chromedp.Click(css(`main button.primary`)),
		chromedp.WaitVisible(css(`.list-state a[href="#/new"]`)),
		chromedp.WaitVisible(css(`#account button`)))
	who := get(t, ctx, dir, "account", 5*time.Second, chromedp.Text(css(`#account`)))
	assert.Contains(t, who, "Ada Lovelace")
	loc := get(t, ctx, dir, "location", 5*time.Second, chromedp.Location())
	assert.False(t, strings.Contains(loc, "code="), "the code is removed from the address: %s", loc)
	select {
	case owner := <-deps.owners:
		// Not an administrator: the API lists the signed-in user's own deployments only.
		assert.Equal(t, store.Owner{Issuer: iss.URL, Subject: "u-42"}, owner)
	case <-time.After(5 * time.Second):
		t.Fatal("the dashboard never listed the deployments with its token")
	}
	shot(t, ctx, dir, "2-signed-in")
}
