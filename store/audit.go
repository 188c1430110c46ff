package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chekara/chekara/app"
)

// The audit chain. Entry n's hash is
//
//	SHA-256("chekara-audit-v1" ‖ prev_hash ‖ seq ‖ at ‖ officer ‖ action ‖ subject ‖ detail)
//
// with seq and at (unix nanoseconds) as 8-byte big-endian integers and each
// string as a 4-byte big-endian length and its bytes, so no two different entries
// share an encoding. The first entry's prev_hash is 32 zero bytes. Changing,
// inserting or removing any entry breaks the chain at that entry; triggers in the
// schema refuse UPDATE and DELETE so only someone going around the store can try.
// Cutting entries off the end leaves a valid shorter chain: HQ, which receives
// the decisions, is the check against that.
//
// Since schema 6 (issue 14 item 13) an entry's stored prev_hash is empty: it
// is the previous entry's hash, which the chain's arithmetic still covers,
// and AuditEntries fills it in from there (32 bytes a crossing saved). Entries
// written before keep theirs, and verify as they did.

const auditDomain = "chekara-audit-v1"

var genesis = make([]byte, sha256.Size)

// auditHash computes an entry's hash from its fields and prev.
func auditHash(prev []byte, seq, at int64, officer, action, subject, detail string) []byte {
	h := sha256.New()
	h.Write([]byte(auditDomain))
	h.Write(prev)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(at))
	h.Write(n[:])
	for _, s := range []string{officer, action, subject, detail} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(s)))
		h.Write(n[:4])
		h.Write([]byte(s))
	}
	return h.Sum(nil)
}

// chainTip is the last entry of the chain inside a write transaction, so a batch
// appends many entries with one lookup.
type chainTip struct {
	seq  int64
	hash []byte
}

func loadTip(ctx context.Context, tx *sql.Tx) (chainTip, error) {
	t := chainTip{hash: genesis}
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&t.seq, &t.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return chainTip{hash: genesis}, nil
	}
	return t, err
}

const insertAudit = "INSERT INTO audit (seq, at, officer_id, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

// appendTo adds e after tip using stmt (insertAudit prepared in the transaction)
// and advances tip. e.At defaults to the store clock.
func (s *Store) appendTo(ctx context.Context, stmt *sql.Stmt, tip *chainTip, e app.AuditEntry) (app.AuditEntry, error) {
	if e.At.IsZero() {
		e.At = s.clock.Now()
	}
	if e.Detail == "" {
		e.Detail = "{}"
	}
	e.Seq = tip.seq + 1
	e.PrevHash = tip.hash
	e.Hash = auditHash(e.PrevHash, e.Seq, e.At.UnixNano(), e.OfficerID, string(e.Action), e.Subject, e.Detail)
	if _, err := stmt.ExecContext(ctx, e.Seq, e.At.UnixNano(), e.OfficerID, string(e.Action), e.Subject, e.Detail, []byte{}, e.Hash); err != nil {
		return app.AuditEntry{}, err
	}
	tip.seq, tip.hash = e.Seq, e.Hash
	return e, nil
}

// appendAudit adds one entry inside tx.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e app.AuditEntry) (app.AuditEntry, error) {
	tip, err := loadTip(ctx, tx)
	if err != nil {
		return app.AuditEntry{}, err
	}
	stmt, err := tx.PrepareContext(ctx, insertAudit)
	if err != nil {
		return app.AuditEntry{}, err
	}
	defer stmt.Close()
	return s.appendTo(ctx, stmt, &tip, e)
}

// Audit appends an entry to the audit log in its own durable transaction; Seq,
// PrevHash and Hash are set by the store, At by the store clock when zero.
// Errors: EINVALID for an entry without an action; EUNAVAILABLE when the disk is
// full, read-only or the database is locked.
func (s *Store) Audit(ctx context.Context, e app.AuditEntry) error {
	if e.Action == "" {
		return app.Errorf(app.EINVALID, "An audit entry needs an action.")
	}
	if e.Detail != "" && !json.Valid([]byte(e.Detail)) {
		return app.Errorf(app.EINVALID, "An audit entry's detail must be JSON.")
	}
	return s.write(ctx, "audit", func(tx *sql.Tx) error {
		_, err := s.appendAudit(ctx, tx, e)
		return err
	})
}

// AuditEntries returns up to limit entries with Seq > afterSeq, oldest first: a
// supervisor's review and the verification command page through them.
func (s *Store) AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]app.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, "SELECT seq, at, officer_id, action, subject, detail, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
	if err != nil {
		return nil, s.fail(err, "read audit")
	}
	defer rows.Close()
	var out []app.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, s.fail(err, "read audit")
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "read audit")
	}
	// An entry stored without its prev_hash links to the entry before it.
	for i := range out {
		e := &out[i]
		switch {
		case len(e.PrevHash) != 0:
		case e.Seq == 1:
			e.PrevHash = genesis
		case i > 0 && out[i-1].Seq == e.Seq-1:
			e.PrevHash = out[i-1].Hash
		default:
			err := s.r.QueryRowContext(ctx, "SELECT hash FROM audit WHERE seq = ?", e.Seq-1).Scan(&e.PrevHash)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, s.fail(err, "read audit")
			}
		}
	}
	return out, nil
}

