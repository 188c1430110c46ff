package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
	"github.com/google/uuid"
)

// Supervision at the booth (issue 17, migration 0007): the review of a
// shift's reads and records, the secondary queue, and the records of
// supervision — referral outcomes, sign-offs, refusal confirmations — each
// stored with its outbox row and audit entry in one transaction, as a
// crossing is.

var _ app.Supervision = (*Store)(nil)

// metaConfirmRefusals is the meta key of PostSettings.ConfirmRefusals.
const metaConfirmRefusals = "post_confirm_refusals"

// PostShifts returns the shifts of post this booth holds, newest first, at
// most limit (0: 200), with their officer's name, counts and whether a
// supervisor signed them off. Errors: only read failures.
func (s *Store) PostShifts(ctx context.Context, post string, limit int) ([]app.ShiftInfo, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.r.QueryContext(ctx, shiftInfoSQL+` WHERE sh.post = ? ORDER BY sh.opened_at DESC LIMIT ?`, post, limit)
	if err != nil {
		return nil, s.fail(err, "read shifts")
	}
	defer rows.Close()
	var out []app.ShiftInfo
	for rows.Next() {
		si, err := scanShiftInfo(rows)
		if err != nil {
			return nil, s.fail(err, "read shifts")
		}
		out = append(out, si)
	}
	return out, s.fail(rows.Err(), "read shifts")
}

const shiftInfoSQL = `SELECT sh.id, sh.officer_id, COALESCE(o.name, ''), sh.post, sh.booth, sh.direction, sh.opened_at, COALESCE(sh.closed_at, 0),
	sh.inspections, sh.admitted, sh.refused, sh.referred, sh.hits, sh.overrides, sh.set_aside,
	EXISTS (SELECT 1 FROM supervision v WHERE v.shift_id = sh.id AND v.kind = 'sign_off')
	FROM shifts sh LEFT JOIN officers o ON o.id = sh.officer_id`

func scanShiftInfo(r interface{ Scan(...any) error }) (app.ShiftInfo, error) {
	var si app.ShiftInfo
	var dir string
	var opened, closed int64
	c := &si.Counts
	err := r.Scan(&si.ID, &si.OfficerID, &si.OfficerName, &si.Post, &si.Booth, &dir, &opened, &closed,
		&c.Inspections, &c.Admitted, &c.Refused, &c.Referred, &c.Hits, &c.Overrides, &c.SetAside, &si.SignedOff)
	si.Direction = app.Direction(dir)
	si.OpenedAt = fromNanos(opened)
	if closed != 0 {
		si.ClosedAt = fromNanos(closed)
	}
	return si, err
}

