package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/client"
)

func TestDoAndList(t *testing.T) {
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("GET /api/loop", func(w http.ResponseWriter, _ *http.Request) {
		// next leads back here and self never equals last: a broken server.
		_, _ = w.Write([]byte(`{"links":[{"rel":"self","href":"` + srvURL + `/api/loop"},{"rel":"next","href":"` + srvURL +
			`/api/loop"},{"rel":"last","href":"` + srvURL + `/api/end"}],"content":[],"page":{}}`))
	})
	mux.HandleFunc("GET /api/plain", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no body of ours", http.StatusBadGateway)
	})
	mux.HandleFunc("GET /api/denied", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer tok", r.Header.Get("Authorization"))
		w.Header().Set("WWW-Authenticate", `Bearer realm="x"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":401,"title":"Unauthorized","message":"A valid bearer token is required"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	c, err := client.New(srv.URL+"/api", srv.Client())
	require.NoError(t, err)
	c.Token = "tok"
	ctx := context.Background()

	_, err = client.List[map[string]any](ctx, c, "loop")
	require.ErrorIs(t, err, client.ErrNoLastPage)

	err = c.Do(ctx, http.MethodGet, "plain", nil, nil)
	require.Error(t, err)
	var e *client.Error
	assert.False(t, errors.As(err, &e), "a failure without the error body is no *Error")
	assert.Contains(t, err.Error(), "502 without the error body")

	require.ErrorAs(t, c.Do(ctx, http.MethodGet, "denied", nil, nil), &e)
	assert.Equal(t, client.Error{Code: 401, Title: "Unauthorized", Message: "A valid bearer token is required",
		Challenge: `Bearer realm="x"`}, *e)

	_, err = client.New("ftp://x/", nil)
	require.Error(t, err)
}
