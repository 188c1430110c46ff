package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// The audit chain is anchored at HQ: every batch carries the chain's last
// entry (its head) and the entry HQ anchored last, as the booth holds it now
// (its proof). Someone who rewrites the log and recomputes the chain, or cuts
// entries off its end, cannot also change what HQ already holds.

// AuditHead returns the audit chain's last entry and the entry at the
// sequence HQ anchored last (see AnchoredAt), with its hash as stored now: a
// zero proof before HQ anchored anything. It implements sync.Outbox.
// Errors: only read failures.
func (s *Store) AuditHead(ctx context.Context) (head, proof wire.ChainPoint, err error) {
	head, err = s.chainPoint(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
	if err != nil {
		return head, proof, err
	}
	v, err := s.meta(ctx, s.r, "audit_anchor")
	if err != nil {
		return head, proof, s.fail(err, "read audit anchor")
	}
	if n, _ := strconv.ParseInt(v, 10, 64); n > 0 {
		proof, err = s.chainPoint(ctx, "SELECT seq, hash FROM audit WHERE seq = ?", n)
		if proof.Seq == 0 && err == nil {
			// The anchored entry is gone: say so with the sequence HQ knows, and
			// a hash that cannot match, so HQ raises the alert.
			proof.Seq = n
		}
	}
	return head, proof, err
}

func (s *Store) chainPoint(ctx context.Context, query string, args ...any) (wire.ChainPoint, error) {
	var p wire.ChainPoint
	var hash []byte
	err := s.r.QueryRowContext(ctx, query, args...).Scan(&p.Seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return wire.ChainPoint{}, nil
	} else if err != nil {
		return wire.ChainPoint{}, s.fail(err, "read audit head")
	}
	copy(p.Hash[:], hash)
	return p, nil
}

// AnchoredAt records that HQ anchored the audit chain at entry seq (an
// acknowledgement's AuditSeq): the next batch proves that entry. The mark
// never moves back. Errors: EUNAVAILABLE as for any write.
func (s *Store) AnchoredAt(ctx context.Context, seq int64) error {
	if seq <= 0 {
		return nil
	}
	return s.write(ctx, "audit anchor", func(tx *sql.Tx) error {
		v, err := s.meta(ctx, tx, "audit_anchor")
		if err != nil {
			return err
		}
		if cur, _ := strconv.ParseInt(v, 10, 64); seq <= cur {
			return nil
		}
		return setMeta(ctx, tx, "audit_anchor", strconv.FormatInt(seq, 10))
	})
}

// MissingCrossing is a crossing whose decision is in the audit log but which
// is not in the store, and which no purge recorded after it covers.
type MissingCrossing struct {
	ID        string    // the crossing's id (the decision entry's subject)
	Seq       int64     // its outbox sequence number
	At        time.Time // when it was decided
	AuditSeq  int64     // the decision entry
	Purgeable bool      // HQ had acknowledged it (a purge could have removed it, but none was recorded)
}

// auditTriggers are the schema's guards of the append-only log
// (migrations/0001_booth.sql).
var auditTriggers = []string{"audit_no_update", "audit_no_delete"}

// missingTriggers returns the append-only triggers that are not in the
// schema, or no longer refuse.
func (s *Store) missingTriggers(ctx context.Context) ([]string, error) {
	var missing []string
	for _, name := range auditTriggers {
		var body string
		err := s.r.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'audit'", name).Scan(&body)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.Contains(body, "RAISE(ABORT")) {
			missing = append(missing, name)
		} else if err != nil {
			return nil, s.fail(err, "read schema")
		}
	}
	return missing, nil
}

// missingCrossings lists the crossings the audit log says were decided that
// are not in the store and not covered by a purge recorded after the
// decision (a purge removes only crossings up to its sent mark, older than
// its cut-off).
func (s *Store) missingCrossings(ctx context.Context) ([]MissingCrossing, error) {
	type purge struct {
		entry     int64
		upToSeq   int64
		olderThan time.Time
	}
	var purges []purge
	rows, err := s.r.QueryContext(ctx, "SELECT seq, detail FROM audit WHERE action = ?", string(app.AuditPurge))
	if err != nil {
		return nil, s.fail(err, "read purges")
	}
	for rows.Next() {
		var p purge
		var detail string
		if err := rows.Scan(&p.entry, &detail); err != nil {
			rows.Close()
			return nil, s.fail(err, "read purges")
		}
		var d struct {
			OlderThan time.Time `json:"older_than"`
			UpToSeq   int64     `json:"up_to_seq"`
		}
		if json.Unmarshal([]byte(detail), &d) == nil {
			p.upToSeq, p.olderThan = d.UpToSeq, d.OlderThan
			purges = append(purges, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "read purges")
	}
	rows, err = s.r.QueryContext(ctx, `SELECT a.seq, a.at, a.subject, json_extract(a.detail, '$.seq') FROM audit a
		WHERE a.action = ? AND json_valid(a.detail) AND json_extract(a.detail, '$.seq') IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM crossings c WHERE c.seq = json_extract(a.detail, '$.seq'))
		ORDER BY a.seq`, string(app.AuditDecision))
	if err != nil {
		return nil, s.fail(err, "read decisions")
	}
	defer rows.Close()
	sent, err := s.SentMark(ctx)
	if err != nil {
		return nil, err
	}
	var out []MissingCrossing
	for rows.Next() {
		var m MissingCrossing
		var at int64
		if err := rows.Scan(&m.AuditSeq, &at, &m.ID, &m.Seq); err != nil {
			return nil, s.fail(err, "read decisions")
		}
		m.At = time.Unix(0, at).UTC()
		covered := false
		for _, p := range purges {
			// Booth time is stored in nanoseconds, the purge's cut-off in seconds.
			if p.entry > m.AuditSeq && m.Seq <= p.upToSeq && m.At.Before(p.olderThan.Add(time.Second)) {
				covered = true
				break
			}
		}
		if !covered {
			m.Purgeable = m.Seq <= sent
			out = append(out, m)
		}
	}
	return out, s.fail(rows.Err(), "read decisions")
}
