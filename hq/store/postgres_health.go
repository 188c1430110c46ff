package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

func (t pgTx) boothState(ctx context.Context, booth string) (BoothState, bool, error) {
	s, err := scanState(t.tx.QueryRow(ctx, selectStates+` WHERE booth = $1`, booth))
	if errors.Is(err, pgx.ErrNoRows) {
		return BoothState{}, false, nil
	}
	return s, err == nil, err
}

func (t pgTx) putBoothState(ctx context.Context, s BoothState) error {
	_, err := t.tx.Exec(ctx, upsertState, stateArgs(s)...)
	return err
}

// BoothStates implements BoothHealth.
func (s *Postgres) BoothStates(ctx context.Context) ([]BoothState, error) {
	rows, err := s.pool.Query(ctx, selectStates+` ORDER BY booth`)
	if err != nil {
		return nil, wrap(err, "read booth states")
	}
	defer rows.Close()
	out, err := collect(rows, func(r rowScanner) (BoothState, error) { return scanState(r) })
	return out, wrap(err, "read booth states")
}
