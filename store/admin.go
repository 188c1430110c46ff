package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
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

// CheckBackup verifies a copy of a booth store (opened ReadOnly): SQLite's
// quick_check over every page — a copy torn by a failing drive shows here —
// and the audit chain's positions, links and hashes from its first entry. It
// does not compare each decision with its record, as CheckAudit does on the
// live store: the copy holds the same records, and that check costs a look-up
// per decision. It returns the entries walked and the chain's last entry.
// Errors: EINVALID naming the first fault; read failures.
func (s *Store) CheckBackup(ctx context.Context) (entries int64, head app.AuditEntry, err error) {
	rows, err := s.r.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return 0, head, s.fail(err, "check the copy")
	}
	var faults []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return 0, head, s.fail(err, "check the copy")
		}
		if line != "ok" && len(faults) < 3 {
			faults = append(faults, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, head, s.fail(err, "check the copy")
	}
	if len(faults) > 0 {
		return 0, head, app.Errorf(app.EINVALID, "the database file is damaged: %s", strings.Join(faults, "; "))
	}
	prev := genesis
	var after int64
	for {
		es, err := s.AuditEntries(ctx, after, 5000)
		if err != nil {
			return entries, head, err
		}
		if len(es) == 0 {
			return entries, head, nil
		}
		for _, e := range es {
			switch {
			case e.Seq != after+1:
				return entries, head, app.Errorf(app.EINVALID, "audit entry %d is missing", after+1)
			case !bytes.Equal(e.PrevHash, prev):
				return entries, head, app.Errorf(app.EINVALID, "audit entry %d does not follow entry %d", e.Seq, after)
			case !bytes.Equal(e.Hash, auditHash(e.PrevHash, e.Seq, e.At.UnixNano(), e.OfficerID, string(e.Action), e.Subject, e.Detail)):
				return entries, head, app.Errorf(app.EINVALID, "audit entry %d was altered", e.Seq)
			}
			entries++
			prev, after, head = e.Hash, e.Seq, e
		}
	}
}
