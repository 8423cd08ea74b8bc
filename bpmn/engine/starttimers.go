package engine

import (
	"context"
	"errors"
	"fmt"
)

// Timer start events (BPMN 2.0.2, 10.5.2): ScheduleStartTimers arms the timer start events of a
// deployed process in the store; each occurrence that FireTimers finds due starts one instance at
// that start event, in the same step that reschedules (cycle) or removes the timer. The timers have
// stable ids, so scheduling again (after a restart or a redeploy) replaces the schedule: a
// timeDuration counts from the new scheduling. Expressions in start timers see no variables. Cron
// cycles (as Camunda 7 allows) are rejected.

// ScheduleStartTimers schedules the timer start events of a deployed process and returns how many.
func (e *Engine) ScheduleStartTimers(ctx context.Context, processID string) (int, error) {
	p, err := e.program(processID)
	if err != nil {
		return 0, fmt.Errorf("schedule start timers: %w", err)
	}
	now := e.clock.Now()
	m := &Mutation{}
	var errs []error
	for _, st := range p.root.starts {
		if st.ev.trig != trTimer {
			continue
		}
		due, remaining, cycle, err := timerDue(&e.exprs, now, st.ev, func() map[string]any { return nil })
		if err != nil {
			errs = append(errs, nodeErr(st, "timer start: %v", err))
			continue
		}
		m.TimersSet = append(m.TimersSet, &Timer{ID: "start/" + p.id + "/" + st.id, Process: p.id, Element: st.id,
			Due: due, Remaining: remaining, Every: cycle})
	}
	if err := errors.Join(errs...); err != nil {
		return 0, fmt.Errorf("schedule start timers of %q: %w", processID, err)
	}
	if len(m.TimersSet) == 0 {
		return 0, nil
	}
	if err := e.store.Commit(ctx, m); err != nil {
		return 0, fmt.Errorf("schedule start timers of %q: %w", processID, err)
	}
	return len(m.TimersSet), nil
}

// fireStartTimer starts an instance for a due start timer and reschedules or removes the timer.
func (e *Engine) fireStartTimer(ctx context.Context, t *Timer) error {
	p, err := e.program(t.Process)
	if err != nil {
		return fmt.Errorf("fire start timer %s: %w", t.ID, err)
	}
	start := p.nodes[t.Element]
	next := *t
	err = e.step(ctx, func(tx *tx) error {
		if nextCycle(&next) {
			tx.m.TimersSet = append(tx.m.TimersSet, &next)
		} else {
			tx.m.TimersDeleted = append(tx.m.TimersDeleted, t)
		}
		in := e.newInstance(e.newID(), p, map[string]any{}, tx.now)
		tx.create(in, p).begin(start)
		return nil
	})
	if err != nil {
		return fmt.Errorf("fire start timer %s: %w", t.ID, err)
	}
	return nil
}
