package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Tuning of the event streams.
const (
	// journalBatch bounds the journal events read at once.
	journalBatch = 500
	// writeTimeout bounds each write to a client: one that stops reading loses its stream.
	writeTimeout = 30 * time.Second
	// retryMillis is the reconnection delay the stream asks EventSource clients for.
	retryMillis = 2000
	// miEvery bounds how often a stream reads the multi-instance counters of the runs under way.
	miEvery = 500 * time.Millisecond
)

// events serves GET /deployments/{id}/events: a text/event-stream (server-sent events, WHATWG HTML
// 9.2) of what happens to a deployment, for its owner or an administrator (else 403; 404 when it does
// not exist). At most LiveDeps.MaxStreams streams are open at once: one more is a 503 with Retry-After.
//
// The stream starts with a retry field and one snapshot event, then sends, as they are committed:
//
//	event: snapshot        id: <position>
//	data: {"deployment":"<uuid>","status":"CREATE_IN_PROGRESS","statusReason":"...","cloudProviderName":"sim",
//	       "position":<position>,"statistics":{"<element>":{"active":1,"completed":0,"canceled":0,"incidents":0}},
//	       "runs":[{"kind":"deploy","instance":"deploy-<uuid>","attempt":1,"current":true,"statistics":{...},
//	                "multiInstance":{"<element>":{"nrOfInstances":3,"nrOfActiveInstances":1,"nrOfCompletedInstances":2}}}],
//	       "resources":[{"uuid":"...","toscaNodeName":"db","toscaNodeType":"...","state":"CREATING","physicalId":"..."}]}
//
//	event: journal         id: <seq>
//	data: {"seq":<seq>,"kind":"deploy","instance":"deploy-<uuid>","attempt":1,"type":"element-activated",
//	       "element":"<element>","time":"2026-11-22T23:10:01.123456789Z","incident":0,"detail":""}
//
//	event: multi-instance
//	data: {"kind":"deploy","instance":"...","attempt":1,"elements":{"<element>":{"nrOfInstances":3,...}}}
//
//	event: status
//	data: {"status":"CREATE_COMPLETE","statusReason":"...","cloudProviderName":"sim","outputs":{...},"updateTime":"..."}
//
//	event: resource
//	data: {"uuid":"...","toscaNodeName":"db","toscaNodeType":"...","state":"CREATED","physicalId":"..."}
//	      (or {"uuid":"...","removed":true} for a resource an update removed)
//
//	event: end
//	data: {"reason":"deleted"|"shutdown"|"error"}
//
// The snapshot describes the deployment at journal position <position>: statistics are the per-element
// counts (engine.Statistics) of the journal events up to it of the runs its plans are bound to now (as
// GET /statistics; runs[].current), runs[].statistics each run's own (an earlier provider attempt's
// too); resources and status are the current ones. Each journal event is an engine journal entry of
// one run of one of the deployment's plans (kind deploy, update or undeploy; attempt numbers the
// deploy plan's runs on successive providers); its id is its journal position, increasing in commit
// order. A client that reconnects with Last-Event-ID (or ?lastEventId=) gets a snapshot at that
// position and then exactly the journal events after it. Status, resource and multi-instance events
// carry no id; they report what the stream finds each time it reads, so a status that lasted less than
// a read (a quick undeploy's DELETE_IN_PROGRESS) may be skipped, and the journal of an undeploy that
// completes between two reads is gone with the record (the stream then sends DELETE_COMPLETE and ends). Comments (": keep-alive") are sent every LiveDeps.Heartbeat. The stream ends with an
// end event when the deployment is deleted (after a status event DELETE_COMPLETE; a reconnection is
// then a 404) or the server shuts down, and when the client goes away.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	// Read before the plans' state: the snapshot's status is never newer than its position, so a
	// final status always comes after the journal events of the step that set it.
	d, ok := s.deploymentFor(w, r, id)
	if !ok {
		return
	}
	at, err := resumePosition(r)
	if err != nil {
		writeStatus(w, http.StatusBadRequest, err.Error())
		return
	}
	live := s.deps.Live
	release, ok := live.live.openStream()
	if !ok {
		s.retryAfter(w)
		writeStatus(w, http.StatusServiceUnavailable, "Too many event streams are open, or the server is shutting down; try again later")
		return
	}
	defer release()
	s.watchShutdown(r)
	ctx := r.Context()
	es := &eventStream{s: s, d: live, w: w, rc: http.NewResponseController(w), id: id,
		mi: map[string]map[string]processes.MICounts{}}
	// Taken before the snapshot is read: a step committed from here on wakes the first wait.
	changed := live.Journal.Changed()
	runs, pos, err := live.Journal.PlanState(ctx, id, at)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := es.resources(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(&es.buf, "retry: %d\n\n", retryMillis)
	es.snapshot(d, runs, pos, res)
	if es.flush() != nil {
		return
	}
	es.follow(ctx, live.Journal.Tail(id, pos), changed)
}

