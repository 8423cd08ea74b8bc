package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
)

// orchentClient drives the API the way the INDIGO command-line client (orchent) does: paths relative
// to a base URL, lists read by following the absolute next link until self equals last, and the
// error body decoded on every failure.
type orchentClient struct {
	t    *testing.T
	base *url.URL
}

type apiError struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Code, e.Title, e.Message) }

// do sends a request to a path relative to the base URL (or to an absolute link) and decodes a JSON
// answer into out; a status >= 400 comes back as *apiError.
func (c *orchentClient) do(method, ref string, in, out any) error {
	u, err := c.base.Parse(ref)
	require.NoError(c.t, err)
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		require.NoError(c.t, err)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u.String(), body)
	require.NoError(c.t, err)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	if resp.StatusCode >= 400 {
		var e apiError
		require.NoError(c.t, json.Unmarshal(data, &e), "error body of %s %s: %s", method, ref, data)
		require.Equal(c.t, resp.StatusCode, e.Code)
		return &e
	}
	if out != nil {
		if s, ok := out.(*string); ok {
			*s = string(data)
			return nil
		}
		require.NoError(c.t, json.Unmarshal(data, out), "%s %s: %s", method, ref, data)
	}
	return nil
}

// list follows the next links from ref and returns every element.
func (c *orchentClient) list(ref string) []map[string]any {
	var all []map[string]any
	for range 100 {
		var page struct {
			Links   []struct{ Rel, Href string }
			Content []map[string]any
		}
		require.NoError(c.t, c.do(http.MethodGet, ref, nil, &page))
		all = append(all, page.Content...)
		links := map[string]string{}
		for _, l := range page.Links {
			links[l.Rel] = l.Href
		}
		if links["self"] == links["last"] || links["next"] == "" {
			return all
		}
		ref = links["next"]
	}
	c.t.Fatal("the next links never reach the last page")
	return nil
}

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

func TestOrchentStyleClient(t *testing.T) {
	f := newFake()
	for range 23 {
		f.add("CREATE_COMPLETE", localUser)
	}
	srv := httptest.NewServer(behindProxy(newServer(t, f)))
	defer srv.Close()
	base, err := url.Parse(srv.URL + "/orchestrator/")
	require.NoError(t, err)
	c := &orchentClient{t: t, base: base}

	all := c.list("deployments?createdBy=me")
	assert.Len(t, all, 23, "three pages of 10 followed to the end")

	var dep map[string]any
	require.NoError(t, c.do(http.MethodPost, "deployments", map[string]any{"template": "tosca_definitions_version: x\n",
		"parameters": map[string]any{"n": 1}, "keepLastAttempt": "true", "callback": "http://cb.example/"}, &dep))
	id := dep["uuid"].(string)
	var self string
	for _, l := range dep["links"].([]any) {
		if l.(map[string]any)["rel"] == "self" {
			self = l.(map[string]any)["href"].(string)
		}
	}
	assert.Equal(t, srv.URL+"/orchestrator/deployments/"+id, self, "links carry the proxy's prefix")
	var again map[string]any
	require.NoError(t, c.do(http.MethodGet, self, nil, &again), "the self link is followable")
	assert.Equal(t, id, again["uuid"])

	var tmpl string
	require.NoError(t, c.do(http.MethodGet, "deployments/"+id+"/template", nil, &tmpl))
	assert.Equal(t, "tosca_definitions_version: x\n", tmpl)

	f.mu.Lock()
	f.resources[id] = []*store.Resource{{UUID: "a", ToscaType: "t"}, {UUID: "b", ToscaType: "t"}, {UUID: "c", ToscaType: "t"}}
	f.mu.Unlock()
	assert.Len(t, c.list("deployments/"+id+"/resources?size=2"), 3)

	require.NoError(t, c.do(http.MethodDelete, "deployments/"+id, nil, nil))
	var e *apiError
	require.ErrorAs(t, c.do(http.MethodDelete, "deployments/"+id, nil, nil), &e)
	assert.Equal(t, 409, e.Code)
	require.ErrorAs(t, c.do(http.MethodGet, "deployments/nope", nil, nil), &e)
	assert.Equal(t, apiError{Code: 404, Title: "Not Found", Message: "The deployment nope doesn't exist"}, *e)
	require.ErrorAs(t, c.do(http.MethodPost, "deployments", map[string]any{"template": "x", "timeoutMins": "5",
		"providerTimeoutMins": "6"}, nil), &e)
	assert.Equal(t, 400, e.Code)
	assert.Contains(t, e.Message, "ProviderTimeout must be <= Timeout")
}
