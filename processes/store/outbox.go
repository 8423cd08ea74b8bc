package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// The statements of the outbox on the hot paths (prepared.go): a plan task's row marked sent in its
// step, the publish of a plan's command asking whether its instance still awaits it.
const (
	sqlMarkCommandSent = `UPDATE outbox SET sent = ? WHERE command_id = ? AND sent IS NULL`
	sqlInstanceStatus  = `SELECT status FROM instances WHERE id = ?`
	sqlOutboxCommand   = `SELECT command FROM outbox WHERE command_id = ?`
)

// OutboxRow is a command an engine step committed, waiting to be published on the bus.
type OutboxRow struct {
	// ID orders the rows (commit order) and names the row for MarkSent.
	ID int64
	// Topic is the command's task type (engine.Command.Type).
	Topic   string
	Command engine.Command
	Created time.Time
	// Live is set on a row the relay took from memory (handed over by the transaction that committed
	// it) while no transaction committed since stopped its instance: a publisher need not read again
	// whether the instance still awaits the command. Rows read from the table have it false.
	Live bool
}

// writeOutbox adds one row per command in the step's transaction, awaited by the command's instance.
func (s *Store) writeOutbox(ctx context.Context, tx *sql.Tx, cmds []engine.Command) error {
	return s.insertOutbox(ctx, tx, cmds, false)
}

// insertOutbox adds one row per command. The row's instance column names the instance whose plan awaits
// the reply, so that the row is settled once that instance ends; an own command (own) has none, the column
// is empty: nobody's plan awaits it, yet it must be delivered until its reply is applied (see settled).
func (s *Store) insertOutbox(ctx context.Context, tx *sql.Tx, cmds []engine.Command, own bool) error {
	now := nanos(s.clock.Now())
	for i := range cmds {
		c := &cmds[i]
		data, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode command %q: %w", c.ID, err)
		}
		awaitedBy := c.Instance
		if own {
			awaitedBy = ""
		}
		res, err := s.exec(ctx, tx, sqlInsertOutbox, c.ID, awaitedBy, c.Type, data, now)
		if err != nil {
			return fmt.Errorf("outbox command %q: %w", c.ID, err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("outbox command %q: %w", c.ID, err)
		}
		s.handOffRow(ctx, OutboxRow{ID: seq, Topic: c.Type, Command: *c, Created: fromNanos(now)}, awaitedBy)
	}
	return nil
}

// Enqueue adds commands of the orchestrator's own, outside any engine step, to the outbox in the
// caller's transaction (or one of its own), for the relay to publish once committed. No plan awaits
// them (the command's Instance, kept in the command, may have ended: a late create's dispose), so
// they are sent again after a restart (Requeue) and kept (PruneOutbox) until their reply is applied
// (ApplyOnce with the command's id), whatever becomes of that instance.
func (s *Store) Enqueue(ctx context.Context, cmds ...engine.Command) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error { return s.insertOutbox(ctx, tx, cmds, true) })
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// OutboxCommand returns the command of the outbox row commandID (kept until pruned), or ErrNotFound.
func (s *Store) OutboxCommand(ctx context.Context, commandID string) (engine.Command, error) {
	var data []byte
	err := s.read(ctx).QueryRowContext(ctx, sqlOutboxCommand, commandID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return engine.Command{}, fmt.Errorf("outbox command %q: %w", commandID, ErrNotFound)
	} else if err != nil {
		return engine.Command{}, fmt.Errorf("outbox command %q: %w", commandID, err)
	}
	var c engine.Command
	if err := json.Unmarshal(data, &c); err != nil {
		return engine.Command{}, fmt.Errorf("outbox command %q: %w", commandID, err)
	}
	return c, nil
}

// InstanceActive tells whether the instance exists and is still active (its commands still awaited).
func (s *Store) InstanceActive(ctx context.Context, id string) (bool, error) {
	var status string
	err := s.read(ctx).QueryRowContext(ctx, sqlInstanceStatus, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("instance %q: %w", id, err)
	}
	return status == string(engine.StatusActive), nil
}

// PendingOutbox returns up to limit rows not yet sent, oldest first (partial index outbox_pending).
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxRow, error) {
	return s.pendingOutbox(ctx, 0, limit)
}

// pendingOutbox returns up to limit rows not yet sent that come after row after, oldest first.
func (s *Store) pendingOutbox(ctx context.Context, after int64, limit int) ([]OutboxRow, error) {
	rows, err := s.read(ctx).QueryContext(ctx, sqlPendingOutbox, after, limit)
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxRow
	for rows.Next() {
		var r OutboxRow
		var data []byte
		var created int64
		if err := rows.Scan(&r.ID, &r.Topic, &data, &created); err != nil {
			return nil, fmt.Errorf("pending outbox: %w", err)
		}
		if err := json.Unmarshal(data, &r.Command); err != nil {
			return nil, fmt.Errorf("pending outbox row %d: %w", r.ID, err)
		}
		r.Created = fromNanos(created)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	return out, nil
}

// MarkSent records that the rows were published. Marking a row twice is harmless.
func (s *Store) MarkSent(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		now := nanos(s.clock.Now())
		for len(ids) > 0 {
			n := min(len(ids), 500)
			args := make([]any, 0, n+1)
			args = append(args, now)
			for _, id := range ids[:n] {
				args = append(args, id)
			}
			q := "UPDATE outbox SET sent = ? WHERE sent IS NULL AND seq IN (?" + strings.Repeat(",?", n-1) + ")"
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("mark outbox sent: %w", err)
			}
			ids = ids[n:]
		}
		return nil
	})
}

// MarkCommandSent records that the command's row was carried out without the relay (a task the
// orchestrator performed itself in the transaction that committed it), so that the relay skips it.
func (s *Store) MarkCommandSent(ctx context.Context, commandID string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, sqlMarkCommandSent, nanos(s.clock.Now()), commandID)
		if err != nil {
			return err
		}
		s.handOffSent(ctx, commandID) // nor may the relay publish it from memory
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark command %q sent: %w", commandID, err)
	}
	return nil
}

// settled selects the outbox rows nobody waits for any more: their reply was applied (the inbox
// holds it), or the instance that awaited it is no longer active (or gone). An own command's row
// (Enqueue: no awaiting instance, column instance empty) settles only with its reply.
const settled = `(command_id IN (SELECT command_id FROM inbox)
	OR (instance <> '' AND instance NOT IN (SELECT id FROM instances WHERE status = 'active')))`

// Requeue makes pending again the rows sent before t whose reply never came while somebody still
// waits for it (their instance is still active, or they are own commands, see Enqueue), and returns
// how many. A bus that keeps messages only in memory (the in-process
// channel) loses what it held when the process dies: called at start, Requeue has the relay send
// those commands again (connectors deduplicate by command id; a reply to a job the engine no longer
// awaits is refused with engine.ErrNotFound). A durable bus does not need it.
func (s *Store) Requeue(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE outbox SET sent = NULL WHERE sent IS NOT NULL AND sent < ? AND NOT "+settled,
			nanos(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("requeue outbox: %w", err)
	}
	return n, nil
}

// PruneOutbox deletes the rows sent before t that are settled (answered, or of an instance no
// longer active), and returns how many. Unanswered rows of active instances and unanswered own
// commands stay for Requeue.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE sent IS NOT NULL AND sent < ? AND "+settled, nanos(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune outbox: %w", err)
	}
	return n, nil
}
