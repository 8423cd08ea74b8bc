package metrics_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/internal/apitest"
)

// scrape reads GET /metrics in the Prometheus text format.
func scrape(s *apitest.LiveStack) map[string]*dto.MetricFamily {
	s.T.Helper()
	resp := s.Do(http.MethodGet, "/metrics", "")
	defer resp.Body.Close()
	require.Equal(s.T, http.StatusOK, resp.StatusCode)
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	require.NoError(s.T, err)
	return fams
}

// sample is the value of the sample of a family whose labels include want (counter, gauge or the
// count of a histogram); found is false when there is none.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (v float64, found bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	s := apitest.StartLive(t, web.LiveDeps{})
	id := s.Create("webapp-on-compute.yaml")
	require.Eventually(t, func() bool {
		resp := s.Do(http.MethodGet, "/deployments/"+id, "")
		defer resp.Body.Close()
		var d struct{ Status string }
		return json.NewDecoder(resp.Body).Decode(&d) == nil && d.Status == processes.StatusCreateComplete
	}, apitest.LiveWait, 10*time.Millisecond)
	resp := s.Do(http.MethodGet, "/deployments/0190c0de-0000-7000-8000-000000000000", "")
	_ = resp.Body.Close()

	fams := scrape(s)
	for _, tc := range []struct {
		name   string
		metric string
		labels map[string]string
		want   float64
	}{
		{"deployments complete", "toscaflow_deployments", map[string]string{"status": processes.StatusCreateComplete}, 1},
		{"deployments creating", "toscaflow_deployments", map[string]string{"status": processes.StatusCreateInProgress}, 0},
		{"creates", "toscaflow_http_requests_total", map[string]string{"method": "POST", "route": "/deployments", "code": "201"}, 1},
		{"not found", "toscaflow_http_requests_total", map[string]string{"method": "GET", "route": "/deployments/{id}", "code": "404"}, 1},
		{"creates timed", "toscaflow_http_request_duration_seconds", map[string]string{"method": "POST", "route": "/deployments", "code": "201"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := sample(fams, tc.metric, tc.labels)
			require.True(t, ok, "no %s%v", tc.metric, tc.labels)
			assert.Equal(t, tc.want, v)
		})
	}
	polls, ok := sample(fams, "toscaflow_http_requests_total", map[string]string{"method": "GET", "route": "/deployments/{id}", "code": "200"})
	require.True(t, ok)
	assert.Positive(t, polls)
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		_, ok := fams[name]
		assert.True(t, ok, "%s is exposed", name)
	}
	// The lifecycle's counters moved with the deployment.
	for _, name := range []string{"toscaflow_engine_steps_total", "toscaflow_engine_journal_events_total",
		"toscaflow_lifecycle_commits_total", "toscaflow_commands_published_total", "toscaflow_command_round_trip_seconds"} {
		v, ok := sample(fams, name, nil)
		require.True(t, ok, "%s is exposed", name)
		assert.Positive(t, v, name)
	}
	ok200, ok := sample(fams, "toscaflow_replies_applied_total", map[string]string{"outcome": "ok"})
	require.True(t, ok)
	assert.Positive(t, ok200)

	// The scrapes are requests too: the second sees the first.
	before, _ := sample(fams, "toscaflow_http_requests_total", map[string]string{"route": "/metrics", "code": "200"})
	after, ok := sample(scrape(s), "toscaflow_http_requests_total", map[string]string{"route": "/metrics", "code": "200"})
	require.True(t, ok)
	assert.Equal(t, before+1, after)
}
