package processes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/toscaflow/toscaflow/processes/store"
)

// TimeLayout is the API's time format, yyyy-MM-dd'T'HH:mmZ in UTC (2023-10-27T13:24+0000).
const TimeLayout = "2006-01-02T15:04-0700"

// CallbackBody is the Deployment JSON a callback receives (API.md: the Deployment with "links":[]).
type CallbackBody struct {
	UUID                  string          `json:"uuid"`
	CreationTime          string          `json:"creationTime"`
	UpdateTime            string          `json:"updateTime"`
	Status                string          `json:"status"`
	StatusReason          string          `json:"statusReason,omitempty"`
	Outputs               map[string]any  `json:"outputs"`
	Task                  string          `json:"task"`
	Callback              string          `json:"callback,omitempty"`
	UserGroup             string          `json:"userGroup,omitempty"`
	CloudProviderName     string          `json:"cloudProviderName,omitempty"`
	CloudProviderEndpoint *store.Provider `json:"cloudProviderEndpoint,omitempty"`
	CreatedBy             *store.Owner    `json:"createdBy,omitempty"`
	Links                 []any           `json:"links"`
}

// NewCallbackBody renders d as its callback receives it.
func NewCallbackBody(d *store.Deployment) CallbackBody {
	b := CallbackBody{
		UUID: d.UUID, CreationTime: d.Created.UTC().Format(TimeLayout), UpdateTime: d.Updated.UTC().Format(TimeLayout),
		Status: d.Status, StatusReason: d.StatusReason, Outputs: d.Outputs, Task: d.Task, Callback: d.Callback,
		UserGroup: d.UserGroup, CloudProviderName: d.Provider.Name, Links: []any{},
	}
	if b.Outputs == nil {
		b.Outputs = map[string]any{}
	}
	if b.Task == "" {
		b.Task = TaskNone
	}
	if p := d.Provider; p.Endpoint != "" || p.ComputeServiceID != "" || p.DeploymentType != "" {
		b.CloudProviderEndpoint = &p
	}
	if d.Owner != (store.Owner{}) {
		o := d.Owner
		b.CreatedBy = &o
	}
	return b
}

// callbackQueues holds, per deployment, the callback bodies not yet posted: one worker per deployment
// posts them in order, so that a receiver never hears CREATE_COMPLETE before CREATE_IN_PROGRESS, while
// a slow receiver holds up only its own deployments.
type callbackQueues struct {
	mu      sync.Mutex
	pending map[string][]callbackJob
}

type callbackJob struct {
	url, status string
	body        []byte
}

// notifyCallback posts a status change to the deployment's callback URL in the background; a failure
// is logged, never fatal.
func (s *Service) notifyCallback(d *store.Deployment) {
	if d.Callback == "" {
		return
	}
	body, err := json.Marshal(NewCallbackBody(d))
	if err != nil {
		s.log.Warn("callback body", "deployment", d.UUID, "err", err)
		return
	}
	q := &s.callbackQueues
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending == nil {
		q.pending = map[string][]callbackJob{}
	}
	busy := len(q.pending[d.UUID]) > 0
	q.pending[d.UUID] = append(q.pending[d.UUID], callbackJob{url: d.Callback, status: d.Status, body: body})
	if !busy {
		s.callbacks.Go(func() { s.postCallbacks(d.UUID) })
	}
}

// postCallbacks posts the queued callbacks of one deployment in order until none is left. A job stays
// queued while it is posted, so that notifyCallback knows a worker is at work.
func (s *Service) postCallbacks(id string) {
	q := &s.callbackQueues
	for {
		q.mu.Lock()
		if len(q.pending[id]) == 0 {
			delete(q.pending, id)
			q.mu.Unlock()
			return
		}
		job := q.pending[id][0]
		q.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.CallbackTimeout)
		if err := s.post(ctx, job.url, job.body); err != nil {
			s.log.Warn("callback failed", "deployment", id, "status", job.status, "url", job.url, "err", err)
		}
		cancel()
		q.mu.Lock()
		q.pending[id] = q.pending[id][1:]
		q.mu.Unlock()
	}
}

func (s *Service) post(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	return nil
}

// timeOf formats t for logs.
func timeOf(t time.Time) string { return t.UTC().Format(time.RFC3339) }
