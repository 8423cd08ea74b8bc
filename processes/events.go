package processes

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
)

// The live view of a deployment (GET /deployments/{id}/events): the journal of every plan it ran,
// read in commit order from a position, and a wake-up when the lifecycle commits a step, so that a
// reader does not have to poll to see a step soon after it happened.

// changeFeed wakes whoever waits for the next committed step. Its zero value is ready.
type changeFeed struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel closed at the next notify.
func (f *changeFeed) wait() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ch == nil {
		f.ch = make(chan struct{})
	}
	return f.ch
}

// notify wakes every waiter; a notify with no waiter costs a lock.
func (f *changeFeed) notify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ch != nil {
		close(f.ch)
		f.ch = nil
	}
}

// live is the state of the live views: the wake-ups of the event streams and the counters of /metrics.
type live struct {
	changes changeFeed
	feeds   deploymentFeeds
	// written carries the instances of each commit (Store.OnCommit) to runFeeds.
	written chan []string
	metrics *Metrics
}

func newLive() *live { return &live{metrics: newMetrics(), written: make(chan []string, 256)} }

// deploymentFeeds wakes the readers of one deployment's journal, not every reader, when a commit
// wrote an instance of one of its plans: a step of one deployment among hundreds under way wakes its
// own streams only. Instances are placed by what settle learned of them, else by their definition.
type deploymentFeeds struct {
	mu    sync.Mutex
	feeds map[string]*changeFeed // by deployment, while somebody waits
	owner map[string]string      // instance -> deployment
}

// maxOwners bounds what deploymentFeeds remembers of instances; past it, it starts over.
const maxOwners = 1 << 16

// wait returns a channel closed at the next commit of the deployment.
func (d *deploymentFeeds) wait(deployment string) <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.feeds == nil {
		d.feeds = map[string]*changeFeed{}
	}
	f := d.feeds[deployment]
	if f == nil {
		f = &changeFeed{}
		d.feeds[deployment] = f
	}
	return f.wait()
}

// notify wakes the readers of a deployment.
func (d *deploymentFeeds) notify(deployment string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f := d.feeds[deployment]; f != nil {
		f.notify()
		delete(d.feeds, deployment)
	}
}

// notifyAll wakes every reader (a commit whose instances could not be placed).
func (d *deploymentFeeds) notifyAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range d.feeds {
		f.notify()
	}
	d.feeds = nil
}

// learn remembers the deployment of an instance.
func (d *deploymentFeeds) learn(instance, deployment string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.owner == nil || len(d.owner) >= maxOwners {
		d.owner = map[string]string{}
	}
	d.owner[instance] = deployment
}

func (d *deploymentFeeds) ownerOf(instance string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dep, ok := d.owner[instance]
	return dep, ok
}

// written is the store's commit observer. It wakes the readers of the deployments of the instances it
// has learned at once, in the writer's turn (so that a reader who sees a commit's effect and then
// waits is not woken by that commit after all), and hands the others to runFeeds, never blocking the
// writer (a full queue wakes every reader instead).
func (s *Service) written(instances []string) {
	l := s.liveState()
	var unknown []string
	for _, in := range instances {
		if dep, ok := l.feeds.ownerOf(in); ok {
			l.feeds.notify(dep)
		} else {
			unknown = append(unknown, in)
		}
	}
	if len(unknown) == 0 {
		return
	}
	select {
	case l.written <- unknown:
	default:
		l.feeds.notifyAll()
	}
}

// runFeeds wakes the readers of the deployments of the instances written that written could not
// place, until ctx ends: it looks each up by its plan's definition and learns it.
func (s *Service) runFeeds(ctx context.Context) {
	l := s.liveState()
	for {
		var instances []string
		select {
		case <-ctx.Done():
			return
		case instances = <-l.written:
		}
		for _, in := range instances {
			dep, ok := l.feeds.ownerOf(in)
			if !ok {
				def, err := s.st.DefinitionOfInstance(ctx, in)
				if err != nil {
					l.feeds.notifyAll() // gone, or unreadable: better a spurious wake-up than none
					continue
				}
				dep = def.Deployment
				l.feeds.learn(in, dep)
			}
			l.feeds.notify(dep)
		}
	}
}

// ChangedFor returns a channel that is closed when the lifecycle next commits a step of the
// deployment's plans, or changes its status. Like Changed, it does not see the commits of another
// process sharing the store: its readers poll too.
func (s *Service) ChangedFor(deployment string) <-chan struct{} {
	return s.liveState().feeds.wait(deployment)
}

// liveState returns the live state of s (made by New).
func (s *Service) liveState() *live { return s.live }

