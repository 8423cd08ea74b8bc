package apitest

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web"
)

// LiveWait bounds every wait of the live tests: long enough for a loaded machine, reached only on failure.
const LiveWait = 30 * time.Second

// LiveStack is a real server over the real lifecycle on the simulated cloud, listening on loopback.
type LiveStack struct {
	T    *testing.T
	svc  *processes.Service
	base string
	// StopAPI ends the server's Run (a shutdown); APIDone receives what Run returned.
	StopAPI context.CancelFunc
	APIDone chan error
	// RunLifecycle starts the lifecycle when StartHeld held it.
	RunLifecycle func()
}

func StartLive(t *testing.T, live web.LiveDeps) *LiveStack {
	t.Helper()
	s := StartHeld(t, live)
	s.RunLifecycle()
	return s
}

// StartHeld starts the stack with the lifecycle not running: a deployment created then waits (its
// commands in the outbox) until RunLifecycle, so that a test can open its stream before it moves.
func StartHeld(t *testing.T, live web.LiveDeps) *LiveStack {
	t.Helper()
	// A little latency, so that a deployment takes several steps the stream sees one by one.
	core := StartCore(t, sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 2 * time.Millisecond}}, processes.Config{})
	live.Journal = core.Svc
	live.Collectors = append(live.Collectors, core.Svc.Metrics())
	api, err := web.New(web.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 10 * time.Minute},
		web.Deps{Deployments: core.Svc, Live: live}, Quiet)
	require.NoError(t, err)
	apiCtx, stopAPI := context.WithCancel(context.Background())
	s := &LiveStack{T: t, svc: core.Svc, StopAPI: stopAPI, APIDone: make(chan error, 1), RunLifecycle: core.RunLifecycle}
	addrs := make(chan net.Addr, 1)
	go func() { s.APIDone <- api.Run(apiCtx, func(a net.Addr) { addrs <- a }) }()
	select {
	case a := <-addrs:
		s.base = "http://" + a.String()
	case err := <-s.APIDone:
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(stopAPI) // before the core's clean-up, registered earlier
	return s
}

// Do sends a request to the server and returns the response (the caller closes its body).
func (s *LiveStack) Do(method, path, body string, headers ...string) *http.Response {
	s.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(s.T, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.T, err)
	return resp
}

// Create posts a template of docs/examples and returns the deployment's id.
func (s *LiveStack) Create(example string) string {
	s.T.Helper()
	body, err := json.Marshal(map[string]any{"template": examples.MustRead(example)})
	require.NoError(s.T, err)
	resp := s.Do(http.MethodPost, "/deployments", string(body))
	defer resp.Body.Close()
	require.Equal(s.T, http.StatusCreated, resp.StatusCode)
	var d struct{ UUID string }
	require.NoError(s.T, json.NewDecoder(resp.Body).Decode(&d))
	return d.UUID
}

// SSEEvent is one server-sent event as a client sees it.
type SSEEvent struct {
	Name, ID string
	Data     map[string]any
}

// Stream is an open event stream read by a goroutine: events arrive on ch, which is closed at the end
// of the stream; comment lines (heartbeats) on comments.
type Stream struct {
	t *testing.T
	// Resp is the answer whose body is the stream.
	Resp *http.Response
	ch   chan SSEEvent
	// Comments receives the comment lines (heartbeats).
	Comments chan string
}

// OpenStream opens the events of a deployment; it fails the test unless the answer is a 200 stream.
func (s *LiveStack) OpenStream(id string, headers ...string) *Stream {
	s.T.Helper()
	resp := s.Do(http.MethodGet, "/deployments/"+id+"/events", "", headers...)
	require.Equal(s.T, http.StatusOK, resp.StatusCode)
	require.Equal(s.T, "text/event-stream", resp.Header.Get("Content-Type"))
	st := &Stream{t: s.T, Resp: resp, ch: make(chan SSEEvent, 1024), Comments: make(chan string, 16)}
	go st.read()
	s.T.Cleanup(func() { _ = resp.Body.Close() })
	return st
}

// read parses the stream (WHATWG HTML 9.2.6) into events.
func (st *Stream) read() {
	defer close(st.ch)
	sc := bufio.NewScanner(st.Resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var ev SSEEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if len(data) > 0 {
				ev.Data = map[string]any{}
				if err := json.Unmarshal([]byte(strings.Join(data, "\n")), &ev.Data); err != nil {
					st.t.Errorf("event %s: data %q: %v", ev.Name, data, err)
				}
				st.ch <- ev
			}
			ev, data = SSEEvent{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			select {
			case st.Comments <- value:
			default: // nobody looks at them
			}
		case "event":
			ev.Name = value
		case "id":
			ev.ID = value
		case "data":
			data = append(data, value)
		}
	}
}

// Next returns the next event; ok is false once the stream ended.
func (st *Stream) Next() (SSEEvent, bool) {
	st.t.Helper()
	select {
	case ev, ok := <-st.ch:
		return ev, ok
	case <-time.After(LiveWait):
		st.t.Fatal("no event came")
		return SSEEvent{}, false
	}
}

// Until returns the events up to and including the first that stop accepts; it fails if the stream
// ends first.
func (st *Stream) Until(stop func(SSEEvent) bool) []SSEEvent {
	st.t.Helper()
	var out []SSEEvent
	for {
		ev, ok := st.Next()
		require.True(st.t, ok, "the stream ended before the event awaited; got %d events", len(out))
		out = append(out, ev)
		if stop(ev) {
			return out
		}
	}
}

// Rest returns the events until the stream ends.
func (st *Stream) Rest() []SSEEvent {
	st.t.Helper()
	var out []SSEEvent
	for {
		ev, ok := st.Next()
		if !ok {
			return out
		}
		out = append(out, ev)
	}
}

// IsStatus accepts a status event with one of the statuses.
func IsStatus(statuses ...string) func(SSEEvent) bool {
	return func(ev SSEEvent) bool {
		if ev.Name != "status" {
			return false
		}
		for _, s := range statuses {
			if ev.Data["status"] == s {
				return true
			}
		}
		return false
	}
}

var _ prometheus.Collector = (*processes.Metrics)(nil)
