package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// The hand-off: a write transaction collects the outbox rows it inserts and the instances it stops;
// once it has committed, the store hands them to the running Relay in memory, so that the relay
// publishes them without reading them back from the table. Writers are serialized (writeTurn) and the
// hand-off runs before the next writer's turn, so batches reach the relay in commit order. A savepoint
// rolled back takes back what it had collected, and a transaction rolled back hands nothing over.
// The table stays the truth: the relay reads it at start, after a gap in the sequence of the rows it
// was handed (another process wrote, or batches were dropped), and on its poll.

// handoff is what a write transaction collects for the relay (ambient.handoff).
type handoff struct {
	// rows are the outbox rows the transaction inserted, in seq order.
	rows []handedRow
	// sent are the command ids of those rows the transaction marked sent itself (MarkCommandSent).
	sent []string
	// stopped are the instances the transaction ended or purged.
	stopped []string
}

// handedRow is an outbox row handed over, with the instance that awaits its reply (the row's instance
// column; empty for a command of the orchestrator's own, which no plan awaits).
type handedRow struct {
	OutboxRow
	awaitedBy string
}

// handoffMark is where a savepoint found its transaction's hand-off.
type handoffMark struct{ rows, sent, stopped int }

// mark returns where the hand-off stands, for undo.
func (h *handoff) mark() handoffMark {
	return handoffMark{len(h.rows), len(h.sent), len(h.stopped)}
}

// undo forgets what was collected since m (a savepoint rolled back).
func (h *handoff) undo(m handoffMark) {
	h.rows, h.sent, h.stopped = h.rows[:m.rows], h.sent[:m.sent], h.stopped[:m.stopped]
}

// batch is what one committed transaction hands to the relay.
type batch struct {
	// from and through are the first and last seq the transaction inserted; both are 0 when it
	// inserted no row. Seqs are consecutive within a transaction and across the transactions of one
	// writer (AUTOINCREMENT, and a rollback takes its seqs back), so a batch whose from is not the
	// next seq the relay expects shows that it missed a commit.
	from, through int64
	// rows are the inserted rows still pending (those the transaction marked sent are left out).
	rows []handedRow
	// stopped are the instances the transaction stopped: rows of theirs committed before are not
	// published from memory any more.
	stopped []string
}

// outlet passes the batches of committed transactions to the relay that runs, if any (Store.outlet).
// Its zero value has no relay attached.
type outlet struct {
	mu    sync.Mutex
	relay *Relay
}

// attach makes r the relay batches go to; it fails when another relay runs on the store (that one
// then goes on alone; r works from the table only).
func (o *outlet) attach(r *Relay) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.relay != nil {
		return false
	}
	o.relay = r
	return true
}

// detach stops handing batches to r.
func (o *outlet) detach(r *Relay) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.relay == r {
		o.relay = nil
	}
}

// handOff passes what a transaction collected to the relay, once the transaction committed and while
// it still holds the writer's turn. It never blocks.
func (o *outlet) handOff(h *handoff) {
	if len(h.rows) == 0 && len(h.stopped) == 0 {
		return
	}
	o.mu.Lock()
	r := o.relay
	o.mu.Unlock()
	if r == nil {
		return // no relay runs: it reads the table when it starts
	}
	b := batch{rows: h.rows, stopped: h.stopped}
	if len(h.rows) > 0 {
		b.from, b.through = h.rows[0].ID, h.rows[len(h.rows)-1].ID
	}
	if len(h.sent) > 0 {
		b.rows = slices.DeleteFunc(slices.Clone(b.rows), func(row handedRow) bool {
			return slices.Contains(h.sent, row.Command.ID)
		})
	}
	r.take(b)
}

// maxHanded bounds the batches a relay holds in memory (a bus down for long): past it, the relay drops
// them all and reads the table again.
const maxHanded = 1024

// handed is the relay's queue of batches, in commit order.
type handed struct {
	mu      sync.Mutex
	batches []batch
	// lost is set when batches were dropped: the relay must read the table.
	lost bool
	// gen counts the times the queue was emptied other than by pop, so that a pop does not take a
	// batch that came after (see pop).
	gen uint64
	// ready signals that batches arrived.
	ready chan struct{}
}

func newHanded() *handed { return &handed{ready: make(chan struct{}, 1)} }

// take queues a batch and signals the relay.
func (r *Relay) take(b batch) {
	q := r.handed
	q.mu.Lock()
	if len(q.batches) >= maxHanded {
		q.batches, q.lost = nil, true
		q.gen++
	} else {
		q.batches = append(q.batches, b)
	}
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// peek returns the oldest batch and those after it, or ok false when none waits, with the queue's
// generation for pop; lost reports that batches were dropped (and clears it).
func (q *handed) peek() (first batch, later []batch, gen uint64, ok, lost bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.lost {
		q.lost = false
		return batch{}, nil, q.gen, false, true
	}
	if len(q.batches) == 0 {
		return batch{}, nil, q.gen, false, false
	}
	return q.batches[0], q.batches[1:], q.gen, true, false
}

// pop drops the oldest batch, the one peek returned with gen: unless the queue was emptied since
// (batches dropped while the relay published the one it peeked), when the oldest is a later one.
func (q *handed) pop(gen uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.gen == gen && len(q.batches) > 0 {
		q.batches[0] = batch{}
		q.batches = q.batches[1:]
	}
}

// clear drops every batch (the relay reads the table instead).
func (q *handed) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.batches, q.lost = nil, false
	q.gen++
}

// stoppedSince tells whether a batch from b on stopped the instance (none: "", never stopped).
func stoppedSince(instance string, b batch, later []batch) bool {
	if instance == "" {
		return false
	}
	if slices.Contains(b.stopped, instance) {
		return true
	}
	for _, l := range later {
		if slices.Contains(l.stopped, instance) {
			return true
		}
	}
	return false
}

// sqlLastOutboxSeq reads the last seq the outbox issued (AUTOINCREMENT keeps it in sqlite_sequence).
const sqlLastOutboxSeq = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)"

// pendingAfter returns up to limit pending rows after row after, oldest first, and the last seq the
// outbox had issued before they were read: every row up to last that is not among them was not
// pending (or came before after).
func (s *Store) pendingAfter(ctx context.Context, after int64, limit int) ([]OutboxRow, int64, error) {
	// Read first, in a snapshot of its own: the rows read next may include later ones, never fewer.
	var last int64
	err := s.read(ctx).QueryRowContext(ctx, sqlLastOutboxSeq).Scan(&last)
	if err != nil {
		return nil, 0, fmt.Errorf("last outbox seq: %w", err)
	}
	rows, err := s.pendingOutbox(ctx, after, limit)
	if err != nil {
		return nil, 0, err
	}
	return rows, last, nil
}
