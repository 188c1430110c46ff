package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	"github.com/google/uuid"
)

// decisionDetail is the audit detail of a decision: enough to review it without
// personal data, and the hash of the exact record HQ receives.
type decisionDetail struct {
	Seq       int64  `json:"seq"`
	Direction string `json:"direction"`
	Decision  string `json:"decision"`
	Reason    string `json:"reason,omitempty"`
	Hits      int    `json:"hits,omitempty"`
	Training  bool   `json:"training,omitempty"`
	ClockJump bool   `json:"clock_jump,omitempty"`
	Override  string `json:"override,omitempty"` // the verdict overridden
	Headless  bool   `json:"headless,omitempty"` // decided through bmis inspect
	payloadHash
}

// payloadHash is the SHA-256 of the exact record HQ receives, in a decision's
// or a set-aside's audit detail. Since 2026-12-05 it is written as unpadded
// base64 under "sha256" (43 bytes instead of 64 of hex plus a longer key: a
// tenth of the audit row, issue 14 item 13); entries written before keep hex
// under "payload_sha256", and both verify.
type payloadHash struct {
	SHA256        string `json:"sha256,omitempty"`
	PayloadSHA256 string `json:"payload_sha256,omitempty"`
}

func hashOf(payload []byte) payloadHash {
	sum := sha256.Sum256(payload)
	return payloadHash{SHA256: base64.RawStdEncoding.EncodeToString(sum[:])}
}

// empty reports an entry written before decisions carried a payload hash.
func (h payloadHash) empty() bool { return h.SHA256 == "" && h.PayloadSHA256 == "" }

// matches reports whether payload is the record the hash was taken of.
func (h payloadHash) matches(payload []byte) bool {
	sum := sha256.Sum256(payload)
	if h.SHA256 != "" {
		return base64.RawStdEncoding.EncodeToString(sum[:]) == h.SHA256
	}
	return hex.EncodeToString(sum[:]) == h.PayloadSHA256
}

// RecordInspection stores a document read, its face photo when it has one
// (Photo), and its "document_read" audit entry (with the photo's SHA-256) in
// one durable transaction. An empty ID gets one from NewID.
// Errors: EINVALID without a read time, or for a photo that is not a JPEG or
// is over MaxPhotoBytes; ECONFLICT for an id already stored;
// EUNAVAILABLE when the disk is full, read-only or the database is locked.
func (s *Store) RecordInspection(ctx context.Context, in app.Inspection) error {
	return s.RecordInspectionWith(ctx, in, nil)
}