// ShiftRecord returns one shift with its reads in order (photos not loaded:
// Photos says which have one), its crossings and set-aside reads, and the
// supervision records linked to it. Errors: ENOTFOUND for an unknown shift.
func (s *Store) ShiftRecord(ctx context.Context, shiftID string) (app.ShiftRecord, error) {
	var rec app.ShiftRecord
	si, err := scanShiftInfo(s.r.QueryRowContext(ctx, shiftInfoSQL+` WHERE sh.id = ?`, shiftID))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, app.Errorf(app.ENOTFOUND, "There is no shift %s at this booth.", shiftID)
	} else if err != nil {
		return rec, s.fail(err, "read shift")
	}
	rec.Info = si
	// One read transaction: the reads, records and supervision agree.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rec, s.fail(err, "read shift")
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.shift_id, i.officer_id, i.post, i.booth, i.source, i.lines, i.format, i.valid,
		i.doc_state, i.doc_number, i.surname, i.given_names, i.birth_date, i.nationality, i.sex, i.expiry, i.read_at,
		EXISTS (SELECT 1 FROM photos p WHERE p.inspection_id = i.id),
		EXISTS (SELECT 1 FROM pages g WHERE g.inspection_id = i.id)
		FROM inspections i WHERE i.shift_id = ? ORDER BY i.read_at, i.id`, shiftID)
	if err != nil {
		return rec, s.fail(err, "read shift's reads")
	}
	rec.Photos, rec.Pages = map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var in app.Inspection
		var source, lines string
		var at int64
		var photo, page bool
		if err := rows.Scan(&in.ID, &in.ShiftID, &in.OfficerID, &in.Post, &in.Booth, &source, &lines, &in.Format, &in.Valid,
			&in.Document.IssuingState, &in.Document.Number, &in.Traveller.Surname, &in.Traveller.GivenNames,
			&in.Traveller.BirthDate, &in.Traveller.Nationality, &in.Sex, &in.Expiry, &at, &photo, &page); err != nil {
			rows.Close()
			return rec, s.fail(err, "read shift's reads")
		}
		in.Source = app.DocumentSourceKind(source)
		json.Unmarshal([]byte(lines), &in.Lines) // a JSON array, written by RecordInspectionWith
		in.ReadAt = time.Unix(0, at)
		rec.Photos[in.ID], rec.Pages[in.ID] = photo, page
		rec.Inspections = append(rec.Inspections, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rec, s.fail(err, "read shift's reads")
	}
	rows, err = tx.QueryContext(ctx, `SELECT r.seq, c.payload, a.payload FROM shift_records r
		LEFT JOIN crossings c ON c.seq = r.seq LEFT JOIN set_asides a ON a.seq = r.seq
		WHERE r.shift_id = ? ORDER BY r.seq`, shiftID)
	if err != nil {
		return rec, s.fail(err, "read shift's records")
	}
	for rows.Next() {
		var seq int64
		var cp, ap []byte
		if err := rows.Scan(&seq, &cp, &ap); err != nil {
			rows.Close()
			return rec, s.fail(err, "read shift's records")
		}
		switch {
		case cp != nil:
			p, err := unpackPayload(cp)
			if err == nil {
				var c app.Crossing
				if c, err = wire.DecodeCrossing(p); err == nil {
					rec.Crossings = append(rec.Crossings, c)
				}
			}
			if err != nil {
				rows.Close()
				return rec, fmt.Errorf("store: crossing at seq %d: %w", seq, err)
			}
		case ap != nil:
			a, err := wire.DecodeSetAside(ap)
			if err != nil {
				rows.Close()
				return rec, fmt.Errorf("store: set-aside read at seq %d: %w", seq, err)
			}
			rec.SetAsides = append(rec.SetAsides, a)
		} // neither: purged
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rec, s.fail(err, "read shift's records")
	}
	rows, err = tx.QueryContext(ctx, `SELECT seq, kind, payload FROM supervision WHERE shift_id = ? ORDER BY seq`, shiftID)
	if err != nil {
		return rec, s.fail(err, "read shift's supervision")
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var kind string
		var p []byte
		if err := rows.Scan(&seq, &kind, &p); err != nil {
			return rec, s.fail(err, "read shift's supervision")
		}
		if err := addSupervision(&rec, kind, p); err != nil {
			return rec, fmt.Errorf("store: %s at seq %d: %w", kind, seq, err)
		}
	}
	return rec, s.fail(rows.Err(), "read shift's supervision")
}

// addSupervision decodes one supervision record into rec.
func addSupervision(rec *app.ShiftRecord, kind string, p []byte) error {
	switch kind {
	case wire.KindReferralOutcome:
		o, err := wire.DecodeOutcome(p)
		if err != nil {
			return err
		}
		rec.Outcomes = append(rec.Outcomes, o)
	case wire.KindRefusalConfirmation:
		c, err := wire.DecodeConfirmation(p)
		if err != nil {
			return err
		}
		rec.Confirmations = append(rec.Confirmations, c)
	case wire.KindSignOff:
		so, err := wire.DecodeSignOff(p)
		if err != nil {
			return err
		}
		rec.SignOff = &so
	}
	return nil
}

// InspectionPhoto returns the face photo recorded with a read. Errors:
// ENOTFOUND when it has none.
func (s *Store) InspectionPhoto(ctx context.Context, inspectionID string) ([]byte, error) {
	p, err := s.Photo(ctx, inspectionID)
	return p.JPEG, err
}

// InspectionPage returns the document page image recorded with a read.
// Errors: ENOTFOUND when it has none.
func (s *Store) InspectionPage(ctx context.Context, inspectionID string) ([]byte, error) {
	return s.Page(ctx, inspectionID)
}

// SecondaryQueue returns the real (not training) referrals of post held at
// this booth, decided since a time, that have no outcome yet, oldest first.
// Errors: read failures.
func (s *Store) SecondaryQueue(ctx context.Context, post string, since time.Time) ([]app.Crossing, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.seq, c.payload FROM shift_records r JOIN crossings c ON c.seq = r.seq
		WHERE r.post = ? AND r.decision = 'refer' AND c.booth_time >= ? AND NOT EXISTS (
			SELECT 1 FROM supervision v WHERE v.kind = 'referral_outcome' AND v.crossing_id = r.crossing_id)
		ORDER BY r.seq`, post, since.UnixNano())
	if err != nil {
		return nil, s.fail(err, "read secondary queue")
	}
	defer rows.Close()
	var out []app.Crossing
	for rows.Next() {
		var seq int64
		var p []byte
		if err := rows.Scan(&seq, &p); err != nil {
			return nil, s.fail(err, "read secondary queue")
		}
		if p, err = unpackPayload(p); err != nil {
			return nil, fmt.Errorf("store: crossing at seq %d: %w", seq, err)
		}
		c, err := wire.DecodeCrossing(p)
		if err != nil {
			return nil, fmt.Errorf("store: crossing at seq %d: %w", seq, err)
		}
		out = append(out, c)
	}
	return out, s.fail(rows.Err(), "read secondary queue")
}

