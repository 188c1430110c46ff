package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Crossings are partitioned by month in PostgreSQL, so that ten years of them stay
// manageable: a month's records are one table that can be backed up, moved to cheaper
// storage or dropped at the end of its retention without touching the others, and
// autovacuum works on the month being written, not on the whole archive.
//
// The month is a function of the record's id alone (records.month = the month of the
// UUIDv7's timestamp, which the booth set when it made the record), never of when HQ
// received it. Because it is, the primary key (id, month) that partitioning requires
// still means "one row per id": a booth that sends a record again sends the same id
// and lands on the same partition, where ON CONFLICT finds it. Ids that are not UUIDv7,
// or whose time is outside [2000, 2100), all fall in month 1970-01 ("undated"), so a
// booth with a broken clock cannot make HQ create a partition per id.
//
// There is no DEFAULT partition: a month is created before the first batch that needs
// it (ensureMonths), and an insert into a month that does not exist fails loudly
// instead of piling rows where a later CREATE would refuse them.

// postgresPartitions is the migration that turns records into a partitioned table;
// chekara_month is the SQL twin of recordMonth (a test holds them equal), used here to
// place the rows already stored and by the history query to prune partitions.
const postgresPartitions = `CREATE FUNCTION chekara_month(id text) RETURNS date
		LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
		SELECT CASE
			WHEN id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
			 AND ('x' || lpad(substr(replace(id, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint
			     BETWEEN 946684800000 AND 4102444799999
			THEN date_trunc('month', to_timestamp(('x' || lpad(substr(replace(id, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint / 1000.0) AT TIME ZONE 'UTC')::date
			ELSE DATE '1970-01-01'
		END $$;
	CREATE FUNCTION chekara_ensure_month(m date) RETURNS void LANGUAGE plpgsql AS $$
	DECLARE
		name text := 'records_' || to_char(m, 'YYYY_MM');
	BEGIN
		IF to_regclass(name) IS NOT NULL THEN
			RETURN;
		END IF;
		-- Two HQ processes (or two batches) may need the same new month at once.
		PERFORM pg_advisory_xact_lock(8009);
		-- The catalogue this function reads may not show a partition another batch
		-- committed a moment ago: a second CREATE is expected, and is no error.
		EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF records FOR VALUES FROM (%L) TO (%L)',
			name, m, (m + interval '1 month')::date);
	EXCEPTION WHEN duplicate_table OR unique_violation THEN
		RETURN;
	END $$;
	ALTER TABLE records RENAME TO records_unpartitioned;
	ALTER TABLE records_unpartitioned RENAME CONSTRAINT records_pkey TO records_unpartitioned_pkey;
	ALTER INDEX records_booth_seq RENAME TO records_unpartitioned_booth_seq;
	CREATE TABLE records (
		id          text NOT NULL,
		month       date NOT NULL,
		booth       text NOT NULL,
		seq         bigint NOT NULL,
		kind        text NOT NULL,
		payload     bytea NOT NULL,
		sha256      bytea NOT NULL,
		received_at timestamptz NOT NULL,
		PRIMARY KEY (id, month)
	) PARTITION BY RANGE (month);
	CREATE INDEX records_booth_seq ON records(booth, seq);
	SELECT chekara_ensure_month(m) FROM (SELECT DISTINCT chekara_month(id) AS m FROM records_unpartitioned) months;
	INSERT INTO records (id, month, booth, seq, kind, payload, sha256, received_at)
		SELECT id, chekara_month(id), booth, seq, kind, payload, sha256, received_at FROM records_unpartitioned;
	DROP TABLE records_unpartitioned;`

// recordMonth is the month partition a record id belongs to (see chekara_month).
func recordMonth(id string) time.Time {
	undated := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	if len(id) != 36 || id[14] != '7' || strings.IndexByte("89ab", id[19]) < 0 ||
		id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' {
		return undated
	}
	raw, err := hex.DecodeString(strings.ReplaceAll(id, "-", ""))
	if err != nil || strings.ToLower(id) != id {
		return undated
	}
	var ms int64
	for _, b := range raw[:6] {
		ms = ms<<8 | int64(b)
	}
	if ms < 946684800000 || ms > 4102444799999 {
		return undated
	}
	t := time.UnixMilli(ms).UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// months remembers the partitions this process has made sure of, so a batch pays
// for ensureMonths only in the first batch of a month.
type months struct {
	mu    sync.Mutex
	known map[time.Time]bool
}

// ensureMonths creates the partitions the ids need that this process has not seen yet.
// It runs in its own short transaction before the batch's: creating a partition locks
// the whole table, which must not be held while a batch is written.
func (s *Postgres) ensureMonths(ctx context.Context, ids []string) ([]time.Time, error) {
	out := make([]time.Time, len(ids))
	need := map[time.Time]bool{}
	s.months.mu.Lock()
	for i, id := range ids {
		out[i] = recordMonth(id)
		if !s.months.known[out[i]] {
			need[out[i]] = true
		}
	}
	s.months.mu.Unlock()
	// Two batches needing the same new month both ask; chekara_ensure_month makes it once.
	for m := range need {
		if _, err := s.pool.Exec(ctx, `SELECT chekara_ensure_month($1)`, m); err != nil {
			return nil, wrap(err, "make the partition for %s", m.Format("2006-01"))
		}
	}
	s.months.mu.Lock()
	if s.months.known == nil {
		s.months.known = map[time.Time]bool{}
	}
	for m := range need {
		s.months.known[m] = true
	}
	s.months.mu.Unlock()
	return out, nil
}

// Partitions lists the months records are kept in, oldest first, with their row
// counts as PostgreSQL estimates them (exact counts would read every month).
func (s *Postgres) Partitions(ctx context.Context) ([]Partition, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.relname, greatest(c.reltuples, 0)::bigint
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'records'::regclass ORDER BY c.relname`)
	if err != nil {
		return nil, wrap(err, "list partitions")
	}
	defer rows.Close()
	var out []Partition
	for rows.Next() {
		var p Partition
		if err := rows.Scan(&p.Name, &p.Rows); err != nil {
			return nil, wrap(err, "list partitions")
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "list partitions")
}

// Partition is one month of records.
type Partition struct {
	Name string // records_YYYY_MM
	Rows int64  // estimated
}

func (p Partition) String() string { return fmt.Sprintf("%s (~%d rows)", p.Name, p.Rows) }
