package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// RecordMonth is recordMonth, for the tests that hold it equal to chekara_month.
var RecordMonth = recordMonth

// OpenPostgresAt opens a PostgreSQL store migrated only up to version: the store an
// older HQ left behind, for tests of the migrations after it.
func OpenPostgresAt(ctx context.Context, url string, version int) (*Postgres, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	s := &Postgres{pool: pool}
	if err := s.migrate(ctx, version); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// PartitionsVersion is the migration that partitions records by month.
const PartitionsVersion = 7
