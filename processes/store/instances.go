package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/toscaflow/toscaflow/bpmn/engine"
)

// Load returns the committed state of an instance (seen from the caller's transaction, if any). The
// row's nonce is read every time, but once per transaction (ambient.loaded); the state is read and
// decoded only when this store did not decode or commit that very row before (instanceCache).
func (s *Store) Load(ctx context.Context, id string) (*engine.Instance, error) {
	a := s.ambientOf(ctx)
	if a != nil {
		if in := a.known(id); in != nil {
			return in, nil
		}
	}
	in, err := s.load(ctx, id)
	if err == nil && a != nil {
		a.keep(id, in)
	}
	return in, err
}

// load reads the instance's nonce and, unless the cache has the instance of that row, its state.
func (s *Store) load(ctx context.Context, id string) (*engine.Instance, error) {
	var nonce int64
	err := s.read(ctx).QueryRowContext(ctx, sqlInstanceNonce, id).Scan(&nonce)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("instance %q: %w", id, engine.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load instance %q: %w", id, err)
	}
	if in := s.instances.get(id, nonce); in != nil {
		return in, nil
	}
	var in *engine.Instance
	size := 0
	err = s.snapshot(ctx, func(q querier) error {
		var head []byte
		err := q.QueryRowContext(ctx, "SELECT nonce, state FROM instances WHERE id = ?", id).Scan(&nonce, &head)
		if errors.Is(err, sql.ErrNoRows) {
			return engine.ErrNotFound
		} else if err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, "SELECT state FROM instance_scopes WHERE instance = ? ORDER BY id", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		var scopes [][]byte
		size = len(head)
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				return err
			}
			scopes = append(scopes, b)
			size += len(b)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		in, err = engine.DecodeInstance(head, scopes)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load instance %q: %w", id, err)
	}
	s.instances.put(id, nonce, size, in)
	return in, nil
}

// snapshot runs fn's reads on one snapshot of the database: the caller's transaction, else a read
// transaction of its own (the head and the scopes of an instance must come from the same commit).
func (s *Store) snapshot(ctx context.Context, fn func(q querier) error) error {
	if a := s.ambientOf(ctx); a != nil {
		return fn(s.in(a.tx))
	}
	tx, err := s.reader.BeginTx(context.WithoutCancel(ctx), &sql.TxOptions{ReadOnly: true}) // see querier
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read only: nothing to keep or lose
	return fn(querier{tx: tx, stmts: s.readPrepared})
}

// Commit applies one engine step in one transaction (or one savepoint of the caller's, see InTx):
// the instance states at their new versions, the buffered messages consumed and created, the
// subscription and timer index changes, the journal events and one outbox row per command.
func (s *Store) Commit(ctx context.Context, m *engine.Mutation) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.writeInstances(ctx, tx, m); err != nil {
			return err
		}
		if err := s.writeMessagesAndSubs(ctx, tx, m); err != nil {
			return err
		}
		if err := s.writeTimers(ctx, tx, m); err != nil {
			return err
		}
		if err := s.writeJournal(ctx, tx, m.Events); err != nil {
			return err
		}
		return s.writeOutbox(ctx, tx, m.Commands)
	})
}

// writeInstances writes each instance at its new version, refusing a version that moved: its row
// with a new nonce, and of its scopes the ones the step changed or the row lacks; the scopes the
// instance no longer has are deleted.
func (s *Store) writeInstances(ctx context.Context, tx *sql.Tx, m *engine.Mutation) error {
	for _, w := range m.Instances {
		in := w.Instance
		enc, err := engine.EncodeInstance(in)
		if err != nil {
			return err
		}
		nonce := newNonce()
		var res sql.Result
		if w.Expected == 0 {
			res, err = s.exec(ctx, tx, sqlInsertInstance, in.ID, in.ProcessID, string(in.Status), in.Version, enc.Head, nonce)
		} else {
			res, err = s.exec(ctx, tx, sqlUpdateInstance, string(in.Status), in.Version, enc.Head, nonce, in.ID, w.Expected)
		}
		if err != nil {
			return fmt.Errorf("write instance %q: %w", in.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if w.Expected == 0 {
				return fmt.Errorf("create instance %q: exists: %w", in.ID, engine.ErrConflict)
			}
			return fmt.Errorf("write instance %q at version %d: %w", in.ID, w.Expected, engine.ErrConflict)
		}
		if in.Status != engine.StatusActive {
			s.handOffStopped(ctx, in.ID) // the relay drops the commands of the instance it still holds
		}
		size, err := s.writeScopes(ctx, tx, in.ID, enc.Scopes)
		if err != nil {
			return fmt.Errorf("write instance %q: %w", in.ID, err)
		}
		// Kept even though the transaction may still roll back: the row then keeps its old nonce.
		s.instances.put(in.ID, nonce, len(enc.Head)+size, in)
		if a := s.ambientOf(ctx); a != nil {
			a.keep(in.ID, in)
			a.written = append(a.written, in.ID)
		}
	}
	return nil
}

// writeScopes makes the instance's scope rows those of scopes: it writes the fresh ones and those
// missing, deletes those gone, and returns the bytes of them all. A scope that is not fresh holds the
// JSON it was read or committed with, and the version check of its instance's row makes that the
// row's (versions only grow while an instance exists; only a purge and a new instance under the same
// id brought to the same version by another process while this step ran could fool it): it is not
// written again.
func (s *Store) writeScopes(ctx context.Context, tx *sql.Tx, instance string, scopes []engine.EncodedScope) (int, error) {
	stored := map[int64]bool{}
	rows, err := s.query(ctx, tx, sqlScopeIDs, instance)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		stored[id] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, err
	}
	size := 0
	for _, sc := range scopes {
		size += len(sc.JSON)
		if sc.Fresh || !stored[sc.ID] {
			if _, err := s.exec(ctx, tx, sqlSetScope, instance, sc.ID, sc.JSON); err != nil {
				return 0, fmt.Errorf("scope %d: %w", sc.ID, err)
			}
		}
		delete(stored, sc.ID)
	}
	for id := range stored {
		if _, err := s.exec(ctx, tx, sqlDeleteScope, instance, id); err != nil {
			return 0, fmt.Errorf("delete scope %d: %w", id, err)
		}
	}
	return size, nil
}

