package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// Outbox returns unacknowledged records, as they travel (wire.Record; the
// payload as committed, SHA256 left to the batch encoder), with Seq > afterSeq, in Seq order, at
// most maxRecords (0 means 1000) and at most maxBytes of payload (0 means no
// limit) — but always at least one record when any is waiting, even if it alone
// is larger than maxBytes. Errors: only read failures.
func (s *Store) Outbox(ctx context.Context, afterSeq int64, maxRecords, maxBytes int) ([]wire.Record, error) {
	if maxRecords <= 0 {
		maxRecords = 1000
	}
	sent, err := s.SentMark(ctx)
	if err != nil {
		return nil, err
	}
	from := max(afterSeq, sent)
	// A record is a crossing or a set-aside read; a purged one is in neither.
	// Outbox rows of crossings written since issue 14 leave record_id empty
	// rather than repeat the id their payload holds (36 bytes each).
	// Supervision records (issue 17) have a table of their own.
	rows, err := s.r.QueryContext(ctx, `SELECT o.seq, o.kind, COALESCE(a.id, v.id, o.record_id), COALESCE(c.payload, a.payload, v.payload)
		FROM outbox o LEFT JOIN crossings c ON c.seq = o.seq LEFT JOIN set_asides a ON a.seq = o.seq
		LEFT JOIN supervision v ON v.seq = o.seq
		WHERE o.seq > ? AND (c.seq IS NOT NULL OR a.seq IS NOT NULL OR v.seq IS NOT NULL) ORDER BY o.seq LIMIT ?`, from, maxRecords)
	if err != nil {
		return nil, s.fail(err, "read outbox")
	}
	defer rows.Close()
	var out []wire.Record
	size := 0
	for rows.Next() {
		var r wire.Record
		if err := rows.Scan(&r.Seq, &r.Kind, &r.ID, &r.Payload); err != nil {
			return nil, s.fail(err, "read outbox")
		}
		var err error
		if r.Payload, err = unpackPayload(r.Payload); err != nil {
			return nil, fmt.Errorf("store: record at seq %d: %w", r.Seq, err)
		}
		if r.ID == "" {
			r.ID = recordID(r.Payload)
		}
		if maxBytes > 0 && len(out) > 0 && size+len(r.Payload) > maxBytes {
			break
		}
		size += len(r.Payload)
		out = append(out, r)
	}
	return out, s.fail(rows.Err(), "read outbox")
}

// MarkSent records that HQ acknowledged every record with Seq ≤ upToSeq. It is
// idempotent and never moves the mark backwards. Errors: ECONFLICT when upToSeq
// is beyond the last record this booth wrote (HQ knows more of this booth than
// the booth does: a database restored from an old backup, or the wrong booth).
func (s *Store) MarkSent(ctx context.Context, upToSeq int64) error {
	return s.write(ctx, "mark sent", func(tx *sql.Tx) error {
		last, err := lastSeq(ctx, tx)
		if err != nil {
			return err
		}
		if upToSeq > last {
			return app.Errorf(app.ECONFLICT, "HQ acknowledged records up to %d but this booth has written only %d: the booth database may have been restored from an old backup.", upToSeq, last)
		}
		v, err := s.meta(ctx, tx, "sent_mark")
		if err != nil {
			return err
		}
		cur, _ := strconv.ParseInt(v, 10, 64)
		if upToSeq <= cur {
			return nil
		}
		return setMeta(ctx, tx, "sent_mark", strconv.FormatInt(upToSeq, 10))
	})
}

// SentMark returns the highest Seq HQ has acknowledged, 0 before the first
// acknowledgement. Errors: only read failures.
func (s *Store) SentMark(ctx context.Context) (int64, error) {
	v, err := s.meta(ctx, s.r, "sent_mark")
	if err != nil {
		return 0, s.fail(err, "read sent mark")
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n, nil
}

// LastSeq returns the Seq of the newest outbox record ever written (purged ones
// included), 0 for a new booth. Errors: only read failures.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	n, err := lastSeq(ctx, s.r)
	return n, s.fail(err, "read last seq")
}

func lastSeq(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// Pending returns how many records wait for HQ's acknowledgement. Seq has no
// gaps (a rolled-back transaction also rolls back its sequence), so this is
// LastSeq − SentMark without counting rows. Errors: only read failures.
func (s *Store) Pending(ctx context.Context) (int, error) {
	last, err := s.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	sent, err := s.SentMark(ctx)
	if err != nil {
		return 0, err
	}
	return int(last - sent), nil
}

// WaitForRecord returns a channel that receives after a crossing commits. It
// holds at most one pending wake-up, so a slow upload loop misses none: after
// waking it reads the whole Outbox. Meant for one consumer (the uploader).
func (s *Store) WaitForRecord() <-chan struct{} { return s.wake }

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Crossings   int
	SetAside    int // set-aside reads
	Inspections int
	UpToSeq     int64 // only crossings HQ acknowledged (Seq ≤ this) were eligible
}

// Purge removes crossings that HQ has acknowledged and whose booth time is
// before olderThan, with their outbox rows, and inspections read before
// olderThan; it writes a "purge" audit entry in the same transaction. The audit
// log itself is never purged. Errors: EUNAVAILABLE as for any write.
func (s *Store) Purge(ctx context.Context, olderThan time.Time) (PurgeResult, error) {
	var res PurgeResult
	err := s.write(ctx, "purge", func(tx *sql.Tx) error {
		res = PurgeResult{}
		v, err := s.meta(ctx, tx, "sent_mark")
		if err != nil {
			return err
		}
		res.UpToSeq, _ = strconv.ParseInt(v, 10, 64)
		rows, err := tx.QueryContext(ctx, "DELETE FROM crossings WHERE seq <= ? AND booth_time < ? RETURNING seq", res.UpToSeq, olderThan.UnixNano())
		if err != nil {
			return err
		}
		var seqs []int64
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		del, err := tx.PrepareContext(ctx, "DELETE FROM outbox WHERE seq = ?")
		if err != nil {
			return err
		}
		defer del.Close()
		for _, n := range seqs {
			if _, err := del.ExecContext(ctx, n); err != nil {
				return err
			}
		}
		res.Crossings = len(seqs)
		rows, err = tx.QueryContext(ctx, "DELETE FROM set_asides WHERE seq <= ? AND booth_time < ? RETURNING seq", res.UpToSeq, olderThan.UnixNano())
		if err != nil {
			return err
		}
		var asides []int64
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			asides = append(asides, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range asides {
			if _, err := del.ExecContext(ctx, n); err != nil {
				return err
			}
		}
		res.SetAside = len(asides)
		r, err := tx.ExecContext(ctx, "DELETE FROM inspections WHERE read_at < ?", olderThan.UnixNano())
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		res.Inspections = int(n)
		detail := fmt.Sprintf(`{"older_than":%q,"up_to_seq":%d,"crossings":%d,"set_aside":%d,"inspections":%d}`,
			olderThan.UTC().Format(time.RFC3339), res.UpToSeq, res.Crossings, res.SetAside, res.Inspections)
		_, err = s.appendAudit(ctx, tx, app.AuditEntry{Action: app.AuditPurge, Subject: "retention", Detail: detail})
		return err
	})
	return res, err
}
