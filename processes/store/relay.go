package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// PublishFunc publishes one outbox row on the bus; it returns nil only once the bus has the message.
type PublishFunc func(ctx context.Context, row OutboxRow) error

// RelayConfig configures a Relay.
type RelayConfig struct {
	// Publish is required.
	Publish PublishFunc
	// Poll is how long the relay sleeps when the outbox is empty or a publish failed (default 1s);
	// Wake cuts the sleep short.
	Poll time.Duration
	// Batch bounds the rows read per pass (default 100).
	Batch int
	// After makes the poll timer (default time.After); tests inject one they fire by hand.
	After func(time.Duration) <-chan time.Time
	// OnError, when set, is told of every failed pass of Run (for logging); Run goes on regardless.
	OnError func(error)
}

// Validate reports every problem of the configuration.
func (c RelayConfig) Validate() error {
	var errs []error
	if c.Publish == nil {
		errs = append(errs, errors.New("relay: Publish is required"))
	}
	if c.Poll < 0 {
		errs = append(errs, errors.New("relay: Poll must not be negative"))
	}
	if c.Batch < 0 {
		errs = append(errs, errors.New("relay: Batch must not be negative"))
	}
	return errors.Join(errs...)
}

// Relay moves outbox rows to the bus, at least once: a row is marked sent only after its publish
// succeeded, so a crash in between publishes it again (connectors deduplicate by command id).
// Rows go out in commit order; a failed publish stops the pass, and the relay tries again from that
// row after Poll.
type Relay struct {
	store  *Store
	cfg    RelayConfig
	wake   chan struct{}
	handed *handed

	// The rows Run published wait here to be marked sent: Run marks them on a goroutine of its own, so
	// that the next rows go out without waiting for a write transaction behind the engine's steps.
	mu       sync.Mutex
	unmarked []int64
	toMark   chan struct{}
}

// NewRelay makes a relay over s.
func NewRelay(s *Store, cfg RelayConfig) (*Relay, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	if cfg.Batch == 0 {
		cfg.Batch = 100
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	return &Relay{store: s, cfg: cfg, wake: make(chan struct{}, 1), handed: newHanded(), toMark: make(chan struct{}, 1)}, nil
}

// Wake makes a waiting Run look at the outbox at once (call it after a commit that added rows,
// e.g. from the engine's Dispatcher). It never blocks.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx ends, then returns ctx's error. It publishes the rows committed after those it
// has published (commit order is row order: the store has one writer at a time), and marks them sent
// in the background; what is published but not yet marked when the process dies is published again
// by the next Run.
func (r *Relay) Run(ctx context.Context) error {
	var marker sync.WaitGroup
	marker.Go(func() { r.markLoop(ctx) })
	defer marker.Wait()
	var after int64 // the last row this Run published
	for {
		n, err := r.pass(ctx, &after)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && r.cfg.OnError != nil {
			r.cfg.OnError(err)
		}
		if err == nil && n > 0 {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.wake:
		case <-r.cfg.After(r.cfg.Poll):
		}
	}
}

// pass publishes up to Batch pending rows after *after, in order, and hands them to the marker.
func (r *Relay) pass(ctx context.Context, after *int64) (int, error) {
	rows, err := r.store.pendingOutbox(ctx, *after, r.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("relay: %w", err)
	}
	n := 0
	var perr error
	for _, row := range rows {
		if perr = r.cfg.Publish(ctx, row); perr != nil {
			perr = fmt.Errorf("relay: publish command %q: %w", row.Command.ID, perr)
			break
		}
		*after = row.ID
		r.mu.Lock()
		r.unmarked = append(r.unmarked, row.ID)
		r.mu.Unlock()
		n++
	}
	if n > 0 {
		select {
		case r.toMark <- struct{}{}:
		default:
		}
	}
	return n, perr
}

// markLoop marks the published rows sent until ctx ends, then marks what is left once more (a
// shutdown: fewer rows published twice by the next Run).
func (r *Relay) markLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			_ = r.markPublished(context.WithoutCancel(ctx))
			return
		case <-r.toMark:
		}
		if err := r.markPublished(ctx); err != nil && ctx.Err() == nil {
			if r.cfg.OnError != nil {
				r.cfg.OnError(err)
			}
			select {
			case <-ctx.Done():
			case <-r.cfg.After(r.cfg.Poll):
			}
			select { // try again
			case r.toMark <- struct{}{}:
			default:
			}
		}
	}
}

// markPublished marks the rows published so far; on failure they stay queued.
func (r *Relay) markPublished(ctx context.Context) error {
	r.mu.Lock()
	ids := r.unmarked
	r.unmarked = nil
	r.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	if err := r.store.MarkSent(ctx, ids...); err != nil {
		r.mu.Lock()
		r.unmarked = append(ids, r.unmarked...)
		r.mu.Unlock()
		return fmt.Errorf("relay: %w", err)
	}
	return nil
}

// Flush makes one pass from the oldest pending row: it publishes up to Batch pending rows in order,
// marks the published ones sent, and returns how many it published. It stops at the first publish
// that fails and returns that error. (Run does the same, marking in the background.)
func (r *Relay) Flush(ctx context.Context) (int, error) {
	rows, err := r.store.PendingOutbox(ctx, r.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("relay: %w", err)
	}
	sent := make([]int64, 0, len(rows))
	var perr error
	for _, row := range rows {
		if perr = r.cfg.Publish(ctx, row); perr != nil {
			perr = fmt.Errorf("relay: publish command %q: %w", row.Command.ID, perr)
			break
		}
		sent = append(sent, row.ID)
	}
	// What was published is marked even when ctx ended meanwhile (a shutdown): fewer duplicates.
	if err := r.store.MarkSent(context.WithoutCancel(ctx), sent...); err != nil {
		return 0, errors.Join(perr, fmt.Errorf("relay: %w", err))
	}
	return len(sent), perr
}
