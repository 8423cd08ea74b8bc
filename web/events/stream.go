package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strconv"
	"time"

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

// eventStream is one client's stream.
type eventStream struct {
	s   *Streams
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
	clock, closing := es.s.cfg.Clock, es.s.closing
	heartbeat := clock.NewTicker(es.s.cfg.Heartbeat)
	defer heartbeat.Stop()
	poll := clock.NewTimer(es.s.cfg.Poll)
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
		case <-clock.After(es.s.cfg.Coalesce):
		}
		changed = es.s.cfg.Journal.ChangedFor(es.id)
		done, err := es.update(ctx, tail, polled)
		if err != nil {
			if ctx.Err() == nil {
				es.s.cfg.Log.Error("event stream", "deployment", es.id, "err", err)
				es.end("error")
			}
			return
		}
		if done {
			return
		}
		poll.Reset(es.s.cfg.Poll)
	}
}

// update sends what changed since the last one; done when the stream is over (the deployment is gone,
// or the client stopped reading). The deployment is read before the journal: a status committed with a
// step is then sent after that step's journal events, never before.
func (es *eventStream) update(ctx context.Context, tail *processes.Tail, polled bool) (done bool, err error) {
	d, err := es.s.cfg.Lifecycle.Get(ctx, es.id)
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
	now := es.s.cfg.Clock.Now()
	if !polled && !es.ended && now.Sub(es.miRead) < miEvery {
		return nil
	}
	es.ended = false
	es.miRead = now
	for inst, run := range es.miStale {
		mi, err := es.s.cfg.Journal.MultiInstance(ctx, inst)
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
		page, err := es.s.cfg.Lifecycle.Resources(ctx, es.id, "", store.Page{Number: p, Size: store.MaxPageSize})
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
		es.s.cfg.Log.Error("event stream: encode event", "event", name, "err", err)
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