func scanAudit(rows *sql.Rows) (app.AuditEntry, error) {
	var e app.AuditEntry
	var at int64
	var action string
	err := rows.Scan(&e.Seq, &at, &e.OfficerID, &action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = time.Unix(0, at).UTC()
	e.Action = app.AuditAction(action)
	return e, err
}

// AuditCheck is the result of walking the audit chain.
type AuditCheck struct {
	Entries     int64          // entries read
	FirstBroken int64          // Seq of the first entry that does not verify; 0 when intact
	Reason      string         // why that entry does not verify
	Entry       app.AuditEntry // that entry, as stored
	// Missing are crossings the log says were decided that are gone from the
	// store without a recorded purge that covers them (deleted behind the
	// store's back).
	Missing []MissingCrossing
	// MissingTriggers names the append-only guards of the audit table that are
	// gone from the schema (dropped to rewrite or delete entries).
	MissingTriggers []string
}

// Intact reports whether the check found nothing wrong.
func (c AuditCheck) Intact() bool {
	return c.FirstBroken == 0 && len(c.Missing) == 0 && len(c.MissingTriggers) == 0
}

// CheckAudit walks the whole audit chain and reports the first entry whose
// position, link or hash does not verify. For a decision entry whose crossing is
// still in the store it also checks that the crossing's record is the one the
// entry was written with; for a document read with a photo whose inspection is
// still stored, that the photo is the one the entry was written with. It also
// lists decided crossings that are gone without a recorded purge, and the
// append-only triggers missing from the schema. A rewritten log whose chain was
// recomputed verifies here: HQ's anchor of the chain is the check against that.
// Errors: only read failures; a broken chain is a result.
func (s *Store) CheckAudit(ctx context.Context) (AuditCheck, error) {
	c, err := s.walkChain(ctx)
	if err != nil {
		return c, err
	}
	if c.MissingTriggers, err = s.missingTriggers(ctx); err != nil {
		return c, err
	}
	c.Missing, err = s.missingCrossings(ctx)
	return c, err
}

// walkChain checks every entry's position, link and hash (see CheckAudit).
func (s *Store) walkChain(ctx context.Context) (AuditCheck, error) {
	var c AuditCheck
	prev := genesis
	var after int64
	for {
		entries, err := s.AuditEntries(ctx, after, 5000)
		if err != nil {
			return c, err
		}
		if len(entries) == 0 {
			return c, nil
		}
		for _, e := range entries {
			c.Entries++
			want := auditHash(e.PrevHash, e.Seq, e.At.UnixNano(), e.OfficerID, string(e.Action), e.Subject, e.Detail)
			reason := ""
			switch {
			case e.Seq != after+1:
				reason = fmt.Sprintf("expected entry %d next: entries are missing before it", after+1)
			case !bytes.Equal(e.PrevHash, prev):
				reason = "its link to the previous entry does not match (an entry before it was changed or removed)"
			case !bytes.Equal(e.Hash, want):
				reason = "its content does not match its hash (the entry was changed)"
			case e.Action == app.AuditDecision:
				reason, err = s.checkDecision(ctx, e, "crossings", "crossing")
				if err != nil {
					return c, err
				}
			case e.Action == app.AuditSetAside:
				reason, err = s.checkDecision(ctx, e, "set_asides", "set-aside read")
				if err != nil {
					return c, err
				}
			case e.Action == app.AuditReferral || e.Action == app.AuditSignOff || e.Action == app.AuditRefusalConfirmation:
				reason, err = s.checkDecision(ctx, e, "supervision", string(e.Action)) // supervision.go
				if err != nil {
					return c, err
				}
			case e.Action == app.AuditDocumentRead:
				reason, err = s.checkDocumentRead(ctx, e) // photos.go
				if err != nil {
					return c, err
				}
			}
			if reason != "" {
				c.FirstBroken, c.Reason, c.Entry = e.Seq, reason, e
				return c, nil
			}
			prev, after = e.Hash, e.Seq
		}
	}
}

// checkDecision compares a decision's (or a set-aside's) entry's payload hash
// with the stored record in table.
func (s *Store) checkDecision(ctx context.Context, e app.AuditEntry, table, what string) (string, error) {
	var d decisionDetail
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil || d.empty() {
		return "", nil // older or hand-written decision entries carry no payload hash
	}
	var payload []byte
	q, id := "SELECT payload FROM set_asides WHERE id = ?", any(e.Subject)
	switch table {
	case "crossings":
		q, id = "SELECT payload FROM crossings WHERE id_key = ?", key(e.Subject) // keys.go
	case "supervision":
		q = "SELECT payload FROM supervision WHERE id = ?"
	}
	err := s.r.QueryRowContext(ctx, q, id).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil // purged after HQ acknowledged it
	} else if err != nil {
		return "", s.fail(err, "verify audit")
	}
	if payload, err = unpackPayload(payload); err != nil {
		return fmt.Sprintf("%s %s does not read: %v", what, e.Subject, err), nil
	}
	if !d.matches(payload) {
		return fmt.Sprintf("%s %s was changed after it was recorded", what, e.Subject), nil
	}
	return "", nil
}

// VerifyAudit walks the audit chain and returns the Seq of the first entry that
// does not verify, 0 when the chain is intact. Errors: only read failures.
func (s *Store) VerifyAudit(ctx context.Context) (firstBroken int64, err error) {
	c, err := s.CheckAudit(ctx)
	return c.FirstBroken, err
}
