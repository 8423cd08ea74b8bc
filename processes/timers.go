package processes

import (
	"context"

	"github.com/toscaflow/toscaflow/bpmn/engine"
	"github.com/toscaflow/toscaflow/processes/store"
)

// runTimers fires the plans' timers on the service's clock (status checks every check period, unit
// timeouts, retry backoffs) until ctx ends. It sleeps until the next timer is due, or until a step of
// this service wakes it (a step may have set an earlier timer), or TimerPoll passes (another process
// sharing the store may have set one).
func (s *Service) runTimers(ctx context.Context) {
	for {
		next, ok, err := s.eng.NextTimer(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("next timer", "err", err)
		}
		if dl, has := s.deadlines.next(); has && (!ok || dl.Before(next)) {
			next, ok = dl, true
		}
		wait := s.cfg.TimerPoll
		if ok {
			if d := next.Sub(s.clock.Now()); d <= 0 {
				now := s.clock.Now()
				s.expire(ctx, now)
				if s.fireTimers(ctx) {
					continue
				}
				if dl, has := s.deadlines.next(); has && !dl.After(now) {
					continue // a deadline to try again
				}
				// Due timers that did not fire (their plan is not compiled here): do not spin on them.
			} else if d < wait {
				wait = d
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.timerWake:
		case <-s.clock.After(wait):
		}
	}
}

// fireTimers fires the timers due now in one transaction with the end of the plans they finish, and
// tells whether any fired.
func (s *Service) fireTimers(ctx context.Context) bool {
	fired := 0
	now := s.clock.Now()
	var changed []*store.Deployment
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		changed = changed[:0]
		ctx = settlesAfter(ctx) // the loop below settles every instance a due timer belongs to
		due, err := s.st.DueTimers(ctx, now, 256)
		if err != nil {
			return err
		}
		if fired, err = s.eng.FireTimers(ctx, now); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, t := range due {
			if t.Instance == "" || seen[t.Instance] {
				continue
			}
			seen[t.Instance] = true
			def, err := s.st.DefinitionOfInstance(ctx, t.Instance)
			if err != nil {
				continue // not a plan of a deployment (or the deployment is gone)
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
		if ctx.Err() == nil {
			s.log.Warn("fire timers", "err", err)
		}
		return false
	}
	// Not s.after: the timer loop looks at the next timer anyway, and waking it here would spin. (Nor a
	// relay wake: the commit handed the commands over.)
	s.committed()
	for _, d := range changed {
		s.liveState().feeds.notify(d.UUID)
		s.notifyCallback(d)
	}
	return fired > 0
}

var _ engine.Clock = Clock(nil)

// runPruning keeps the outbox and the inbox small: every PruneEvery it deletes the settled rows older
// than Retention.
func (s *Service) runPruning(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.clock.After(s.cfg.PruneEvery):
		}
		before := s.clock.Now().Add(-s.cfg.Retention)
		if _, err := s.st.PruneOutbox(ctx, before); err != nil && ctx.Err() == nil {
			s.log.Warn("prune outbox", "err", err)
		}
		if _, err := s.st.PruneInbox(ctx, before); err != nil && ctx.Err() == nil {
			s.log.Warn("prune inbox", "err", err)
		}
	}
}
