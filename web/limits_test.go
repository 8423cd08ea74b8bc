package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
)

func TestTemplateLimits(t *testing.T) {
	f := newFake()
	d := f.add("CREATE_COMPLETE", localUser)
	s, err := web.New(web.Config{MaxTemplateBytes: 200, MaxNodeTemplates: 2, LocalUser: localUser}, web.Deps{Deployments: f}, quiet)
	require.NoError(t, err)
	nodes := func(n int) string {
		var b strings.Builder
		b.WriteString("topology_template:\n  node_templates:\n")
		for i := range n {
			fmt.Fprintf(&b, "    n%d: {type: t}\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, template string
		code           int
		message        string
	}{
		{"within", nodes(2), 0, ""},
		{"too many nodes", nodes(3), http.StatusRequestEntityTooLarge, "3 node templates, more than the 2 allowed"},
		{"too big", "# " + strings.Repeat("x", 200), http.StatusRequestEntityTooLarge, "more than the 200 allowed"},
	}
	for _, tc := range tests {
		for _, target := range []struct{ method, path string }{
			{http.MethodPost, "/deployments"}, {http.MethodPut, "/deployments/" + d.UUID},
			{http.MethodPost, "/templates/validate"}, {http.MethodPost, "/templates/plan"},
		} {
			t.Run(tc.name+" "+target.method+" "+target.path, func(t *testing.T) {
				f.mu.Lock()
				d.Status = "CREATE_COMPLETE"
				f.mu.Unlock()
				r := call(t, s, target.method, target.path, fmt.Sprintf(`{"template":%q}`, tc.template), jsonCT)
				if tc.code == 0 {
					assert.NotEqual(t, http.StatusRequestEntityTooLarge, r.code, r.body)
					return
				}
				v := requireErrorBody(t, r, tc.code)
				assert.Contains(t, v["message"], tc.message)
			})
		}
	}
}

// blockingCreate holds every Create until release is closed, so that requests pile up in flight.
type blockingCreate struct {
	*fakeDeployments
	entered chan struct{}
	release chan struct{}
}

func (b *blockingCreate) Create(ctx context.Context, req web.CreateRequest) (*store.Deployment, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.fakeDeployments.Create(ctx, req)
}

func TestAdmissionRefusesBeyondTheLimit(t *testing.T) {
	b := &blockingCreate{fakeDeployments: newFake(), entered: make(chan struct{}, 10), release: make(chan struct{})}
	s, err := web.New(web.Config{MaxInFlight: 2, RetryAfter: 3e9}, web.Deps{Deployments: b}, quiet)
	require.NoError(t, err)
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Go(func() { codes <- call(t, s, http.MethodPost, "/deployments", tmpl+"}", jsonCT).code })
	}
	<-b.entered
	<-b.entered
	r := call(t, s, http.MethodPost, "/deployments", tmpl+"}", jsonCT)
	requireErrorBody(t, r, http.StatusTooManyRequests)
	assert.Equal(t, "3", r.header.Get("Retry-After"))
	r = call(t, s, http.MethodPut, "/deployments/x", `{}`, jsonCT)
	requireErrorBody(t, r, http.StatusTooManyRequests)
	assert.Equal(t, http.StatusOK, call(t, s, http.MethodGet, "/deployments", "").code, "reads are not admitted")
	close(b.release)
	wg.Wait()
	close(codes)
	for c := range codes {
		assert.Equal(t, http.StatusCreated, c)
	}
	assert.Len(t, b.created, 2, "the refused request created nothing")
	assert.Equal(t, http.StatusCreated, call(t, s, http.MethodPost, "/deployments", tmpl+"}", jsonCT).code, "slots are given back")
}
