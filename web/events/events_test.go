package events_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// journalOf keeps the journal events of a list of events.
func journalOf(evs []apitest.SSEEvent) []apitest.SSEEvent {
	var out []apitest.SSEEvent
	for _, ev := range evs {
		if ev.Name == "journal" {
			out = append(out, ev)
		}
	}
	return out
}

// stats decodes the statistics of a snapshot (or of GET /statistics).
func stats(t *testing.T, v any) map[string]engine.ElementStats {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	out := map[string]engine.ElementStats{}
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// asEngineEvents turns journal events back into engine events, for engine.Statistics.
func asEngineEvents(evs []apitest.SSEEvent) []engine.Event {
	var out []engine.Event
	for _, ev := range evs {
		e := engine.Event{Type: engine.EventType(ev.Data["type"].(string)), Instance: ev.Data["instance"].(string)}
		e.Element, _ = ev.Data["element"].(string)
		out = append(out, e)
	}
	return out
}

func seqOf(t *testing.T, ev apitest.SSEEvent) int64 {
	t.Helper()
	n, err := strconv.ParseInt(ev.ID, 10, 64)
	require.NoError(t, err)
	return n
}

// merge adds counts.
func merge(a, b map[string]engine.ElementStats) map[string]engine.ElementStats {
	out := map[string]engine.ElementStats{}
	for _, m := range []map[string]engine.ElementStats{a, b} {
		for el, s := range m {
			t := out[el]
			t.Active += s.Active
			t.Completed += s.Completed
			t.Canceled += s.Canceled
			t.Incidents += s.Incidents
			out[el] = t
		}
	}
	for el, s := range out {
		if s == (engine.ElementStats{}) {
			delete(out, el)
		}
	}
	return out
}

func nonZero(m map[string]engine.ElementStats) map[string]engine.ElementStats {
	return merge(m, nil)
}

// TestEventsFollowADeployment follows a deployment from its creation to its removal: a snapshot, then
// every journal event of its plans in commit order with increasing ids, its statuses and resource
// states; a client resuming with Last-Event-ID gets exactly the rest; the delete ends both streams.
func TestEventsFollowADeployment(t *testing.T) {
	s := apitest.StartHeld(t, web.LiveDeps{})
	id := s.Create("wordpress-mysql.yaml")
	st := s.OpenStream(id)
	first, ok := st.Next()
	require.True(t, ok)
	require.Equal(t, "snapshot", first.Name)
	require.Equal(t, processes.StatusCreateInProgress, first.Data["status"])
	s.RunLifecycle()

	assert.Equal(t, id, first.Data["deployment"])
	assert.Equal(t, first.ID, strconv.FormatInt(int64(first.Data["position"].(float64)), 10))
	assert.NotEmpty(t, first.Data["resources"])
	evs := st.Until(apitest.IsStatus(processes.StatusCreateComplete, processes.StatusCreateFailed))
	require.Equal(t, processes.StatusCreateComplete, evs[len(evs)-1].Data["status"], "reason: %v", evs[len(evs)-1].Data["statusReason"])

	journal := journalOf(evs)
	require.NotEmpty(t, journal)
	last, err := strconv.ParseInt(first.ID, 10, 64)
	require.NoError(t, err)
	// Every element is activated before it completes (the snapshot counts those active before).
	activated := map[string]int{}
	for el, s := range stats(t, first.Data["statistics"]) {
		activated[el] = s.Active
	}
	for _, ev := range journal {
		seq, err := strconv.ParseInt(ev.ID, 10, 64)
		require.NoError(t, err)
		require.Greater(t, seq, last, "ids increase")
		assert.Equal(t, float64(seq), ev.Data["seq"])
		assert.Equal(t, "deploy", ev.Data["kind"])
		last = seq
		el, _ := ev.Data["element"].(string)
		switch engine.EventType(ev.Data["type"].(string)) {
		case engine.EventElementActivated:
			activated[el]++
		case engine.EventElementCompleted, engine.EventElementTerminated:
			require.Positive(t, activated[el], "%s ended before it was activated", el)
			activated[el]--
		}
	}
	var sawResource bool
	var lastMI map[string]any
	for _, ev := range evs {
		sawResource = sawResource || ev.Name == "resource"
		if ev.Name == "multi-instance" {
			lastMI = ev.Data
		}
	}
	assert.True(t, sawResource, "resource state changes are sent")
	// The plan's parallel multi-instance body was counted in the snapshot, and its counters end empty
	// once the plan is over.
	runs := first.Data["runs"].([]any)
	require.Len(t, runs, 1)
	assert.NotEmpty(t, runs[0].(map[string]any)["multiInstance"])
	require.NotNil(t, lastMI, "the counters' changes are sent")
	assert.Equal(t, map[string]any{}, lastMI["elements"])

	// The snapshot's counts and the journal events sent make the deployment's statistics.
	resp := s.Do(http.MethodGet, "/deployments/"+id+"/statistics", "")
	var want map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&want))
	_ = resp.Body.Close()
	got := merge(stats(t, first.Data["statistics"]), engine.Statistics(asEngineEvents(journal)))
	assert.Equal(t, nonZero(stats(t, want)), got)

	// A client resuming in the middle gets a snapshot at its position and exactly the rest.
	mid := journal[len(journal)/2]
	again := s.OpenStream(id, "Last-Event-ID: "+mid.ID)
	snap, ok := again.Next()
	require.True(t, ok)
	require.Equal(t, "snapshot", snap.Name)
	assert.Equal(t, mid.ID, snap.ID)
	var upToMid []apitest.SSEEvent
	for _, ev := range journal {
		if seqOf(t, ev) <= seqOf(t, mid) {
			upToMid = append(upToMid, ev)
		}
	}
	assert.Equal(t, nonZero(merge(stats(t, first.Data["statistics"]), engine.Statistics(asEngineEvents(upToMid)))),
		nonZero(stats(t, snap.Data["statistics"])))
	rest := journal[len(upToMid):]
	resumed := journalOf(again.Until(func(ev apitest.SSEEvent) bool { return ev.Name == "journal" && ev.ID == journal[len(journal)-1].ID }))
	require.Len(t, resumed, len(rest))
	for i := range rest {
		assert.Equal(t, rest[i].ID, resumed[i].ID)
		assert.Equal(t, rest[i].Data, resumed[i].Data)
	}

	// Deleting the deployment: both streams see the undeploy plan, then the end.
	resp = s.Do(http.MethodDelete, "/deployments/"+id, "")
	_ = resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	for _, c := range []*apitest.Stream{st, again} {
		tail := c.Rest()
		require.NotEmpty(t, tail)
		end := tail[len(tail)-1]
		assert.Equal(t, "end", end.Name)
		assert.Equal(t, "deleted", end.Data["reason"])
		assert.True(t, apitest.IsStatus(processes.StatusDeleteComplete)(tail[len(tail)-2]))
		for _, ev := range journalOf(tail) {
			assert.Equal(t, "undeploy", ev.Data["kind"], "no deploy event is sent twice")
		}
	}
	// A reconnection finds nothing.
	resp = s.Do(http.MethodGet, "/deployments/"+id+"/events", "")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestEventsRefusals(t *testing.T) {
	s := apitest.StartLive(t, web.LiveDeps{MaxStreams: 1})
	id := s.Create("webapp-on-compute.yaml")

	resp := s.Do(http.MethodGet, "/deployments/"+id+"/events", "", "Last-Event-ID: nope")
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", body)

	resp = s.Do(http.MethodGet, "/deployments/0190c0de-0000-7000-8000-000000000000/events", "")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	st := s.OpenStream(id)
	_, ok := st.Next()
	require.True(t, ok)
	resp = s.Do(http.MethodGet, "/deployments/"+id+"/events", "")
	body, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	var e map[string]any
	require.NoError(t, json.Unmarshal(body, &e))
	assert.Equal(t, float64(http.StatusServiceUnavailable), e["code"])

	// A client that goes away gives its slot back.
	require.NoError(t, st.Resp.Body.Close())
	require.Eventually(t, func() bool {
		resp := s.Do(http.MethodGet, "/deployments/"+id+"/events", "")
		defer resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, apitest.LiveWait, 10*time.Millisecond, "the stream of a client gone still holds its slot")
}

// TestEventsEndAtShutdown: a server shutting down ends its open streams with an end event instead of
// waiting for their clients to leave.
func TestEventsEndAtShutdown(t *testing.T) {
	s := apitest.StartLive(t, web.LiveDeps{})
	id := s.Create("webapp-on-compute.yaml")
	st := s.OpenStream(id)
	snap, ok := st.Next()
	require.True(t, ok)
	require.Equal(t, "snapshot", snap.Name)

	s.StopAPI()
	select {
	case err := <-s.APIDone:
		require.NoError(t, err, "the shutdown did not wait for the stream")
	case <-time.After(apitest.LiveWait):
		t.Fatal("the server did not shut down with a stream open")
	}
	rest := st.Rest()
	require.NotEmpty(t, rest)
	assert.Equal(t, "end", rest[len(rest)-1].Name)
	assert.Equal(t, "shutdown", rest[len(rest)-1].Data["reason"])
}

// TestEventsHeartbeat: an idle stream sends a comment every Heartbeat, so that proxies keep it open.
func TestEventsHeartbeat(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s := apitest.StartLive(t, web.LiveDeps{Clock: clock, Heartbeat: time.Minute, Poll: time.Hour})
	id := s.Create("webapp-on-compute.yaml")
	require.Eventually(t, func() bool {
		resp := s.Do(http.MethodGet, "/deployments/"+id, "")
		defer resp.Body.Close()
		var d struct{ Status string }
		return json.NewDecoder(resp.Body).Decode(&d) == nil && d.Status == processes.StatusCreateComplete
	}, apitest.LiveWait, 10*time.Millisecond)
	st := s.OpenStream(id)
	snap, ok := st.Next()
	require.True(t, ok)
	require.Equal(t, "snapshot", snap.Name)

	ctx, cancel := context.WithTimeout(t.Context(), apitest.LiveWait)
	defer cancel()
	require.NoError(t, clock.BlockUntilContext(ctx, 2), "the stream waits on its heartbeat and its poll")
	clock.Advance(time.Minute)
	select {
	case c := <-st.Comments:
		assert.Equal(t, "keep-alive", c)
	case <-ctx.Done():
		t.Fatal("no heartbeat")
	}
}