// newNonce is a row's nonce: random, never the 0 the rows written before nonces existed hold.
func newNonce() int64 {
	for {
		if n := rand.Int64(); n != 0 {
			return n
		}
	}
}

// expiredSweep bounds the expired buffered messages one commit deletes.
const expiredSweep = 64

// writeMessagesAndSubs consumes and buffers messages and changes subscriptions, refusing a commit
// that would leave a live message beside a matching message subscription (engine.Store.Commit):
// the checks run after the deletions of the mutation and before its insertions, so they see what
// was there before the step minus what the step removed.
func (s *Store) writeMessagesAndSubs(ctx context.Context, tx *sql.Tx, m *engine.Mutation) error {
	for _, c := range m.MessagesConsumed {
		res, err := tx.ExecContext(ctx, "DELETE FROM messages WHERE id = ?", c.ID)
		if err != nil {
			return fmt.Errorf("consume message %q: %w", c.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("consume message %q: %w", c.ID, engine.ErrConflict)
		}
	}
	for _, sub := range m.SubsDeleted {
		if _, err := s.exec(ctx, tx, sqlDeleteSub, sub.ID); err != nil {
			return fmt.Errorf("delete subscription %q: %w", sub.ID, err)
		}
	}
	now := nanos(m.Now)
	if len(m.MessagesBuffered) > 0 || len(m.SubsSet) > 0 {
		// Expired messages are dead weight: drop a few with each commit that touches messages.
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE seq IN
			(SELECT seq FROM messages WHERE expires <= ? ORDER BY expires LIMIT ?)`, now, expiredSweep); err != nil {
			return fmt.Errorf("sweep expired messages: %w", err)
		}
	}
	for _, sub := range m.SubsSet {
		if sub.Kind != engine.SubMessage {
			continue
		}
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM messages WHERE name = ? AND key = ? AND expires > ? LIMIT 1`,
			sub.Name, sub.Key, now).Scan(&id)
		if err == nil {
			return fmt.Errorf("subscribe to %q: message %q is buffered: %w", sub.Name, id, engine.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("subscribe to %q: %w", sub.Name, err)
		}
	}
	for _, b := range m.MessagesBuffered {
		var id string
		err := tx.QueryRowContext(ctx, `SELECT id FROM subscriptions WHERE kind = ? AND name = ? AND key = ? LIMIT 1`,
			int(engine.SubMessage), b.Name, b.Key).Scan(&id)
		if err == nil {
			return fmt.Errorf("buffer message %q: subscription %q waits for it: %w", b.Name, id, engine.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("buffer message %q: %w", b.Name, err)
		}
	}
	for _, sub := range m.SubsSet {
		data, err := json.Marshal(sub)
		if err != nil {
			return fmt.Errorf("encode subscription %q: %w", sub.ID, err)
		}
		// REPLACE gives a re-set subscription a new seq, as if created now.
		if _, err := s.exec(ctx, tx, sqlSetSub, sub.ID, sub.Instance, int(sub.Kind), sub.Name, sub.Key, data); err != nil {
			return fmt.Errorf("set subscription %q: %w", sub.ID, err)
		}
	}
	for _, b := range m.MessagesBuffered {
		data, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("encode message %q: %w", b.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, name, key, expires, message) VALUES (?, ?, ?, ?, ?)`,
			b.ID, b.Name, b.Key, nanos(b.Expires), data); err != nil {
			return fmt.Errorf("buffer message %q: %w", b.ID, err)
		}
	}
	return nil
}

func (s *Store) writeTimers(ctx context.Context, tx *sql.Tx, m *engine.Mutation) error {
	for _, t := range m.TimersSet {
		data, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("encode timer %q: %w", t.ID, err)
		}
		if _, err := s.exec(ctx, tx, sqlSetTimer, t.ID, t.Instance, nanos(t.Due), data); err != nil {
			return fmt.Errorf("set timer %q: %w", t.ID, err)
		}
	}
	for _, t := range m.TimersDeleted {
		if _, err := s.exec(ctx, tx, sqlDeleteTimer, t.ID); err != nil {
			return fmt.Errorf("delete timer %q: %w", t.ID, err)
		}
	}
	return nil
}

// PurgeInstance deletes an instance with its journal, timers and subscriptions (housekeeping once
// the deployment it ran for is gone). Purging an active instance leaves its commands in flight
// unanswerable: the engine will answer their replies with engine.ErrNotFound.
func (s *Store) PurgeInstance(ctx context.Context, id string) error {
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range []string{"DELETE FROM instances WHERE id = ?", "DELETE FROM instance_scopes WHERE instance = ?",
			"DELETE FROM journal WHERE instance = ?",
			"DELETE FROM timers WHERE instance = ?", "DELETE FROM subscriptions WHERE instance = ?"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		if a := s.ambientOf(ctx); a != nil {
			a.keep(id, nil)
		}
		s.handOffStopped(ctx, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("purge instance %q: %w", id, err)
	}
	s.instances.drop(id)
	return nil
}
