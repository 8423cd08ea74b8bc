package engine

import (
	"context"
	"fmt"
	"time"
)

// farFuture bounds the search for the next timer.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// NextTimer returns when the earliest timer is due, so a driver can sleep until then and call
// FireTimers; false when no timer is scheduled.
func (e *Engine) NextTimer(ctx context.Context) (time.Time, bool, error) {
	due, err := e.store.DueTimers(ctx, farFuture, 1)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next timer: %w", err)
	}
	if len(due) == 0 {
		return time.Time{}, false, nil
	}
	return due[0].Due, true, nil
}

// Journal returns the journal events of an instance in commit order.
func (e *Engine) Journal(ctx context.Context, instance string) ([]Event, error) {
	evs, err := e.store.Journal(ctx, instance)
	if err != nil {
		return nil, fmt.Errorf("journal of %q: %w", instance, err)
	}
	return evs, nil
}

// InstanceStatistics returns the per-element counts of an instance, derived from its journal.
func (e *Engine) InstanceStatistics(ctx context.Context, instance string) (map[string]ElementStats, error) {
	evs, err := e.Journal(ctx, instance)
	if err != nil {
		return nil, err
	}
	return Statistics(evs), nil
}