// Referral returns a crossing and its recorded outcome (nil when none).
// Errors: ENOTFOUND for a crossing this booth does not hold.
func (s *Store) Referral(ctx context.Context, crossingID string) (app.Crossing, *app.Outcome, error) {
	c, err := s.Crossing(ctx, crossingID)
	if err != nil {
		return app.Crossing{}, nil, err
	}
	o, err := s.OutcomeOf(ctx, crossingID)
	if err != nil {
		return app.Crossing{}, nil, err
	}
	return c, o, nil
}

// OutcomeOf returns the outcome recorded at this booth for a referral
// (whichever booth referred it), nil when none. Errors: read failures.
func (s *Store) OutcomeOf(ctx context.Context, crossingID string) (*app.Outcome, error) {
	var p []byte
	err := s.r.QueryRowContext(ctx, `SELECT payload FROM supervision WHERE kind = 'referral_outcome' AND crossing_id = ?`, crossingID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, s.fail(err, "read referral outcome")
	}
	o, err := wire.DecodeOutcome(p)
	if err != nil {
		return nil, fmt.Errorf("store: outcome of %s: %w", crossingID, err)
	}
	return &o, nil
}

// Acknowledged reports whether HQ has acknowledged this booth's crossing or
// supervision record id (its seq is at or below the sent mark). Errors: read
// failures; an id this booth does not hold is not acknowledged.
func (s *Store) Acknowledged(ctx context.Context, recordID string) (bool, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT seq FROM shift_records WHERE crossing_id = ? AND crossing_id <> ''
		UNION ALL SELECT seq FROM supervision WHERE id = ? LIMIT 1`, recordID, recordID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, s.fail(err, "read record")
	}
	sent, err := s.SentMark(ctx)
	return err == nil && seq <= sent, err
}

// supervisionDetail is the audit detail of a supervision record.
type supervisionDetail struct {
	Seq         int64  `json:"seq"`
	Shift       string `json:"shift,omitempty"`
	Crossing    string `json:"crossing,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	Confirmed   *bool  `json:"confirmed,omitempty"`
	payloadHash        // of the record HQ receives (records.go)
}

// record is one supervision record on its way in.
type record struct {
	id, kind, shift, crossing, officer string
	at                                 time.Time
	action                             app.AuditAction
	payload                            []byte
	detail                             supervisionDetail
	conflict                           string // the sentence of ECONFLICT when the unique index refuses it
	check                              func(ctx context.Context, tx *sql.Tx) error
}

