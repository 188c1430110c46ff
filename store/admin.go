package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OldestPending returns when the oldest record still waiting for HQ's
// acknowledgement was written (booth time), zero when none waits — for the
// administration screen's "oldest pending record". Errors: only read failures.
func (s *Store) OldestPending(ctx context.Context) (time.Time, error) {
	sent, err := s.SentMark(ctx)
	if err != nil {
		return time.Time{}, err
	}
	var at int64
	err = s.r.QueryRowContext(ctx, "SELECT created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1", sent).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, s.fail(err, "read oldest pending record")
	}
	return time.Unix(0, at).UTC(), nil
}
