package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/docs/examples"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web"
)

// liveWait bounds every wait of the live tests: long enough for a loaded machine, reached only on failure.
const liveWait = 30 * time.Second

// liveStack is a real server over the real lifecycle on the simulated cloud, listening on loopback.
type liveStack struct {
	t    *testing.T
	svc  *processes.Service
	base string
	// stopAPI ends the server's Run (a shutdown); apiDone receives what Run returned.
	stopAPI context.CancelFunc
	apiDone chan error
	// runLifecycle starts the lifecycle when startHeld held it.
	runLifecycle func()
}

// lifecycle adapts the lifecycle to the API's interface (only the create request's type differs).
type lifecycle struct{ *processes.Service }

func (l lifecycle) Create(ctx context.Context, req web.CreateRequest) (*store.Deployment, error) {
	return l.Service.Create(ctx, processes.CreateRequest(req))
}

func startLive(t *testing.T, live web.LiveDeps) *liveStack {
	t.Helper()
	s := startHeld(t, live)
	s.runLifecycle()
	return s
}

// startHeld starts the stack with the lifecycle not running: a deployment created then waits (its
// commands in the outbox) until runLifecycle, so that a test can open its stream before it moves.
func startHeld(t *testing.T, live web.LiveDeps) *liveStack {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "toscaflow.db"), store.Options{})
	require.NoError(t, err)
	// A little latency, so that a deployment takes several steps the stream sees one by one.
	cloud, err := sim.NewProviders(ctx, sim.Config{Provider: "sim", Path: filepath.Join(dir, "ledger.db"), Seed: 7,
		Default: sim.Behaviour{Latency: sim.Latency{Dist: sim.Fixed, Mean: 2 * time.Millisecond}}})
	require.NoError(t, err)
	reg := registry.NewServices()
	require.NoError(t, reg.Announce(cloud))
	bus, err := esb.New(esb.Config{InitialBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
		CloseTimeout: time.Second}, nil)
	require.NoError(t, err)
	brk, err := broker.New(broker.Config{DrainTimeout: 100 * time.Millisecond}, bus, reg, nil)
	require.NoError(t, err)
	svc, err := processes.New(processes.Config{}, processes.Deps{Store: st, Bus: bus})
	require.NoError(t, err)
	var done []chan error
	goRun := func(f func() error) {
		ch := make(chan error, 1)
		done = append(done, ch)
		go func() { ch <- f() }()
	}
	goRun(func() error { return bus.Run(ctx) })
	<-bus.Running()
	goRun(func() error { return brk.Run(ctx) })
	<-brk.Ready()

	live.Journal = svc
	live.Collectors = append(live.Collectors, svc.Metrics())
	api, err := web.New(web.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 10 * time.Minute},
		web.Deps{Deployments: lifecycle{svc}, Live: live}, quiet)
	require.NoError(t, err)
	apiCtx, stopAPI := context.WithCancel(ctx)
	s := &liveStack{t: t, svc: svc, stopAPI: stopAPI, apiDone: make(chan error, 1)}
	s.runLifecycle = func() {
		goRun(func() error { return svc.Run(ctx) })
		<-svc.Ready()
	}
	addrs := make(chan net.Addr, 1)
	go func() { s.apiDone <- api.Run(apiCtx, func(a net.Addr) { addrs <- a }) }()
	select {
	case a := <-addrs:
		s.base = "http://" + a.String()
	case err := <-s.apiDone:
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		stopAPI()
		cancel()
		for _, ch := range done {
			select {
			case <-ch:
			case <-time.After(liveWait):
				t.Errorf("a component did not stop")
			}
		}
		_ = cloud.Close()
		_ = st.Close()
	})
	return s
}

// do sends a request to the server and returns the response (the caller closes its body).
func (s *liveStack) do(method, path, body string, headers ...string) *http.Response {
	s.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	require.NoError(s.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	return resp
}

// create posts a template of docs/examples and returns the deployment's id.
func (s *liveStack) create(example string) string {
	s.t.Helper()
	body, err := json.Marshal(map[string]any{"template": readExample(s.t, example)})
	require.NoError(s.t, err)
	resp := s.do(http.MethodPost, "/deployments", string(body))
	defer resp.Body.Close()
	require.Equal(s.t, http.StatusCreated, resp.StatusCode)
	var d struct{ UUID string }
	require.NoError(s.t, json.NewDecoder(resp.Body).Decode(&d))
	return d.UUID
}

func readExample(t *testing.T, name string) string {
	t.Helper()
	return examples.MustRead(name)
}

// sseEvent is one server-sent event as a client sees it.
type sseEvent struct {
	name, id string
	data     map[string]any
}

// stream is an open event stream read by a goroutine: events arrive on ch, which is closed at the end
// of the stream; comment lines (heartbeats) on comments.
type stream struct {
	t        *testing.T
	resp     *http.Response
	ch       chan sseEvent
	comments chan string
}

// openStream opens the events of a deployment; it fails the test unless the answer is a 200 stream.
func (s *liveStack) openStream(id string, headers ...string) *stream {
	s.t.Helper()
	resp := s.do(http.MethodGet, "/deployments/"+id+"/events", "", headers...)
	require.Equal(s.t, http.StatusOK, resp.StatusCode)
	require.Equal(s.t, "text/event-stream", resp.Header.Get("Content-Type"))
	st := &stream{t: s.t, resp: resp, ch: make(chan sseEvent, 1024), comments: make(chan string, 16)}
	go st.read()
	s.t.Cleanup(func() { _ = resp.Body.Close() })
	return st
}

// read parses the stream (WHATWG HTML 9.2.6) into events.
func (st *stream) read() {
	defer close(st.ch)
	sc := bufio.NewScanner(st.resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var ev sseEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if len(data) > 0 {
				ev.data = map[string]any{}
				if err := json.Unmarshal([]byte(strings.Join(data, "\n")), &ev.data); err != nil {
					st.t.Errorf("event %s: data %q: %v", ev.name, data, err)
				}
				st.ch <- ev
			}
			ev, data = sseEvent{}, nil
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			select {
			case st.comments <- value:
			default: // nobody looks at them
			}
		case "event":
			ev.name = value
		case "id":
			ev.id = value
		case "data":
			data = append(data, value)
		}
	}
}

// next returns the next event; ok is false once the stream ended.
func (st *stream) next() (sseEvent, bool) {
	st.t.Helper()
	select {
	case ev, ok := <-st.ch:
		return ev, ok
	case <-time.After(liveWait):
		st.t.Fatal("no event came")
		return sseEvent{}, false
	}
}

// until returns the events up to and including the first that stop accepts; it fails if the stream
// ends first.
func (st *stream) until(stop func(sseEvent) bool) []sseEvent {
	st.t.Helper()
	var out []sseEvent
	for {
		ev, ok := st.next()
		require.True(st.t, ok, "the stream ended before the event awaited; got %d events", len(out))
		out = append(out, ev)
		if stop(ev) {
			return out
		}
	}
}

// rest returns the events until the stream ends.
func (st *stream) rest() []sseEvent {
	st.t.Helper()
	var out []sseEvent
	for {
		ev, ok := st.next()
		if !ok {
			return out
		}
		out = append(out, ev)
	}
}

func isStatus(statuses ...string) func(sseEvent) bool {
	return func(ev sseEvent) bool {
		if ev.name != "status" {
			return false
		}
		for _, s := range statuses {
			if ev.data["status"] == s {
				return true
			}
		}
		return false
	}
}

var _ prometheus.Collector = (*processes.Metrics)(nil)
