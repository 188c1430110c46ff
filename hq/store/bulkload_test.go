package store

import (
	"context"
	"time"
)

// BulkLoad stores a batch's records and indexes its crossings in one
// transaction, skipping everything else Apply does (marks, alerts, anchors,
// statistics): only for filling a benchmark's store with millions of
// crossings within minutes. The history query reads exactly these rows.
func (s *SQLite) BulkLoad(ctx context.Context, b Batch, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, insertRecords(insertChunk))
	if err != nil {
		return err
	}
	defer stmt.Close()
	fresh := make(map[string]bool, len(b.Records))
	for start := 0; start < len(b.Records); start += insertChunk {
		chunk := b.Records[start:min(start+insertChunk, len(b.Records))]
		args := make([]any, 0, 7*len(chunk))
		for _, r := range chunk {
			args = append(args, r.ID, r.Booth, r.Seq, r.Kind, r.Payload, r.SHA256, ts(at))
			fresh[r.ID] = true
		}
		q := stmt
		if len(chunk) != insertChunk {
			if q, err = tx.PrepareContext(ctx, insertRecords(len(chunk))); err != nil {
				return err
			}
			defer q.Close()
		}
		rows, err := q.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		rows.Close()
	}
	if err := indexTravel(ctx, tx, b, fresh); err != nil {
		return err
	}
	return tx.Commit()
}
