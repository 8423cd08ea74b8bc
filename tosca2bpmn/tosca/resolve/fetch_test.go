package resolve

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeServer serves fixed bodies on 127.0.0.1 and counts requests per path.
type fakeServer struct {
	*httptest.Server
	mu      sync.Mutex
	hits    map[string]int
	release chan struct{} // closed at the end of the test: frees handlers that hang
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	s := &fakeServer{hits: map[string]int{}, release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/types/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tosca_definitions_version: tosca_simple_yaml_1_3\n# %s\n", r.URL.Path)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 4096)))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 8 {
			w.Write([]byte(strings.Repeat("x", 512)))
			w.(http.Flusher).Flush() // no Content-Length: the limit must hold while reading
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-s.release:
		}
	})
	mux.HandleFunc("/nohead/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Write([]byte("body"))
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.Method+" "+r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		close(s.release)
		s.Close()
	})
	return s
}

func (s *fakeServer) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[key]
}

func TestFetch(t *testing.T) {
	srv := newFakeServer(t)
	ctx := context.Background()
	from := Document{Location: "file:///somewhere/main.yaml", Name: "main.yaml"}
	tests := []struct {
		name    string
		opts    Options
		ref     string
		wantErr []error
	}{
		{name: "ok", ref: "/types/a.yaml"},
		{name: "404", ref: "/none.yaml", wantErr: []error{ErrNotFound}},
		{name: "500", ref: "/broken", wantErr: []error{ErrFetch}},
		{name: "too large by Content-Length", opts: Options{MaxSize: 1024}, ref: "/big", wantErr: []error{ErrTooLarge}},
		{name: "too large while reading", opts: Options{MaxSize: 1024}, ref: "/big-chunked", wantErr: []error{ErrTooLarge}},
		{name: "deadline", opts: Options{FetchTimeout: 50 * time.Millisecond}, ref: "/slow", wantErr: []error{ErrFetch, context.DeadlineExceeded}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Client = srv.Client()
			r := newResolver(t, opts)
			doc, err := r.Import(ctx, from, "", srv.URL+tc.ref)
			if tc.wantErr != nil {
				for _, want := range tc.wantErr {
					assert.ErrorIs(t, err, want)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, srv.URL+tc.ref, doc.Location)
			assert.Equal(t, srv.URL+tc.ref, doc.Name)
			assert.Contains(t, string(doc.Data), tc.ref)
		})
	}

	t.Run("no client", func(t *testing.T) {
		r := newResolver(t, Options{})
		_, err := r.Import(ctx, from, "", srv.URL+"/types/offline.yaml")
		assert.ErrorIs(t, err, ErrNoMirror)
		assert.Zero(t, srv.count("GET /types/offline.yaml"), "no client, no request")
	})
	t.Run("404 is an HTTPError", func(t *testing.T) {
		r := newResolver(t, Options{Client: srv.Client()})
		_, err := r.Import(ctx, from, "", srv.URL+"/none.yaml")
		var he *HTTPError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, http.StatusNotFound, he.Status)
	})
}

func TestFetchCache(t *testing.T) {
	srv := newFakeServer(t)
	ctx := context.Background()
	cache := realTempDir(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	opts := Options{Client: srv.Client(), CacheDir: cache, CacheMaxAge: time.Hour, Now: clock}
	u := srv.URL + "/types/a.yaml"
	from := Document{Location: "file:///main.yaml"}

	r1 := newResolver(t, opts)
	first, err := r1.Import(ctx, from, "", u)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.count("GET /types/a.yaml"))
	_, err = r1.Import(ctx, from, "", u)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.count("GET /types/a.yaml"), "second fetch in one resolver is served from memory")

	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	require.Len(t, entries, 1, "one cache file, no temporary left behind")
	cached, err := os.ReadFile(r1.cacheFile(u))
	require.NoError(t, err)
	assert.Equal(t, first.Data, cached)
	// Cache files carry the real modification time; the fake clock stands at it.
	st, err := os.Stat(r1.cacheFile(u))
	require.NoError(t, err)
	now = st.ModTime()

	r2 := newResolver(t, opts)
	second, err := r2.Import(ctx, from, "", u)
	require.NoError(t, err)
	assert.Equal(t, first.Data, second.Data)
	assert.Equal(t, 1, srv.count("GET /types/a.yaml"), "a new resolver is served from the disk cache")

	now = now.Add(2 * time.Hour)
	r3 := newResolver(t, opts)
	_, err = r3.Import(ctx, from, "", u)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.count("GET /types/a.yaml"), "a stale cache entry is fetched again")

	offline := newResolver(t, Options{CacheDir: cache})
	_, err = offline.Import(ctx, from, "", u)
	assert.NoError(t, err, "without a client the cache still serves (no age limit)")
	_, err = offline.Import(ctx, from, "", srv.URL+"/types/other.yaml")
	assert.ErrorIs(t, err, ErrNoMirror)
}

// TestFetchedRelative: a relative import inside a fetched document is fetched from beside it.
func TestFetchedRelative(t *testing.T) {
	srv := newFakeServer(t)
	ctx := context.Background()
	r := newResolver(t, Options{Client: srv.Client()})
	root, err := r.Root(ctx, srv.URL+"/types/v1/main.yaml")
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/types/v1/main.yaml", root.Location)
	doc, err := r.Import(ctx, root, "", "../common/b.yaml")
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/types/common/b.yaml", doc.Location)
	assert.Equal(t, 1, srv.count("GET /types/common/b.yaml"))

	withRepo, err := r.Import(ctx, Document{Location: "file:///x/main.yaml"}, srv.URL+"/types/repo", "c.yaml")
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/types/repo/c.yaml", withRepo.Location, "a repository URL is a directory")

	_, err = r.Import(ctx, root, "", "file:///etc/passwd")
	assert.ErrorIs(t, err, ErrUnsafePath)

	assert.True(t, r.Exists(ctx, root, "scripts/install.sh"))
	assert.Equal(t, 1, srv.count("HEAD /types/v1/scripts/install.sh"), "Exists asks with HEAD")
	assert.True(t, r.Exists(ctx, root, "scripts/install.sh"))
	assert.Equal(t, 1, srv.count("HEAD /types/v1/scripts/install.sh"), "and remembers the answer")
	assert.False(t, r.Exists(ctx, root, "/none.sh"))
	assert.True(t, r.Exists(ctx, root, "/nohead/x.sh"), "a server without HEAD is asked with GET")
	assert.Equal(t, 1, srv.count("GET /nohead/x.sh"))
}

// TestFetchConcurrent: one Resolver used from many goroutines (run with -race) gives every caller the body.
func TestFetchConcurrent(t *testing.T) {
	srv := newFakeServer(t)
	r := newResolver(t, Options{Client: srv.Client(), CacheDir: realTempDir(t)})
	from := Document{Location: "file:///main.yaml"}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := r.Import(context.Background(), from, "", fmt.Sprintf("%s/types/c%d.yaml", srv.URL, i%4))
			if err == nil && !strings.Contains(string(doc.Data), fmt.Sprintf("/types/c%d.yaml", i%4)) {
				err = fmt.Errorf("wrong body %q", doc.Data)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}
