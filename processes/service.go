package processes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
)

// Service runs the deployment lifecycle over a store and a bus. Make it with New, serve it with Run;
// its methods may be called before Run (their commands wait in the outbox).
type Service struct {
	cfg   Config
	st    *store.Store
	bus   *esb.Bus
	clock Clock
	log   *slog.Logger
	eng   *engine.Engine
	relay *store.Relay
	http  *http.Client

	// timerWake tells the timer driver that a step may have set a timer.
	timerWake chan struct{}
	// callbacks tracks the callback workers, so that Run returns after them.
	callbacks      sync.WaitGroup
	callbackQueues callbackQueues
	// deployed holds the process ids the engine has compiled (every plan is its own process).
	deployed sync.Map
	// deadlines are the timeoutMins of the deployments being created.
	deadlines deadlines
	// planTasks are the plans' own tasks the relay handed over (see runPlanTasks).
	planTasks *planTasks
	// ready is closed once Run has resumed what a previous run left (see Ready).
	ready     chan struct{}
	readyOnce sync.Once
	live      *live // events.go, metrics.go: wakes the event streams at each committed step; the counters of /metrics
}

// New checks the configuration and makes a Service.
func New(cfg Config, deps Deps) (*Service, error) {
	err := cfg.Validate()
	if deps.Store == nil {
		err = errors.Join(err, fmt.Errorf("%w: no store", ErrInvalidConfig))
	}
	if deps.Bus == nil {
		err = errors.Join(err, fmt.Errorf("%w: no bus", ErrInvalidConfig))
	}
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg: cfg.WithDefaults(), st: deps.Store, bus: deps.Bus, clock: deps.Clock, log: deps.Logger,
		timerWake: make(chan struct{}, 1), ready: make(chan struct{}), planTasks: newPlanTasks(),
		live: newLive(),
	}
	if s.clock == nil {
		s.clock = esb.SystemClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.http = &http.Client{Timeout: s.cfg.CallbackTimeout}
	// The engine works inside store transactions (InTx, ApplyOnce): its dispatcher must not send
	// anything before the commit. It records the in-progress resource states of the commands in the
	// same transaction; the store hands the committed commands to the relay. The plan commands are
	// committed with their route (routeCommands), so that the relay publishes them without a read.
	s.eng, err = engine.New(engine.Config{Store: s.routeCommands(s.countSteps(s.st)), Clock: s.clock, Dispatcher: engine.DispatcherFunc(s.dispatched)})
	if err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	s.relay, err = store.NewRelay(s.st, store.RelayConfig{
		Publish: s.publish,
		After:   s.clock.After,
		OnError: func(err error) { s.log.Warn("outbox relay pass failed", "err", err) },
	})
	if err != nil {
		return nil, fmt.Errorf("new relay: %w", err)
	}
	return s, nil
}

// Run serves until ctx ends: it first resumes what a previous run left (unanswered commands sent again,
// plans of unfinished deployments compiled, their timers and deadlines re-armed), then runs the outbox
// relay, applies the bus's replies, fires the plans' timers and prunes old outbox and inbox rows. It returns ctx's error once every loop and
// callback under way has stopped.
func (s *Service) Run(ctx context.Context) error {
	if err := s.resume(ctx); err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	s.st.OnCommit(s.written)
	defer s.st.OnCommit(nil)
	if err := s.bus.HandleReplies("", s.handleReply); err != nil {
		return fmt.Errorf("handle replies: %w", err)
	}
	s.readyOnce.Do(func() { close(s.ready) })
	var wg sync.WaitGroup
	wg.Go(func() { s.runFeeds(ctx) })
	wg.Go(func() { s.runPlanTasks(ctx) })
	wg.Go(func() { _ = s.relay.Run(ctx) })
	wg.Go(func() { s.runTimers(ctx) })
	wg.Go(func() { s.runPruning(ctx) })
	<-ctx.Done()
	wg.Wait()
	s.callbacks.Wait()
	return ctx.Err()
}

// Ready is closed once Run has resumed what a previous run left: the plans of every unfinished
// deployment are compiled into the engine, their timers re-armed and the bus's replies handled. A server
// serves its API (and reports itself healthy) only then, so that no request meets a plan half restored.
// It is never closed when Run fails before.
func (s *Service) Ready() <-chan struct{} {
	return s.ready
}

// resume prepares a restart: commands sent but never answered are pending again (the in-process bus
// lost them), and the plans of every unfinished deployment are compiled into the engine so that their
// replies and timers find them. A plan that ended while the deployment's status says otherwise (it
// cannot, since both change in one transaction, but a store restored from elsewhere might) is settled.
// It first does the start-up work that would otherwise fall on the first Create (warmUp).
func (s *Service) resume(ctx context.Context) error {
	warmUp()
	if n, err := s.st.Requeue(ctx, s.clock.Now()); err != nil {
		return err
	} else if n > 0 {
		s.log.Info("commands sent again after a restart", "count", n)
	}
	if err := s.ResumeActions(ctx); err != nil {
		return fmt.Errorf("resume resource actions: %w", err)
	}
	for p := 0; ; p++ {
		page, err := s.st.Deployments(ctx, store.DeploymentFilter{Statuses: []string{StatusCreateInProgress,
			StatusDeleteInProgress, StatusUpdateInProgress}}, store.Page{Number: p, Size: store.MaxPageSize})
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			defs, err := s.st.Definitions(ctx, d.UUID)
			if err != nil {
				return err
			}
			for _, def := range defs {
				if err := s.compile(def.XML); err != nil {
					return fmt.Errorf("deployment %s: %w", d.UUID, err)
				}
			}
			if err := s.rearmDeadline(ctx, d, defs); err != nil {
				return fmt.Errorf("deployment %s: %w", d.UUID, err)
			}
			if err := s.settleAfterRestart(ctx, d.UUID, defs); err != nil {
				return err
			}
		}
		if p+1 >= page.TotalPages() {
			break
		}
	}
	s.relay.Wake()
	s.wakeTimers()
	return nil
}

func (s *Service) settleAfterRestart(ctx context.Context, id string, defs []store.Definition) error {
	var changed []*store.Deployment
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		changed = changed[:0]
		for _, def := range defs {
			if def.Instance == "" {
				continue
			}
			d, err := s.settle(ctx, def)
			if err != nil {
				return err
			}
			if d != nil {
				changed = append(changed, d)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle deployment %s: %w", id, err)
	}
	s.after(changed...)
	return nil
}

// after runs once a transaction that changed deployments committed: the timer driver looks again (the
// relay was handed the transaction's commands as it committed), and each status change is posted to
// its callback.
func (s *Service) after(changed ...*store.Deployment) {
	s.committed()
	s.wakeTimers()
	for _, d := range changed {
		s.liveState().feeds.notify(d.UUID)
		s.notifyCallback(d)
	}
}

func (s *Service) wakeTimers() {
	select {
	case s.timerWake <- struct{}{}:
	default:
	}
}

// parsed parses the stored template of a deployment with its parameters. Parsed templates are not
// kept: a thousand deployments under way would hold a thousand graphs for the few moments (outputs,
// a resource type filter, a delete or update) that need one, and parsing is fast.
func (s *Service) parsed(ctx context.Context, d *store.Deployment) (*tosca.ServiceTemplate, error) {
	yaml, err := s.st.Template(ctx, d.UUID)
	if err != nil {
		return nil, err
	}
	st, problems := parseTemplate(ctx, yaml, d.Parameters)
	if len(problems) > 0 {
		return nil, fmt.Errorf("template of deployment %s: %w", d.UUID, &ValidationError{Problems: problems})
	}
	return st, nil
}
