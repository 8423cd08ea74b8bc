package processes

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
)

// Metrics counts what the lifecycle does, for Prometheus: engine steps and journal events, lifecycle
// transactions committed, commands published on the bus, replies applied and the round trip of a
// command (published → reply applied). It is a prometheus.Collector; the HTTP side (which registry,
// which endpoint) is the caller's.
type Metrics struct {
	steps     prometheus.Counter
	events    prometheus.Counter
	commits   prometheus.Counter
	published *prometheus.CounterVec
	replies   *prometheus.CounterVec
	roundTrip *prometheus.HistogramVec

	// sent holds the publish time of the commands awaiting their reply, for the round trip.
	mu   sync.Mutex
	sent map[string]time.Time
}

// maxInFlight bounds the commands whose round trip is being timed; staleAfter is when a command that
// was never answered (its deployment was deleted, say) stops being waited for.
const (
	maxInFlight = 1 << 14
	staleAfter  = time.Hour
)

// Reply outcomes (label outcome of toscaflow_replies_applied_total).
const (
	outcomeOK        = "ok"
	outcomeFailed    = "failed"
	outcomeDuplicate = "duplicate"
)

func newMetrics() *Metrics {
	return &Metrics{
		steps: prometheus.NewCounter(prometheus.CounterOpts{Name: "toscaflow_engine_steps_total",
			Help: "BPMN engine steps committed (each one store transaction or savepoint)."}),
		events: prometheus.NewCounter(prometheus.CounterOpts{Name: "toscaflow_engine_journal_events_total",
			Help: "Journal events the BPMN engine committed."}),
		commits: prometheus.NewCounter(prometheus.CounterOpts{Name: "toscaflow_lifecycle_commits_total",
			Help: "Lifecycle transactions committed (a reply applied, timers fired, a deployment created, updated or deleted)."}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "toscaflow_commands_published_total",
			Help: "Commands published on the service bus, by service type."}, []string{"service"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "toscaflow_replies_applied_total",
			Help: "Connector replies handled, by outcome: ok, failed (the connector reported an error) or duplicate (already applied)."},
			[]string{"outcome"}),
		roundTrip: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "toscaflow_command_round_trip_seconds",
			Help:    "Time from publishing a command to applying its reply, by service type.",
			Buckets: prometheus.ExponentialBuckets(0.005, 4, 10)}, []string{"service"}),
		sent: map[string]time.Time{},
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.collectors() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.collectors() {
		c.Collect(ch)
	}
}

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.steps, m.events, m.commits, m.published, m.replies, m.roundTrip}
}

// publishedAt counts a command put on the bus and starts timing its round trip (a command sent again
// keeps its first time).
func (m *Metrics) publishedAt(cmd esb.Command, now time.Time) {
	m.published.WithLabelValues(cmd.Service).Inc()
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sent[cmd.ID]; ok {
		return
	}
	if len(m.sent) >= maxInFlight {
		for id, t := range m.sent {
			if now.Sub(t) > staleAfter {
				delete(m.sent, id)
			}
		}
		if len(m.sent) >= maxInFlight {
			return // too many unanswered commands: this one is not timed
		}
	}
	m.sent[cmd.ID] = now
}

// repliedAt counts a reply handled and, when it was applied, observes its command's round trip.
func (m *Metrics) repliedAt(r esb.Reply, applied bool, now time.Time) {
	m.mu.Lock()
	t, ok := m.sent[r.CommandID]
	delete(m.sent, r.CommandID)
	m.mu.Unlock()
	switch {
	case !applied:
		m.replies.WithLabelValues(outcomeDuplicate).Inc()
		return
	case r.Error != nil:
		m.replies.WithLabelValues(outcomeFailed).Inc()
	default:
		m.replies.WithLabelValues(outcomeOK).Inc()
	}
	if ok {
		m.roundTrip.WithLabelValues(r.Service).Observe(now.Sub(t).Seconds())
	}
}

// published counts a command the relay put on the bus (called by publish once the bus took it).
func (s *Service) published(cmd esb.Command, now time.Time) {
	s.liveState().metrics.publishedAt(cmd, now)
}

// replied counts a connector's reply once handleReply is done with it; applied is false for a reply
// already applied before.
func (s *Service) replied(r esb.Reply, applied bool, now time.Time) {
	s.liveState().metrics.repliedAt(r, applied, now)
}

// countSteps wraps the engine's store so that every committed step is counted.
func (s *Service) countSteps(st engine.Store) engine.Store {
	return stepCounter{Store: st, m: s.liveState().metrics}
}

// stepCounter is an engine.Store that counts the steps committed through it.
type stepCounter struct {
	engine.Store
	m *Metrics
}

// Commit commits the step and counts it.
func (c stepCounter) Commit(ctx context.Context, m *engine.Mutation) error {
	if err := c.Store.Commit(ctx, m); err != nil {
		return err
	}
	c.m.steps.Inc()
	c.m.events.Add(float64(len(m.Events)))
	return nil
}

// Metrics returns the lifecycle's collector: the counters of Metrics, and the deployments by status,
// counted in the store at each scrape (one indexed count per status).
func (s *Service) Metrics() prometheus.Collector {
	return multiCollector{s.liveState().metrics, deploymentsByStatus{s}}
}

type multiCollector []prometheus.Collector

func (mc multiCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range mc {
		c.Describe(ch)
	}
}

func (mc multiCollector) Collect(ch chan<- prometheus.Metric) {
	for _, c := range mc {
		c.Collect(ch)
	}
}

// Statuses lists every deployment status, in lifecycle order.
var Statuses = []string{StatusCreateInProgress, StatusCreateComplete, StatusCreateFailed, StatusUpdateInProgress,
	StatusUpdateComplete, StatusUpdateFailed, StatusDeleteInProgress, StatusDeleteComplete, StatusDeleteFailed}

var deploymentsDesc = prometheus.NewDesc("toscaflow_deployments", "Deployments by status.", []string{"status"}, nil)

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 5 * time.Second

// deploymentsByStatus counts the deployments of each status when scraped.
type deploymentsByStatus struct{ s *Service }

func (d deploymentsByStatus) Describe(ch chan<- *prometheus.Desc) { ch <- deploymentsDesc }

func (d deploymentsByStatus) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	for _, st := range Statuses {
		if st == StatusDeleteComplete {
			continue // a finished delete removes the record: there are never any
		}
		p, err := d.s.st.Deployments(ctx, store.DeploymentFilter{Statuses: []string{st}}, store.Page{Size: 1})
		if err != nil {
			ch <- prometheus.NewInvalidMetric(deploymentsDesc, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(deploymentsDesc, prometheus.GaugeValue, float64(p.Total), st)
	}
}
