package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/chekara/chekara/app"
)

// OpenShift starts a shift and audits it ("shift_open"). An empty ID gets one
// from NewID. Errors: ECONFLICT when the officer already has an open shift;
// EINVALID for an unknown officer, a missing post or booth, or a bad direction.
func (s *Store) OpenShift(ctx context.Context, sh app.Shift) error {
	if sh.Post == "" || sh.Booth == "" {
		return app.Errorf(app.EINVALID, "A shift needs a post and a booth.")
	}
	if sh.Direction != app.Entry && sh.Direction != app.Exit {
		return app.Errorf(app.EINVALID, "A shift works entry or exit, not %q.", sh.Direction)
	}
	if sh.ID == "" {
		sh.ID = s.NewID()
	}
	if sh.OpenedAt.IsZero() {
		sh.OpenedAt = s.clock.Now()
	}
	return s.write(ctx, "open shift", func(tx *sql.Tx) error {
		var known bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM officers WHERE id = ?)", sh.OfficerID).Scan(&known); err != nil {
			return err
		}
		if !known {
			return app.Errorf(app.EINVALID, "There is no officer %s at this booth.", sh.OfficerID)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO shifts (id, officer_id, post, booth, direction, opened_at) VALUES (?, ?, ?, ?, ?, ?)",
			sh.ID, sh.OfficerID, sh.Post, sh.Booth, string(sh.Direction), nanos(sh.OpenedAt))
		if isUnique(err) {
			return app.Errorf(app.ECONFLICT, "Officer %s already has an open shift; close it first.", sh.OfficerID)
		} else if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, app.AuditEntry{At: sh.OpenedAt, OfficerID: sh.OfficerID, Action: app.AuditShiftOpen, Subject: sh.ID,
			Detail: fmt.Sprintf(`{"post":%q,"booth":%q,"direction":%q}`, sh.Post, sh.Booth, sh.Direction)})
		return err
	})
}

// SetDirection changes an open shift's direction. Errors: EINVALID for a bad
// direction; ENOTFOUND when there is no such open shift.
func (s *Store) SetDirection(ctx context.Context, shiftID string, d app.Direction) error {
	if d != app.Entry && d != app.Exit {
		return app.Errorf(app.EINVALID, "A shift works entry or exit, not %q.", d)
	}
	return s.write(ctx, "set direction", func(tx *sql.Tx) error {
		var officer string
		err := tx.QueryRowContext(ctx, "UPDATE shifts SET direction = ? WHERE id = ? AND closed_at IS NULL RETURNING officer_id", string(d), shiftID).Scan(&officer)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "There is no open shift %s.", shiftID)
		} else if err != nil {
			return err
		}
		return nil
	})
}

// CloseShift ends an open shift, audits it ("shift_close" with the counts) and
// returns its counts. Errors: ENOTFOUND when there is no such open shift.
func (s *Store) CloseShift(ctx context.Context, shiftID string, at time.Time) (app.ShiftCounts, error) {
	if at.IsZero() {
		at = s.clock.Now()
	}
	var c app.ShiftCounts
	err := s.write(ctx, "close shift", func(tx *sql.Tx) error {
		var officer string
		err := tx.QueryRowContext(ctx, `UPDATE shifts SET closed_at = ? WHERE id = ? AND closed_at IS NULL
			RETURNING officer_id, inspections, admitted, refused, referred, hits, overrides, set_aside`, nanos(at), shiftID).
			Scan(&officer, &c.Inspections, &c.Admitted, &c.Refused, &c.Referred, &c.Hits, &c.Overrides, &c.SetAside)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "There is no open shift %s.", shiftID)
		} else if err != nil {
			return err
		}
		_, err = s.appendAudit(ctx, tx, app.AuditEntry{At: at, OfficerID: officer, Action: app.AuditShiftClose, Subject: shiftID,
			Detail: fmt.Sprintf(`{"inspections":%d,"admitted":%d,"refused":%d,"referred":%d,"hits":%d,"overrides":%d,"set_aside":%d}`,
				c.Inspections, c.Admitted, c.Refused, c.Referred, c.Hits, c.Overrides, c.SetAside)})
		return err
	})
	return c, err
}

// ShiftCounts returns a shift's counts so far, open or closed.
// Errors: ENOTFOUND when there is no such shift.
func (s *Store) ShiftCounts(ctx context.Context, shiftID string) (app.ShiftCounts, error) {
	var c app.ShiftCounts
	err := s.r.QueryRowContext(ctx, `SELECT inspections, admitted, refused, referred, hits, overrides, set_aside
		FROM shifts WHERE id = ?`, shiftID).Scan(&c.Inspections, &c.Admitted, &c.Refused, &c.Referred, &c.Hits, &c.Overrides, &c.SetAside)
	if errors.Is(err, sql.ErrNoRows) {
		return c, app.Errorf(app.ENOTFOUND, "There is no shift %s.", shiftID)
	}
	return c, s.fail(err, "read shift counts")
}

// OpenShiftOf returns the officer's open shift. Errors: ENOTFOUND if none.
func (s *Store) OpenShiftOf(ctx context.Context, officerID string) (app.Shift, error) {
	var sh app.Shift
	var dir string
	var opened int64
	err := s.r.QueryRowContext(ctx, "SELECT id, officer_id, post, booth, direction, opened_at FROM shifts WHERE officer_id = ? AND closed_at IS NULL", officerID).
		Scan(&sh.ID, &sh.OfficerID, &sh.Post, &sh.Booth, &dir, &opened)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Shift{}, app.Errorf(app.ENOTFOUND, "Officer %s has no open shift.", officerID)
	} else if err != nil {
		return app.Shift{}, s.fail(err, "read shift")
	}
	sh.Direction = app.Direction(dir)
	sh.OpenedAt = fromNanos(opened)
	return sh, nil
}