// RecordInspectionWith is RecordInspection plus the audit entries of the
// look-ups the booth made for the read (the screening query, the history view),
// after its "document_read" entry, all in the same durable transaction: one
// fsync on the swipe-to-screen path instead of three (app.InspectionLog).
// Errors as RecordInspection, and EINVALID for an entry without an action or
// with a detail that is not JSON.
func (s *Store) RecordInspectionWith(ctx context.Context, in app.Inspection, lookups []app.AuditEntry) error {
	for _, e := range lookups {
		if e.Action == "" {
			return app.Errorf(app.EINVALID, "An audit entry needs an action.")
		}
		if e.Detail != "" && !json.Valid([]byte(e.Detail)) {
			return app.Errorf(app.EINVALID, "An audit entry's detail must be JSON.")
		}
	}
	if in.ReadAt.IsZero() {
		return app.Errorf(app.EINVALID, "An inspection needs the time the document was read.")
	}
	if err := checkPhoto(in.Photo); err != nil {
		return err
	}
	if err := checkPage(in.PageImage); err != nil {
		return err
	}
	if in.ID == "" {
		in.ID = s.NewID()
	} else {
		s.noteID(in.ID)
	}
	lines, _ := json.Marshal(in.Lines)
	if in.Lines == nil {
		lines = []byte("[]")
	}
	return s.write(ctx, "record inspection", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO inspections (id, shift_id, officer_id, post, booth, source, lines, format, valid,
			doc_state, doc_number, surname, given_names, birth_date, nationality, sex, expiry, read_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID, in.ShiftID, in.OfficerID, in.Post, in.Booth, string(in.Source), string(lines), in.Format, in.Valid,
			in.Document.IssuingState, in.Document.Number, in.Traveller.Surname, in.Traveller.GivenNames,
			in.Traveller.BirthDate, in.Traveller.Nationality, in.Sex, in.Expiry, nanos(in.ReadAt))
		if isUnique(err) {
			return app.Errorf(app.ECONFLICT, "Inspection %s is already recorded.", in.ID)
		} else if err != nil {
			return err
		}
		if in.ShiftID != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE shifts SET inspections = inspections + 1 WHERE id = ?", in.ShiftID); err != nil {
				return err
			}
		}
		photoSum, err := insertPhoto(ctx, tx, in) // photos.go
		if err != nil {
			return err
		}
		pageSum, err := insertPage(ctx, tx, in) // photos.go
		if err != nil {
			return err
		}
		detail, _ := json.Marshal(readDetail{Source: string(in.Source), Format: in.Format, Valid: in.Valid, PhotoSHA256: photoSum, PageSHA256: pageSum})
		if _, err = s.appendAudit(ctx, tx, app.AuditEntry{At: in.ReadAt, OfficerID: in.OfficerID, Action: app.AuditDocumentRead, Subject: in.ID, Detail: string(detail)}); err != nil {
			return err
		}
		for _, e := range lookups {
			if e.Subject == "" {
				e.Subject = in.ID
			}
			if _, err := s.appendAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

var _ app.InspectionLog = (*Store)(nil)

// Decide stores the crossing, its outbox row and its "decision" audit entry in
// one durable transaction (see RecordCrossing). It implements app.Records.
func (s *Store) Decide(ctx context.Context, c app.Crossing) error {
	_, err := s.RecordCrossing(ctx, c)
	return err
}

// RecordCrossing is Decide returning the crossing as stored: with its ID (from
// NewID when empty) and ClockJump set when BoothTime is earlier than the latest
// booth time this store has recorded (the record keeps the time the booth saw).
// Errors: EINVALID for a crossing that breaks the rules (unknown direction or
// decision, a refusal without a reason, no document, no booth time, an id that is
// not a UUID); ECONFLICT for an id already stored; EUNAVAILABLE when the disk is
// full, read-only or the database is locked — then nothing was recorded.
func (s *Store) RecordCrossing(ctx context.Context, c app.Crossing) (app.Crossing, error) {
	out, err := s.DecideMany(ctx, []app.Crossing{c})
	if err != nil {
		return app.Crossing{}, err
	}
	return out[0], nil
}

// DecideMany records many crossings in one transaction, each exactly as Decide
// would (crossing, outbox row, decision audit entry), all or none. Seeding and
// imports use it: one fsync for thousands of crossings. Errors as RecordCrossing.
func (s *Store) DecideMany(ctx context.Context, cs []app.Crossing) ([]app.Crossing, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	out := make([]app.Crossing, len(cs))
	for i, c := range cs {
		if err := checkCrossing(c); err != nil {
			return nil, err
		}
		if c.ID == "" {
			c.ID = s.NewID()
		} else {
			s.noteID(c.ID)
		}
		c.BoothTime = c.BoothTime.Round(0) // drop the monotonic reading
		out[i] = c
	}
	err := s.write(ctx, "record crossing", func(tx *sql.Tx) error {
		high, err := s.meta(ctx, tx, "clock_high")
		if err != nil {
			return err
		}
		clockHigh, _ := strconv.ParseInt(high, 10, 64)
		tip, err := loadTip(ctx, tx)
		if err != nil {
			return err
		}
		insOutbox, err := tx.PrepareContext(ctx, "INSERT INTO outbox (kind, record_id, created_at) VALUES (?, ?, ?) RETURNING seq")
		if err != nil {
			return err
		}
		defer insOutbox.Close()
		insCrossing, err := tx.PrepareContext(ctx, `INSERT INTO crossings (seq, id_key, booth_time, doc_key, person_key, payload)
			VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insCrossing.Close()
		insAudit, err := tx.PrepareContext(ctx, insertAudit)
		if err != nil {
			return err
		}
		defer insAudit.Close()
		var updShift, settle, insShift *sql.Stmt
		now := s.clock.Now().UnixNano()
		for i := range out {
			c := &out[i]
			t := c.BoothTime.UnixNano()
			if t < clockHigh {
				c.ClockJump = true
			} else {
				clockHigh = t
			}
			var seq int64
			// The id is the crossing row's; the outbox row need not repeat it.
			if err := insOutbox.QueryRowContext(ctx, wire.KindOf(*c), "", now).Scan(&seq); err != nil {
				return err
			}
			payload := wire.EncodeCrossing(*c)
			_, err = insCrossing.ExecContext(ctx, seq, key(c.ID), t, docKey(c.Document.Number, c.Document.IssuingState),
				personKey(c.Traveller.Surname, c.Traveller.BirthDate, c.Traveller.GivenNames, c.Traveller.Nationality), packPayload(payload))
			if isUnique(err) {
				return app.Errorf(app.ECONFLICT, "Crossing %s is already recorded.", c.ID)
			} else if err != nil {
				return err
			}
			if insShift == nil {
				if insShift, err = tx.PrepareContext(ctx, `INSERT INTO shift_records (shift_id, seq, crossing_id, decision, post) VALUES (?, ?, ?, ?, ?)`); err != nil {
					return err
				}
				defer insShift.Close()
			}
			post := c.Post
			if c.Training {
				post = "" // training never reaches the secondary queue
			}
			if _, err := insShift.ExecContext(ctx, c.ShiftID, seq, c.ID, string(c.Decision), post); err != nil {
				return err
			}
			overridden := ""
			if c.Override != nil {
				overridden = c.Override.Verdict
			}
			detail, _ := json.Marshal(decisionDetail{
				Seq: seq, Direction: string(c.Direction), Decision: string(c.Decision), Reason: c.RefusalReason,
				Hits: len(c.Hits), Training: c.Training, ClockJump: c.ClockJump, Override: overridden, Headless: c.Headless,
				payloadHash: hashOf(payload),
			})
			if _, err := s.appendTo(ctx, insAudit, &tip, app.AuditEntry{
				At: c.BoothTime, OfficerID: c.OfficerID, Action: app.AuditDecision, Subject: c.ID, Detail: string(detail),
			}); err != nil {
				return err
			}
			if c.InspectionID != "" {
				if settle == nil {
					if settle, err = tx.PrepareContext(ctx, "UPDATE inspections SET settled = 1 WHERE id = ?"); err != nil {
						return err
					}
					defer settle.Close()
				}
				if _, err := settle.ExecContext(ctx, c.InspectionID); err != nil {
					return err
				}
			}
			if c.ShiftID != "" {
				if updShift == nil {
					updShift, err = tx.PrepareContext(ctx, `UPDATE shifts SET admitted = admitted + ?, refused = refused + ?,
						referred = referred + ?, hits = hits + ?, overrides = overrides + ? WHERE id = ?`)
					if err != nil {
						return err
					}
					defer updShift.Close()
				}
				b := func(d app.Decision) int {
					if c.Decision == d {
						return 1
					}
					return 0
				}
				overrides := 0
				if c.Override != nil {
					overrides = 1
				}
				if _, err := updShift.ExecContext(ctx, b(app.Admit), b(app.Refuse), b(app.Refer), len(c.Hits), overrides, c.ShiftID); err != nil {
					return err
				}
			}
		}
		return setMeta(ctx, tx, "clock_high", strconv.FormatInt(clockHigh, 10))
	})
	if err != nil {
		return nil, err
	}
	select { // wake the upload loop; a wake already pending covers this one too
	case s.wake <- struct{}{}:
	default:
	}
	return out, nil
}

// setAsideDetail is the audit detail of a set-aside read: enough to review it
// without personal data, and the hash of the exact record HQ receives.
type setAsideDetail struct {
	Seq        int64  `json:"seq"`
	Inspection string `json:"inspection"`
	Verdict    string `json:"verdict,omitempty"`
	OpenHits   int    `json:"open_hits,omitempty"`
	Training   bool   `json:"training,omitempty"`
	payloadHash
}

// SetAside stores a read that ended without a decision: its record, its
// outbox row and its "set_aside" audit entry, and marks the read settled, in
// one durable transaction; it implements app.Records. An empty ID gets one
// from NewID.
// Errors: EINVALID without an inspection, a note or a time, or for an id that
// is not a UUID; ECONFLICT when the read is unknown at this booth or already
// decided or set aside; EUNAVAILABLE as for any write.
func (s *Store) SetAside(ctx context.Context, a app.SetAside) error {
	if err := s.writable(); err != nil {
		return err
	}
	switch {
	case a.InspectionID == "":
		return app.Errorf(app.EINVALID, "A set-aside read names its inspection.")
	case strings.TrimSpace(a.Note) == "":
		return app.Errorf(app.EINVALID, "A set-aside read needs the officer's note.")
	case a.At.IsZero():
		return app.Errorf(app.EINVALID, "A set-aside read needs the booth time.")
	}
	if a.ID == "" {
		a.ID = s.NewID()
	} else if _, err := uuid.Parse(a.ID); err != nil {
		return app.Errorf(app.EINVALID, "Set-aside id %q is not a UUID.", a.ID)
	} else {
		s.noteID(a.ID)
	}
	a.At = a.At.Round(0)
	payload := wire.EncodeSetAside(a)
	err := s.write(ctx, "set aside read", func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, "UPDATE inspections SET settled = 1 WHERE id = ? AND settled = 0", a.InspectionID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return app.Errorf(app.ECONFLICT, "Read %s is not an undecided read of this booth.", a.InspectionID)
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO outbox (kind, record_id, created_at) VALUES (?, ?, ?) RETURNING seq",
			wire.KindOfSetAside(a), a.ID, s.clock.Now().UnixNano()).Scan(&seq); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO set_asides (seq, id, inspection_id, booth_time, payload) VALUES (?, ?, ?, ?, ?)",
			seq, a.ID, a.InspectionID, a.At.UnixNano(), payload)
		if isUnique(err) {
			return app.Errorf(app.ECONFLICT, "Set-aside read %s is already recorded.", a.ID)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO shift_records (shift_id, seq) VALUES (?, ?)", a.ShiftID, seq); err != nil {
			return err
		}
		detail, _ := json.Marshal(setAsideDetail{Seq: seq, Inspection: a.InspectionID, Verdict: a.Verdict,
			OpenHits: len(a.OpenHits), Training: a.Training, payloadHash: hashOf(payload)})
		if _, err := s.appendAudit(ctx, tx, app.AuditEntry{At: a.At, OfficerID: a.OfficerID, Action: app.AuditSetAside,
			Subject: a.ID, Detail: string(detail)}); err != nil {
			return err
		}
		if a.ShiftID != "" {
			if _, err := tx.ExecContext(ctx, "UPDATE shifts SET set_aside = set_aside + 1, hits = hits + ? WHERE id = ?", a.Hits, a.ShiftID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	select { // wake the upload loop
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

// SetAsideRecord returns one set-aside read by id. Errors: ENOTFOUND.
func (s *Store) SetAsideRecord(ctx context.Context, id string) (app.SetAside, error) {
	var payload []byte
	err := s.r.QueryRowContext(ctx, "SELECT payload FROM set_asides WHERE id = ?", id).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return app.SetAside{}, app.Errorf(app.ENOTFOUND, "There is no set-aside read %s at this booth.", id)
	} else if err != nil {
		return app.SetAside{}, s.fail(err, "read set-aside read")
	}
	a, err := wire.DecodeSetAside(payload)
	if err != nil {
		return app.SetAside{}, fmt.Errorf("store: set-aside read %s: %w", id, err)
	}
	return a, nil
}

// Undecided returns the reads of a shift that are neither decided nor set
// aside, oldest first; it implements app.Records. Errors: only read failures.
func (s *Store) Undecided(ctx context.Context, shiftID string) ([]app.Inspection, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, shift_id, officer_id, post, booth, source, lines, format, valid,
		doc_state, doc_number, surname, given_names, birth_date, nationality, sex, expiry, read_at
		FROM inspections WHERE shift_id = ? AND settled = 0 ORDER BY read_at, id`, shiftID)
	if err != nil {
		return nil, s.fail(err, "read undecided reads")
	}
	defer rows.Close()
	var out []app.Inspection
	for rows.Next() {
		var in app.Inspection
		var source, lines string
		var at int64
		if err := rows.Scan(&in.ID, &in.ShiftID, &in.OfficerID, &in.Post, &in.Booth, &source, &lines, &in.Format, &in.Valid,
			&in.Document.IssuingState, &in.Document.Number, &in.Traveller.Surname, &in.Traveller.GivenNames,
			&in.Traveller.BirthDate, &in.Traveller.Nationality, &in.Sex, &in.Expiry, &at); err != nil {
			return nil, s.fail(err, "read undecided reads")
		}
		in.Source = app.DocumentSourceKind(source)
		json.Unmarshal([]byte(lines), &in.Lines) // written by RecordInspectionWith: a JSON array
		in.ReadAt = time.Unix(0, at)
		out = append(out, in)
	}
	return out, s.fail(rows.Err(), "read undecided reads")
}

// checkCrossing enforces what every stored crossing must have.
func checkCrossing(c app.Crossing) error {
	if c.ID != "" {
		if _, err := uuid.Parse(c.ID); err != nil {
			return app.Errorf(app.EINVALID, "Crossing id %q is not a UUID.", c.ID)
		}
	}
	switch c.Direction {
	case app.Entry, app.Exit:
	default:
		return app.Errorf(app.EINVALID, "A crossing is an entry or an exit, not %q.", c.Direction)
	}
	switch c.Decision {
	case app.Admit, app.Refer:
	case app.Refuse:
		if strings.TrimSpace(c.RefusalReason) == "" {
			return app.Errorf(app.EINVALID, "A refusal needs a reason code.")
		}
	default:
		return app.Errorf(app.EINVALID, "A decision is admit, refuse or refer, not %q.", c.Decision)
	}
	if c.Document.Number == "" || c.Document.IssuingState == "" {
		return app.Errorf(app.EINVALID, "A crossing needs the document's issuing state and number.")
	}
	if c.BoothTime.IsZero() {
		return app.Errorf(app.EINVALID, "A crossing needs the booth time of the decision.")
	}
	return nil
}

// History returns the crossings of the document or of the person (either key
// may be zero; a person needs at least surname and birth date), newest first, at
// most limit (0 means 100). A person's crossings on earlier documents are found
// through the person key. It does not write the "history_view" audit entry: the
// workflow does, with the purpose, through Audit.
// Errors: EINVALID when both keys are empty.
func (s *Store) History(ctx context.Context, doc app.DocumentKey, person app.TravellerKey, limit int) ([]app.Crossing, error) {
	if limit <= 0 {
		limit = 100
	}
	byDoc := doc.Number != "" && doc.IssuingState != ""
	byPerson := person.Surname != "" && person.BirthDate != ""
	if !byDoc && !byPerson {
		return nil, app.Errorf(app.EINVALID, "Travel history needs a document or a person.")
	}
	// The indexes end in seq, so these read the index alone; only the
	// crossings that make the cut are then read from the table, once each.
	var seqs []int64
	seen := map[int64]bool{}
	collect := func(stmt *sql.Stmt, args ...any) error {
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return err
			}
			if !seen[n] {
				seen[n] = true
				seqs = append(seqs, n)
			}
		}
		return rows.Err()
	}
	if byDoc {
		if err := collect(s.q.historyByDoc, docKey(doc.Number, doc.IssuingState), limit); err != nil {
			return nil, s.fail(err, "read history")
		}
	}
	if byPerson {
		if err := collect(s.q.historyByPerson, personKey(person.Surname, person.BirthDate, person.GivenNames, person.Nationality), limit); err != nil {
			return nil, s.fail(err, "read history")
		}
	}
	slices.Sort(seqs)
	slices.Reverse(seqs)
	if len(seqs) > limit {
		seqs = seqs[:limit]
	}
	if len(seqs) == 0 {
		return nil, nil
	}
	// One statement for all the rows: the seqs go in as a JSON array.
	list, _ := json.Marshal(seqs)
	at := make(map[int64]int, len(seqs))
	for i, n := range seqs {
		at[n] = i
	}
	out := make([]app.Crossing, len(seqs))
	rows, err := s.q.payloadsBySeq.QueryContext(ctx, string(list))
	if err != nil {
		return nil, s.fail(err, "read history")
	}
	defer rows.Close()
	var payload []byte
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n, &payload); err != nil {
			return nil, s.fail(err, "read history")
		}
		p, err := unpackPayload(payload)
		if err != nil {
			return nil, fmt.Errorf("store: crossing at seq %d: %w", n, err)
		}
		if out[at[n]], err = wire.DecodeCrossing(p); err != nil {
			return nil, fmt.Errorf("store: crossing at seq %d: %w", n, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(err, "read history")
	}
	// The keys are hashes (keys.go): keep only the crossings of the document
	// or person asked for (a collision is one chance in 2^64).
	kept := out[:0]
	for _, c := range out {
		d, p := c.Document, c.Traveller
		if byDoc && d.Number == doc.Number && d.IssuingState == doc.IssuingState ||
			byPerson && p.Surname == person.Surname && p.BirthDate == person.BirthDate &&
				p.GivenNames == person.GivenNames && p.Nationality == person.Nationality {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// Crossing returns one crossing by id. Errors: ENOTFOUND.
func (s *Store) Crossing(ctx context.Context, id string) (app.Crossing, error) {
	var payload []byte
	err := s.r.QueryRowContext(ctx, "SELECT payload FROM crossings WHERE id_key = ?", key(id)).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Crossing{}, app.Errorf(app.ENOTFOUND, "There is no crossing %s at this booth.", id)
	} else if err != nil {
		return app.Crossing{}, s.fail(err, "read crossing")
	}
	if payload, err = unpackPayload(payload); err != nil {
		return app.Crossing{}, fmt.Errorf("store: crossing %s: %w", id, err)
	}
	c, err := wire.DecodeCrossing(payload)
	if err != nil {
		return app.Crossing{}, fmt.Errorf("store: crossing %s: %w", id, err)
	}
	if c.ID != id { // another id with the same key: one chance in 2^64
		return app.Crossing{}, app.Errorf(app.ENOTFOUND, "There is no crossing %s at this booth.", id)
	}
	return c, nil
}

// Seed records the crossings next yields, batch at a time, each batch through
// DecideMany (crossing, outbox row and decision audit entry together). progress,
// when not nil, gets the running total after each batch. It returns how many
// were recorded. Errors as RecordCrossing, and ctx's error when cancelled.
func (s *Store) Seed(ctx context.Context, next func() (app.Crossing, bool), batch int, progress func(int)) (int, error) {
	if batch <= 0 {
		batch = 5000
	}
	done := 0
	buf := make([]app.Crossing, 0, batch)
	for {
		buf = buf[:0]
		for len(buf) < batch {
			c, ok := next()
			if !ok {
				break
			}
			buf = append(buf, c)
		}
		if len(buf) == 0 {
			return done, nil
		}
		if err := ctx.Err(); err != nil {
			return done, err
		}
		if _, err := s.DecideMany(ctx, buf); err != nil {
			return done, err
		}
		done += len(buf)
		if progress != nil {
			progress(done)
		}
	}
}
