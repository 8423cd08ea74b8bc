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
	// Poll is how often Run reads the table (default 1s): for rows it could not have been handed
	// (another process's), and to try again after a failed publish. Wake cuts the wait short.
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
//
// While Run runs, the store hands it the rows each write transaction inserted as soon as that
// transaction commits (handoff.go): Run publishes them from memory, without reading them back. It
// reads the table at start, when it finds a gap in the rows it was handed (a commit it missed), after
// a failed publish, on Wake and every Poll.
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

// Wake makes a waiting Run read the outbox table at once. Commits of this process need no Wake: their
// rows are handed to Run as they commit; Wake is for rows it could not have been handed (made pending
// again by Requeue, say). It never blocks.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx ends, then returns ctx's error. It publishes the rows committed after those it
// has published (commit order is row order: the store has one writer at a time), and marks them sent
// in the background; what is published but not yet marked when the process dies is published again
// by the next Run. One Run at a time is handed the commits of its store; another runs from the table.
func (r *Relay) Run(ctx context.Context) error {
	if r.store.outlet.attach(r) {
		defer r.store.outlet.detach(r)
	}
	defer r.handed.clear()
	var marker sync.WaitGroup
	marker.Go(func() { r.markLoop(ctx) })
	defer marker.Wait()
	var seen int64    // the rows up to seen are published, or were not pending when this Run read them
	read := true      // read the table (at start, after a gap, a failure, on Wake and on the poll)
	retrying := false // a publish failed: wait for the poll (or Wake) before trying again
	tick := r.cfg.After(r.cfg.Poll)
	for {
		// Memory first: a Wake or the poll need not hold back the rows just handed over; a gap shows
		// there.
		n, gap, err := r.drain(ctx, &seen)
		read = read || gap
		if err == nil && read {
			var m int
			var more bool
			m, more, err = r.pass(ctx, &seen)
			n, read = n+m, more
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n > 0 {
			select {
			case r.toMark <- struct{}{}:
			default:
			}
		}
		if err != nil {
			if r.cfg.OnError != nil {
				r.cfg.OnError(err)
			}
			read, retrying = true, true
		} else if read {
			continue // the batch read was full: more may wait
		}
		ready := r.handed.ready
		if retrying {
			ready = nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.wake:
			read, retrying = true, false
		case <-tick:
			read, retrying = true, false
			tick = r.cfg.After(r.cfg.Poll)
		case <-ready:
		}
	}
}

// pass publishes, in order, up to Batch pending rows of the table after *seen. more reports that the
// batch was full (more rows may wait). When it was not, *seen moves up to the last row the outbox held
// when read: a row after *seen that was not pending then was marked sent by its own transaction.
func (r *Relay) pass(ctx context.Context, seen *int64) (n int, more bool, err error) {
	rows, last, err := r.store.pendingAfter(ctx, *seen, r.cfg.Batch)
	if err != nil {
		return 0, false, fmt.Errorf("relay: %w", err)
	}
	for _, row := range rows {
		if err := r.publish(ctx, row, seen); err != nil {
			return n, false, err
		}
		n++
	}
	if len(rows) == r.cfg.Batch {
		return n, true, nil
	}
	*seen = max(*seen, last)
	return n, false, nil
}

// drain publishes the rows handed over in memory, batch after batch, in order. It reports a gap when
// the next batch does not follow *seen (a commit this Run was not handed): the table must be read.
// A row whose instance a batch from its own on stopped is not published (as a publish that had
// nothing to send); the others go out Live.
func (r *Relay) drain(ctx context.Context, seen *int64) (n int, gap bool, err error) {
	for {
		b, later, gen, ok, lost := r.handed.peek()
		switch {
		case lost:
			return n, true, nil
		case !ok:
			return n, false, nil
		case b.from == 0 || b.through <= *seen:
			// Only stops, or rows a read of the table already took.
		case b.from > *seen+1:
			r.handed.clear()
			return n, true, nil
		default:
			for _, row := range b.rows {
				if row.ID <= *seen {
					continue
				}
				if stoppedSince(row.awaitedBy, b, later) {
					r.published(row.ID, seen)
					continue
				}
				out := row.OutboxRow
				out.Live = true
				if err := r.publish(ctx, out, seen); err != nil {
					return n, false, err
				}
				n++
			}
			*seen = b.through
		}
		r.handed.pop(gen)
	}
}

// publish publishes one row and queues it to be marked sent.
func (r *Relay) publish(ctx context.Context, row OutboxRow, seen *int64) error {
	if err := r.cfg.Publish(ctx, row); err != nil {
		return fmt.Errorf("relay: publish command %q: %w", row.Command.ID, err)
	}
	r.published(row.ID, seen)
	return nil
}

// published records that row id needs no publishing any more: it moves *seen and waits to be marked sent.
func (r *Relay) published(id int64, seen *int64) {
	*seen = id
	r.mu.Lock()
	r.unmarked = append(r.unmarked, id)
	r.mu.Unlock()
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
