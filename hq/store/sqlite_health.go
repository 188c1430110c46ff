package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

func (t sqliteTx) boothState(ctx context.Context, booth string) (BoothState, bool, error) {
	s, err := scanState(t.tx.QueryRowContext(ctx, selectStates+` WHERE booth = ?`, booth))
	if errors.Is(err, sql.ErrNoRows) {
		return BoothState{}, false, nil
	}
	return s, err == nil, err
}

func (t sqliteTx) putBoothState(ctx context.Context, s BoothState) error {
	_, err := t.tx.ExecContext(ctx, strings.ReplaceAll(upsertState, "$", "?"), stateArgs(s)...)
	return err
}

// BoothStates implements BoothHealth.
func (s *SQLite) BoothStates(ctx context.Context) ([]BoothState, error) {
	rows, err := s.r.QueryContext(ctx, selectStates+` ORDER BY booth`)
	if err != nil {
		return nil, wrap(err, "read booth states")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (BoothState, error) { return scanState(r) })
	return out, wrap(err, "read booth states")
}
