package store

import "context"

// The calls by which a write transaction collects its hand-off (handoff.go) as it writes.

// handOffRow collects a row the caller's transaction inserted (insertOutbox), awaited by the instance
// awaitedBy (none: "").
func (s *Store) handOffRow(ctx context.Context, row OutboxRow, awaitedBy string) {
	if a := s.ambientOf(ctx); a != nil {
		a.handoff.rows = append(a.handoff.rows, handedRow{row, awaitedBy})
	}
}

// handOffSent records that the caller's transaction marked the command's row sent (MarkCommandSent).
func (s *Store) handOffSent(ctx context.Context, commandID string) {
	if a := s.ambientOf(ctx); a != nil {
		a.handoff.sent = append(a.handoff.sent, commandID)
	}
}

// handOffStopped records that the caller's transaction ended or purged the instance.
func (s *Store) handOffStopped(ctx context.Context, instance string) {
	if a := s.ambientOf(ctx); a != nil {
		a.handoff.stopped = append(a.handoff.stopped, instance)
	}
}
