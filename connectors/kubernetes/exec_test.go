package kubernetes

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// TestAPIExecutorRequests: the executor asks the pod's exec subresource for the container and command,
// over WebSocket first, then SPDY when the server does not upgrade (this one upgrades to neither).
func TestAPIExecutorRequests(t *testing.T) {
	var mu sync.Mutex
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
		http.Error(w, "no upgrade here", http.StatusBadRequest)
	}))
	defer srv.Close()
	rc := &rest.Config{Host: srv.URL}
	client, err := k8s.NewForConfig(rc)
	require.NoError(t, err)
	e := &apiExecutor{config: rc, client: client}
	err = e.Exec(context.Background(), "ns1", "web-0", "web", []string{"/bin/sh", "-c", "echo 'a b'"}, io.Discard, io.Discard)
	require.Error(t, err, "the server upgrades nothing")

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2, "WebSocket, then the SPDY fallback")
	assert.Equal(t, http.MethodGet, seen[0].Method)
	assert.Equal(t, http.MethodPost, seen[1].Method)
	for _, r := range seen {
		assert.Equal(t, "/api/v1/namespaces/ns1/pods/web-0/exec", r.URL.Path)
		q, err := url.ParseQuery(r.URL.RawQuery)
		require.NoError(t, err)
		assert.Equal(t, []string{"/bin/sh", "-c", "echo 'a b'"}, q["command"])
		assert.Equal(t, "web", q.Get("container"))
		assert.Equal(t, "true", q.Get("stdout"))
		assert.Equal(t, "true", q.Get("stderr"))
		assert.Empty(t, q.Get("stdin"))
	}
}