// resumePosition is the journal position a client resumes after (Last-Event-ID, else the query
// parameter lastEventId, which a client that cannot set headers uses), or -1 when it gives none.
func resumePosition(r *http.Request) (int64, error) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("lastEventId")
	}
	if v == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Last-Event-ID must be a journal position (an integer >= 0), not %q", v)
	}
	return n, nil
}

// eventStream is one client's stream.
type eventStream struct {
	s   *Server
	d   LiveDeps
	w   http.ResponseWriter
	rc  *http.ResponseController
	id  string
	buf bytes.Buffer

	// What the client was last told: the deployment's status, its resources and the multi-instance
	// counters of each run.
	status statusEvent
	res    map[string]resourceEvent
	mi     map[string]map[string]processes.MICounts
	// miStale are the runs whose multi-instance counters may have moved since they were last read, and
	// miRead when they were: reading them decodes the run's state, so it is done at most every miEvery.
	miStale map[string]processes.Run
	miRead  time.Time
	// ended is set when a run ended since the counters were last read.
	ended bool
}

// follow sends what the deployment's plans commit until the deployment is deleted, the server shuts
// down or the client goes away. It reads when woken by a committed step (at most once per Coalesce)
// or when Poll passed without one.
func (es *eventStream) follow(ctx context.Context, tail *processes.Tail, changed <-chan struct{}) {
	clock, closing := es.d.Clock, es.d.live.closing
	heartbeat := clock.NewTicker(es.d.Heartbeat)
	defer heartbeat.Stop()
	poll := clock.NewTimer(es.d.Poll)
	defer poll.Stop()
	for {
		polled := false
		select {
		case <-ctx.Done():
			return
		case <-closing:
			es.end("shutdown")
			return
		case <-heartbeat.Chan():
			es.buf.WriteString(": keep-alive\n\n")
			if es.flush() != nil {
				return
			}
			continue
		case <-changed:
		case <-poll.Chan():
			polled = true
		}
		// Let the rest of a burst of steps commit, so that it is read once.
		select {
		case <-ctx.Done():
			return
		case <-closing:
			es.end("shutdown")
			return
		case <-clock.After(es.d.Coalesce):
		}
		changed = es.d.Journal.Changed()
		done, err := es.update(ctx, tail, polled)
		if err != nil {
			if ctx.Err() == nil {
				es.s.log.Error("event stream", "deployment", es.id, "err", err)
				es.end("error")
			}
			return
		}
		if done {
			return
		}
		poll.Reset(es.d.Poll)
	}
}

// update sends what changed since the last one; done when the stream is over (the deployment is gone,
// or the client stopped reading). The deployment is read before the journal: a status committed with a
// step is then sent after that step's journal events, never before.
func (es *eventStream) update(ctx context.Context, tail *processes.Tail, polled bool) (done bool, err error) {
	d, err := es.s.deps.Deployments.Get(ctx, es.id)
	if errors.Is(err, store.ErrNotFound) {
		// The removal purged the runs' journals with the record: there is nothing more to read.
		es.event("status", "", statusEvent{Status: processes.StatusDeleteComplete})
		es.end("deleted")
		return true, nil
	} else if err != nil {
		return false, err
	}
	touched := map[string]processes.Run{}
	for {
		batch, err := tail.Next(ctx, journalBatch)
		if err != nil {
			return false, err
		}
		for _, e := range batch {
			es.event("journal", strconv.FormatInt(e.Seq, 10), newJournalEvent(e))
			if es.flush() != nil {
				return true, nil
			}
			touched[e.Run.Instance] = e.Run
			switch e.Type {
			case engine.EventInstanceCompleted, engine.EventInstanceFailed, engine.EventInstanceCanceled:
				es.ended = true
			}
		}
		if len(batch) < journalBatch {
			break
		}
	}
	if err := es.multiInstance(ctx, touched, polled); err != nil {
		return false, err
	}
	// Resources before the status: a client that stops at a final status has seen the states it left.
	st := newStatusEvent(d)
	moved := !st.same(es.status)
	if moved || polled || len(touched) > 0 {
		res, err := es.resources(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil // removed since: the next update ends the stream
		} else if err != nil {
			return false, err
		}
		es.resourceChanges(res)
	}
	if moved {
		es.status = st
		es.event("status", "", st)
	}
	return es.flush() != nil, nil
}