// committed tells the event streams that a lifecycle transaction committed (called where the
// lifecycle wakes its relay and timers after a commit).
func (s *Service) committed() {
	l := s.liveState()
	l.metrics.commits.Inc()
	l.changes.notify()
}

// Changed returns a channel that is closed when the lifecycle next commits a step (a reply applied,
// a timer fired, a deployment created, updated or deleted). A reader of the journal waits on it, and
// on a bounded poll as well: a step committed by another process sharing the store is not seen here.
func (s *Service) Changed() <-chan struct{} {
	return s.liveState().changes.wait()
}

// Run is one run of a plan of a deployment: the engine instance that runs (or ran) it.
type Run struct {
	Kind     store.DefinitionKind `json:"kind"`
	Instance string               `json:"instance"`
	// Attempt numbers the runs of the deploy plan on successive providers (1 for the first); it is 0
	// for the other plans.
	Attempt int `json:"attempt,omitempty"`
}

// JournalEvent is a journal entry of one of a deployment's runs.
type JournalEvent struct {
	store.Entry
	Run Run
}

// Tail reads the journal of every run of a deployment in commit order, after a position. The runs
// are those the deployment's plans are bound to, the earlier provider attempts of its deploy plan,
// and every run the tail met while it followed the deployment (an update or undeploy run replaced by
// a later one is known only to a tail that saw it). A Tail is used by one goroutine.
type Tail struct {
	s          *Service
	deployment string
	after      int64
	runs       []Run
	// bound is the run each plan of the deployment is bound to, by kind, as last looked at.
	bound map[store.DefinitionKind]string
	// version is the deployment's version when its plans were last looked at (0: never).
	version int64
}

// Tail returns a reader of the journal of a deployment's plans after position after (0: from the start).
func (s *Service) Tail(deployment string, after int64) *Tail {
	return &Tail{s: s, deployment: deployment, after: max(after, 0)}
}

// Position is the journal position the tail has read up to: every event of the deployment's runs at
// or before it was returned by Next (or lay before the tail's start).
func (t *Tail) Position() int64 { return t.after }

// Runs returns the runs the tail knows of, in the order it found them.
func (t *Tail) Runs() []Run { return slices.Clone(t.runs) }

// Bound tells whether a plan of the deployment is bound to run r (its latest run of that kind), as the
// tail last saw the deployment.
func (t *Tail) Bound(r Run) bool { return r.Instance != "" && t.bound[r.Kind] == r.Instance }

