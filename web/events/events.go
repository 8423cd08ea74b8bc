package events

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web/rest"
)

// events serves GET /deployments/{id}/events: a text/event-stream (server-sent events, WHATWG HTML
// 9.2) of what happens to a deployment, for its owner or an administrator (else 403; 404 when it does
// not exist). At most Config.MaxStreams streams are open at once: one more is a 503 with Retry-After.
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
// completes between two reads is gone with the record (the stream then sends DELETE_COMPLETE and ends). Comments (": keep-alive") are sent every Config.Heartbeat. The stream ends with an
// end event when the deployment is deleted (after a status event DELETE_COMPLETE; a reconnection is
// then a 404) or the server shuts down, and when the client goes away.
func (s *Streams) events(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	// Read before the plans' state: the snapshot's status is never newer than its position, so a
	// final status always comes after the journal events of the step that set it.
	d, ok := s.guard.Deployment(w, r, id)
	if !ok {
		return
	}
	at, err := resumePosition(r)
	if err != nil {
		rest.WriteStatus(w, http.StatusBadRequest, err.Error())
		return
	}
	release, ok := s.openStream()
	if !ok {
		s.cfg.Reply.SetRetryAfter(w)
		rest.WriteStatus(w, http.StatusServiceUnavailable, "Too many event streams are open, or the server is shutting down; try again later")
		return
	}
	defer release()
	s.watchShutdown(r)
	ctx := r.Context()
	es := &eventStream{s: s, w: w, rc: http.NewResponseController(w), id: id,
		mi: map[string]map[string]processes.MICounts{}}
	// Taken before the snapshot is read: a step committed from here on wakes the first wait.
	changed := s.cfg.Journal.ChangedFor(id)
	runs, pos, err := s.cfg.Journal.PlanState(ctx, id, at)
	if err != nil {
		s.cfg.Reply.Error(w, r, err)
		return
	}
	res, err := es.resources(ctx)
	if err != nil {
		s.cfg.Reply.Error(w, r, err)
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
	es.follow(ctx, s.cfg.Journal.Tail(id, pos), changed)
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