// multiInstance sends the multi-instance counters of the runs that had journal events, when they moved.
// A run's counters are read from its state, which costs a decode of it: at most every miEvery, unless
// the run ended (its last counters are then sent at once) or the stream polls; runs not read yet are
// read at a later update.
func (es *eventStream) multiInstance(ctx context.Context, touched map[string]processes.Run, polled bool) error {
	if es.miStale == nil {
		es.miStale = map[string]processes.Run{}
	}
	maps.Copy(es.miStale, touched)
	if len(es.miStale) == 0 {
		return nil
	}
	now := es.d.Clock.Now()
	if !polled && !es.ended && now.Sub(es.miRead) < miEvery {
		return nil
	}
	es.ended = false
	es.miRead = now
	for inst, run := range es.miStale {
		mi, err := es.d.Journal.MultiInstance(ctx, inst)
		if err != nil {
			return err
		}
		if !maps.Equal(mi, es.mi[inst]) {
			es.mi[inst] = mi
			es.event("multi-instance", "", miEvent{Run: run, Elements: mi})
		}
	}
	clear(es.miStale)
	return nil
}

// snapshot writes the first event of a stream.
func (es *eventStream) snapshot(d *store.Deployment, runs []processes.RunState, pos int64, res []resourceEvent) {
	es.status = newStatusEvent(d)
	es.res = map[string]resourceEvent{}
	for _, r := range res {
		es.res[r.UUID] = r
	}
	total := map[string]engine.ElementStats{}
	for _, r := range runs {
		if r.MultiInstance != nil {
			es.mi[r.Instance] = r.MultiInstance
		}
		if !r.Current {
			continue // as GET /statistics: the runs the deployment's plans are bound to now
		}
		for el, st := range r.Statistics {
			t := total[el]
			t.Active += st.Active
			t.Completed += st.Completed
			t.Canceled += st.Canceled
			t.Incidents += st.Incidents
			total[el] = t
		}
	}
	if runs == nil {
		runs = []processes.RunState{}
	}
	if res == nil {
		res = []resourceEvent{}
	}
	es.event("snapshot", strconv.FormatInt(pos, 10), snapshotEvent{Deployment: d.UUID, statusEvent: es.status,
		Position: pos, Statistics: total, Runs: runs, Resources: res})
}

// resources lists every resource of the deployment, in deployment order.
func (es *eventStream) resources(ctx context.Context) ([]resourceEvent, error) {
	var out []resourceEvent
	for p := 0; ; p++ {
		page, err := es.s.deps.Deployments.Resources(ctx, es.id, "", store.Page{Number: p, Size: store.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Items {
			out = append(out, resourceEvent{UUID: r.UUID, NodeName: r.NodeName, NodeType: r.ToscaType, State: r.State,
				PhysicalID: r.PhysicalID})
		}
		if p+1 >= page.TotalPages() {
			return out, nil
		}
	}
}

// resourceChanges sends the resources whose state (or physical id) changed, the new ones and the
// removed ones.
func (es *eventStream) resourceChanges(now []resourceEvent) {
	seen := map[string]bool{}
	for _, r := range now {
		seen[r.UUID] = true
		if old, ok := es.res[r.UUID]; !ok || old != r {
			es.res[r.UUID] = r
			es.event("resource", "", r)
		}
	}
	for id := range es.res {
		if !seen[id] {
			delete(es.res, id)
			es.event("resource", "", resourceEvent{UUID: id, Removed: true})
		}
	}
}

// end sends the end event; the handler returns after it.
func (es *eventStream) end(reason string) {
	es.event("end", "", map[string]string{"reason": reason})
	_ = es.flush()
}

// event appends one event to the buffer. JSON has no raw newline, so data is one line.
func (es *eventStream) event(name, id string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		es.s.log.Error("event stream: encode event", "event", name, "err", err)
		return
	}
	es.buf.WriteString("event: ")
	es.buf.WriteString(name)
	if id != "" {
		es.buf.WriteString("\nid: ")
		es.buf.WriteString(id)
	}
	es.buf.WriteString("\ndata: ")
	es.buf.Write(data)
	es.buf.WriteString("\n\n")
}

// flush writes the buffer to the client and flushes it through to the connection.
func (es *eventStream) flush() error {
	if es.buf.Len() == 0 {
		return nil
	}
	// A network deadline is wall-clock time, whatever clock the stream runs on.
	_ = es.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := es.w.Write(es.buf.Bytes())
	es.buf.Reset()
	if err == nil {
		err = es.rc.Flush()
	}
	return err
}
