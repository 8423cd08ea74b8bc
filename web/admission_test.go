package web_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/client"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// TestConcurrentCreatesAreNeverLost fires many POSTs at once at the real lifecycle: each is either
// created, and then reaches a final status, or refused with 429 and Retry-After; none is lost, and
// the deployments listed are exactly those created.
func TestConcurrentCreatesAreNeverLost(t *testing.T) {
	a := startRealAPI(t, web.Config{MaxInFlight: 3})
	c := a.client(t)
	ctx := context.Background()
	const n = 24
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		created  []string
		refused  int
		problems []error
	)
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			d, err := c.Create(ctx, client.Request{Template: apitest.ValidTemplate, Parameters: map[string]any{"cpus": 1}, KeepLastAttempt: "true"})
			mu.Lock()
			defer mu.Unlock()
			var e *client.Error
			switch {
			case err == nil && d.Status == "CREATE_IN_PROGRESS":
				created = append(created, d.UUID)
			case errors.As(err, &e) && e.Code == http.StatusTooManyRequests && e.RetryAfter != "":
				refused++
			default:
				problems = append(problems, err)
			}
		})
	}
	close(start)
	wg.Wait()
	require.Empty(t, problems, "every POST is created or refused with 429 and Retry-After")
	assert.Equal(t, n, len(created)+refused)
	assert.NotEmpty(t, created)
	t.Logf("%d created, %d refused", len(created), refused)
	for _, id := range created {
		d := awaitStatus(t, c, id, "CREATE_COMPLETE", "CREATE_FAILED")
		assert.Equal(t, "CREATE_COMPLETE", d.Status, d.StatusReason)
	}
	all, err := c.Deployments(ctx, "", 5)
	require.NoError(t, err)
	var ids []string
	for _, d := range all {
		ids = append(ids, d.UUID)
	}
	assert.ElementsMatch(t, created, ids, "nothing refused was created, nothing created is missing")
}

// blockingCreate holds every Create until release is closed, so that requests pile up in flight.
type blockingCreate struct {
	*apitest.Fake
	entered chan struct{}
	release chan struct{}
}

func (b *blockingCreate) Create(ctx context.Context, req web.CreateRequest) (*store.Deployment, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.Fake.Create(ctx, req)
}

func TestAdmissionRefusesBeyondTheLimit(t *testing.T) {
	b := &blockingCreate{Fake: apitest.NewFake(), entered: make(chan struct{}, 10), release: make(chan struct{})}
	s, err := web.New(web.Config{MaxInFlight: 2, RetryAfter: 3e9}, web.Deps{Deployments: b}, apitest.Quiet)
	require.NoError(t, err)
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Go(func() {
			codes <- apitest.Call(t, s, http.MethodPost, "/deployments", apitest.Template+"}", apitest.JSONCT).Code
		})
	}
	<-b.entered
	<-b.entered
	r := apitest.Call(t, s, http.MethodPost, "/deployments", apitest.Template+"}", apitest.JSONCT)
	apitest.RequireErrorBody(t, r, http.StatusTooManyRequests)
	assert.Equal(t, "3", r.Header.Get("Retry-After"))
	r = apitest.Call(t, s, http.MethodPut, "/deployments/x", `{}`, apitest.JSONCT)
	apitest.RequireErrorBody(t, r, http.StatusTooManyRequests)
	assert.Equal(t, http.StatusOK, apitest.Call(t, s, http.MethodGet, "/deployments", "").Code, "reads are not admitted")
	close(b.release)
	wg.Wait()
	close(codes)
	for c := range codes {
		assert.Equal(t, http.StatusCreated, c)
	}
	assert.Len(t, b.Created, 2, "the refused request created nothing")
	assert.Equal(t, http.StatusCreated, apitest.Call(t, s, http.MethodPost, "/deployments", apitest.Template+"}", apitest.JSONCT).Code, "slots are given back")
}