// Next returns up to limit events after Position, in commit order, and moves Position past them. It
// returns nothing when no event is new.
//
// Journal positions are handed out by the single writer in commit order, so once an entry is
// visible so is every entry before it. Reading several runs one query after another could still see
// a later entry of one run and miss an earlier one of another committed in between; Next therefore
// reads twice: the first pass finds a position every run's entries up to which are committed, the
// second reads each run up to that position.
func (t *Tail) Next(ctx context.Context, limit int) ([]JournalEvent, error) {
	if limit <= 0 {
		limit = 1
	}
	if err := t.refresh(ctx); err != nil {
		return nil, err
	}
	high := t.after
	for _, r := range t.runs {
		es, err := t.s.st.JournalAfter(ctx, r.Instance, t.after, limit)
		if err != nil {
			return nil, err
		}
		if len(es) > 0 {
			high = max(high, es[len(es)-1].Seq)
		}
	}
	if high == t.after {
		return nil, nil
	}
	// A run bound since the first pass, with entries up to high, is in the deployment's plans now.
	if err := t.refresh(ctx); err != nil {
		return nil, err
	}
	var out []JournalEvent
	for _, r := range t.runs {
		es, err := t.s.st.JournalAfter(ctx, r.Instance, t.after, limit)
		if err != nil {
			return nil, err
		}
		if len(es) == limit {
			// This run may have more entries up to high than the limit let through.
			high = min(high, es[len(es)-1].Seq)
		}
		for _, e := range es {
			out = append(out, JournalEvent{Entry: e, Run: r})
		}
	}
	out = slices.DeleteFunc(out, func(e JournalEvent) bool { return e.Seq > high })
	slices.SortFunc(out, func(a, b JournalEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	if len(out) > limit {
		out = out[:limit]
		high = out[limit-1].Seq
	}
	t.after = high
	return out, nil
}

// refresh adds the runs the deployment's plans are bound to now (with the earlier attempts of its
// deploy plan) to those the tail knows. A plan is bound to a new run only in a transaction that updates
// the deployment too (a new status, or the next provider), so the plans, whose rows carry their BPMN,
// are read again only when the deployment's version moved.
func (t *Tail) refresh(ctx context.Context) error {
	d, err := t.s.st.Deployment(ctx, t.deployment)
	if errors.Is(err, store.ErrNotFound) {
		return nil // removed, with its runs' journals
	} else if err != nil {
		return err
	}
	if d.Version == t.version {
		return nil
	}
	defs, err := t.s.st.Definitions(ctx, t.deployment)
	if err != nil {
		return err
	}
	t.version = d.Version
	t.bound = map[store.DefinitionKind]string{}
	for _, def := range defs {
		t.bound[def.Kind] = def.Instance
		if def.Instance == "" {
			continue
		}
		if def.Kind != store.KindDeploy {
			t.add(Run{Kind: def.Kind, Instance: def.Instance})
			continue
		}
		// The deploy plan's process is "deploy-<id>"; its first run has the process's id as instance
		// id and the run on the n-th provider "deploy-<id>-n" (see startPlan and retryOnNextProvider).
		first := "deploy-" + t.deployment
		last := 1
		if n, err := strconv.Atoi(strings.TrimPrefix(def.Instance, first+"-")); err == nil && n > 1 {
			last = n
		}
		if def.Instance != first && last == 1 {
			t.add(Run{Kind: def.Kind, Instance: def.Instance, Attempt: 1}) // a plan named otherwise
			continue
		}
		for n := 1; n <= last; n++ {
			id := first
			if n > 1 {
				id += "-" + strconv.Itoa(n)
			}
			t.add(Run{Kind: def.Kind, Instance: id, Attempt: n})
		}
	}
	return nil
}

func (t *Tail) add(r Run) {
	if !slices.ContainsFunc(t.runs, func(k Run) bool { return k.Instance == r.Instance }) {
		t.runs = append(t.runs, r)
	}
}

// MICounts are the counters of the live multi-instance bodies of an element (BPMN 2.0.2, 10.3.8:
// nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances), summed over its bodies.
type MICounts struct {
	Instances int `json:"nrOfInstances"`
	Active    int `json:"nrOfActiveInstances"`
	Completed int `json:"nrOfCompletedInstances"`
}

// MultiInstance returns the counters of the multi-instance bodies of a run that are running now, by
// element; empty when none runs (or the run is gone).
func (s *Service) MultiInstance(ctx context.Context, instance string) (map[string]MICounts, error) {
	in, err := s.eng.Instance(ctx, instance)
	if err != nil {
		if gone(err) {
			return map[string]MICounts{}, nil
		}
		return nil, err
	}
	out := map[string]MICounts{}
	for _, sc := range in.Scopes {
		if sc.MI == nil || sc.Element == "" {
			continue
		}
		c := out[sc.Element]
		c.Instances += sc.MI.Instances
		c.Active += sc.MI.Active
		c.Completed += sc.MI.Completed
		out[sc.Element] = c
	}
	return out, nil
}

// RunState is what a run of a deployment's plan looks like at a journal position: the per-element
// counts of its events up to the position (engine.Statistics) and the counters of its multi-instance
// bodies now.
type RunState struct {
	Run
	// Current is set on the run the deployment's plan of its kind is bound to now (the latest attempt,
	// update or undeploy); the others are earlier runs.
	Current       bool                           `json:"current"`
	Statistics    map[string]engine.ElementStats `json:"statistics"`
	MultiInstance map[string]MICounts            `json:"multiInstance,omitempty"`
}

// PlanState returns the state of every run of a deployment's plans at journal position at (a
// negative at: the latest position), with the position it describes, so that a reader can follow
// with Tail(deployment, position) and miss nothing nor see anything twice.
func (s *Service) PlanState(ctx context.Context, deployment string, at int64) ([]RunState, int64, error) {
	const batch = 1000
	t := s.Tail(deployment, 0)
	if err := t.refresh(ctx); err != nil { // the runs, even when no event is to be read
		return nil, 0, err
	}
	events := map[string][]engine.Event{}
	for at < 0 || t.Position() < at {
		es, err := t.Next(ctx, batch)
		if err != nil {
			return nil, 0, err
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			if at >= 0 && e.Seq > at {
				break
			}
			events[e.Run.Instance] = append(events[e.Run.Instance], e.Event)
		}
	}
	pos := at
	if at < 0 {
		pos = t.Position()
	}
	var out []RunState
	for _, r := range t.Runs() {
		mi, err := s.MultiInstance(ctx, r.Instance)
		if err != nil {
			return nil, 0, err
		}
		if len(mi) == 0 {
			mi = nil
		}
		out = append(out, RunState{Run: r, Current: t.Bound(r), Statistics: engine.Statistics(events[r.Instance]),
			MultiInstance: mi})
	}
	return out, pos, nil
}
