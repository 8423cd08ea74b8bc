package processes

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/bpmn/engine/memstore"
	"github.com/toscaflow/toscaflow/esb"
)

func TestMetricsCountCommandsAndReplies(t *testing.T) {
	m := newMetrics()
	t0 := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	m.publishedAt(esb.Command{ID: "a", Service: "deployment-unit"}, t0)
	m.publishedAt(esb.Command{ID: "a", Service: "deployment-unit"}, t0.Add(time.Second)) // sent again: timed from the first
	m.publishedAt(esb.Command{ID: "b", Service: "deployment-unit"}, t0)
	m.repliedAt(esb.Reply{CommandID: "a", Service: "deployment-unit"}, true, t0.Add(3*time.Second))
	m.repliedAt(esb.Reply{CommandID: "a", Service: "deployment-unit"}, false, t0.Add(4*time.Second))
	m.repliedAt(esb.Reply{CommandID: "b", Service: "deployment-unit", Error: &esb.ReplyError{Message: "no"}}, true, t0.Add(time.Second))

	assert.Equal(t, 3.0, testutil.ToFloat64(m.published.WithLabelValues("deployment-unit")))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.replies.WithLabelValues(outcomeOK)))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.replies.WithLabelValues(outcomeFailed)))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.replies.WithLabelValues(outcomeDuplicate)))
	want := `
# HELP toscaflow_command_round_trip_seconds Time from publishing a command to applying its reply, by service type.
# TYPE toscaflow_command_round_trip_seconds histogram
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="0.005"} 0
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="0.02"} 0
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="0.08"} 0
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="0.32"} 0
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="1.28"} 1
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="5.12"} 2
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="20.48"} 2
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="81.92"} 2
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="327.68"} 2
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="1310.72"} 2
toscaflow_command_round_trip_seconds_bucket{service="deployment-unit",le="+Inf"} 2
toscaflow_command_round_trip_seconds_sum{service="deployment-unit"} 4
toscaflow_command_round_trip_seconds_count{service="deployment-unit"} 2
`
	require.NoError(t, testutil.CollectAndCompare(m, strings.NewReader(want), "toscaflow_command_round_trip_seconds"))
	assert.Empty(t, m.sent, "answered commands are not waited for any more")
}

func TestMetricsForgetStaleCommands(t *testing.T) {
	m := newMetrics()
	t0 := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	for i := range maxInFlight {
		m.publishedAt(esb.Command{ID: "old" + strconv.Itoa(i), Service: "s"}, t0)
	}
	require.Len(t, m.sent, maxInFlight)
	m.publishedAt(esb.Command{ID: "new", Service: "s"}, t0.Add(time.Minute))
	assert.Len(t, m.sent, maxInFlight, "nothing stale yet: the new command is not timed")
	assert.NotContains(t, m.sent, "new")
	m.publishedAt(esb.Command{ID: "late", Service: "s"}, t0.Add(2*staleAfter))
	assert.Equal(t, map[string]time.Time{"late": t0.Add(2 * staleAfter)}, m.sent, "the stale ones are forgotten")
}

func TestStepCounterCountsCommits(t *testing.T) {
	m := newMetrics()
	st := stepCounter{Store: memstore.New(), m: m}
	in := &engine.Instance{ID: "i", ProcessID: "p", Version: 1, Status: engine.StatusActive}
	require.NoError(t, st.Commit(context.Background(), &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: in}},
		Events: []engine.Event{{Type: engine.EventInstanceStarted, Instance: "i"}}}))
	err := st.Commit(context.Background(), &engine.Mutation{Instances: []engine.InstanceWrite{{Instance: in}}})
	require.ErrorIs(t, err, engine.ErrConflict, "the id exists")
	assert.Equal(t, 1.0, testutil.ToFloat64(m.steps), "a refused commit is no step")
	assert.Equal(t, 1.0, testutil.ToFloat64(m.events))
}