func (s *Store) putSupervision(ctx context.Context, r record) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := uuid.Parse(r.id); err != nil {
		return app.Errorf(app.EINVALID, "Record id %q is not a UUID.", r.id)
	}
	if r.at.IsZero() {
		return app.Errorf(app.EINVALID, "A %s needs the booth time.", r.kind)
	}
	s.noteID(r.id)
	err := s.write(ctx, "record "+r.kind, func(tx *sql.Tx) error {
		if r.check != nil {
			if err := r.check(ctx, tx); err != nil {
				return err
			}
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO outbox (kind, record_id, created_at) VALUES (?, ?, ?) RETURNING seq",
			r.kind, r.id, s.clock.Now().UnixNano()).Scan(&seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO supervision (seq, id, kind, shift_id, crossing_id, booth_time, payload)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, seq, r.id, r.kind, r.shift, r.crossing, r.at.UnixNano(), r.payload)
		if isUnique(err) {
			return app.Errorf(app.ECONFLICT, "%s", r.conflict)
		} else if err != nil {
			return err
		}
		r.detail.Seq, r.detail.payloadHash = seq, hashOf(r.payload)
		detail, _ := json.Marshal(r.detail)
		_, err = s.appendAudit(ctx, tx, app.AuditEntry{At: r.at, OfficerID: r.officer, Action: r.action, Subject: r.id, Detail: string(detail)})
		return err
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

// RecordOutcome stores a referral's outcome, its outbox row and its
// "referral_outcome" audit entry in one transaction. Errors: EINVALID for an
// outcome other than admitted or refused, a refusal without a reason, or a
// crossing this booth holds that is not a referral; ECONFLICT when the
// referral has an outcome already.
func (s *Store) RecordOutcome(ctx context.Context, o app.Outcome) error {
	switch {
	case o.CrossingID == "":
		return app.Errorf(app.EINVALID, "An outcome names its referral.")
	case o.Outcome != app.ReferralAdmitted && o.Outcome != app.ReferralRefused:
		return app.Errorf(app.EINVALID, "An outcome is admitted or refused, not %q.", o.Outcome)
	case o.Outcome == app.ReferralRefused && strings.TrimSpace(o.Reason) == "":
		return app.Errorf(app.EINVALID, "A refusal after secondary inspection needs a reason code.")
	}
	o.At = o.At.Round(0)
	return s.putSupervision(ctx, record{id: o.ID, kind: wire.KindReferralOutcome, shift: o.ShiftID, crossing: o.CrossingID,
		officer: o.OfficerID, at: o.At, action: app.AuditReferral, payload: wire.EncodeOutcome(o),
		detail:   supervisionDetail{Shift: o.ShiftID, Crossing: o.CrossingID, Outcome: string(o.Outcome)},
		conflict: fmt.Sprintf("Referral %s has its outcome already.", o.CrossingID),
		check: func(ctx context.Context, tx *sql.Tx) error {
			var decision string
			err := tx.QueryRowContext(ctx, "SELECT decision FROM shift_records WHERE crossing_id = ? AND crossing_id <> '' LIMIT 1", o.CrossingID).Scan(&decision)
			if err == nil && decision != string(app.Refer) {
				return app.Errorf(app.EINVALID, "Crossing %s was not referred to secondary inspection.", o.CrossingID)
			} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return nil
		}})
}

// SignOff stores a supervisor's sign-off of a shift, its outbox row and its
// "sign_off" audit entry in one transaction. Errors: EINVALID without a
// comment or a supervisor; ENOTFOUND for a shift this booth does not hold;
// ECONFLICT for an open shift or one signed off already.
func (s *Store) SignOff(ctx context.Context, so app.SignOff) error {
	if strings.TrimSpace(so.Comment) == "" || so.SupervisorID == "" {
		return app.Errorf(app.EINVALID, "A sign-off needs the supervisor and a comment.")
	}
	so.At = so.At.Round(0)
	return s.putSupervision(ctx, record{id: so.ID, kind: wire.KindSignOff, shift: so.ShiftID,
		officer: so.SupervisorID, at: so.At, action: app.AuditSignOff, payload: wire.EncodeSignOff(so),
		detail:   supervisionDetail{Shift: so.ShiftID},
		conflict: fmt.Sprintf("Shift %s is signed off already.", so.ShiftID),
		check: func(ctx context.Context, tx *sql.Tx) error {
			var closed sql.NullInt64
			err := tx.QueryRowContext(ctx, "SELECT closed_at FROM shifts WHERE id = ?", so.ShiftID).Scan(&closed)
			if errors.Is(err, sql.ErrNoRows) {
				return app.Errorf(app.ENOTFOUND, "There is no shift %s at this booth.", so.ShiftID)
			} else if err != nil {
				return err
			}
			if !closed.Valid {
				return app.Errorf(app.ECONFLICT, "Shift %s is still open.", so.ShiftID)
			}
			return nil
		}})
}

// ConfirmRefusal stores a supervisor's word on a refusal, its outbox row and
// its "refusal_confirmation" audit entry in one transaction. Errors:
// EINVALID for a crossing this booth holds that is not a refusal, or not
// confirming without a note; ECONFLICT when the refusal has one already.
func (s *Store) ConfirmRefusal(ctx context.Context, c app.RefusalConfirmation) error {
	if c.CrossingID == "" || c.SupervisorID == "" {
		return app.Errorf(app.EINVALID, "A refusal confirmation names the refusal and the supervisor.")
	}
	if !c.Confirmed && strings.TrimSpace(c.Note) == "" {
		return app.Errorf(app.EINVALID, "A refusal not confirmed needs the supervisor's note.")
	}
	c.At = c.At.Round(0)
	confirmed := c.Confirmed
	return s.putSupervision(ctx, record{id: c.ID, kind: wire.KindRefusalConfirmation, shift: c.ShiftID, crossing: c.CrossingID,
		officer: c.SupervisorID, at: c.At, action: app.AuditRefusalConfirmation, payload: wire.EncodeConfirmation(c),
		detail:   supervisionDetail{Shift: c.ShiftID, Crossing: c.CrossingID, Confirmed: &confirmed},
		conflict: fmt.Sprintf("Refusal %s has a supervisor's word already.", c.CrossingID),
		check: func(ctx context.Context, tx *sql.Tx) error {
			var decision string
			err := tx.QueryRowContext(ctx, "SELECT decision FROM shift_records WHERE crossing_id = ? AND crossing_id <> '' LIMIT 1", c.CrossingID).Scan(&decision)
			if err == nil && decision != string(app.Refuse) {
				return app.Errorf(app.EINVALID, "Crossing %s is not a refusal.", c.CrossingID)
			} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return nil
		}})
}

// PostSettings returns the post's settings as this booth holds them.
func (s *Store) PostSettings(ctx context.Context) (app.PostSettings, error) {
	v, err := s.meta(ctx, s.r, metaConfirmRefusals)
	if err != nil {
		return app.PostSettings{}, s.fail(err, "read post settings")
	}
	return app.PostSettings{ConfirmRefusals: v == "1"}, nil
}

// SetPostSettings changes the post's settings and audits the change
// ("post_setting", by officerID) in one transaction.
func (s *Store) SetPostSettings(ctx context.Context, ps app.PostSettings, officerID string, at time.Time) error {
	if err := s.writable(); err != nil {
		return err
	}
	if at.IsZero() {
		at = s.clock.Now()
	}
	v := "0"
	if ps.ConfirmRefusals {
		v = "1"
	}
	return s.write(ctx, "set post settings", func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, metaConfirmRefusals, v); err != nil {
			return err
		}
		_, err := s.appendAudit(ctx, tx, app.AuditEntry{At: at, OfficerID: officerID, Action: app.AuditPostSetting,
			Subject: "confirm_refusals", Detail: fmt.Sprintf(`{"confirm_refusals":%t}`, ps.ConfirmRefusals)})
		return err
	})
}
