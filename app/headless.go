package app

import (
	"context"
	"fmt"
	"strings"
)

// FromHeadless is a document given on stdin to `bmis inspect`.
const FromHeadless DocumentSourceKind = "headless"

// SignInHeadless makes officerID the booth's officer without a password, for
// `bmis inspect`: the officer must be in the booth's directory, active and of
// a booth role. The sign-in is audited as headless, and every crossing the
// session decides is marked headless in its decision's audit entry
// (Crossing.Headless). Returns EINVALID for an empty id, EUNAUTHORIZED for an
// officer who is unknown, disabled or of an HQ role.
func (b *Booth) SignInHeadless(ctx context.Context, officerID string) (Session, error) {
	officerID = strings.TrimSpace(officerID)
	if officerID == "" {
		return Session{}, Errork(EINVALID, "err.need_officer_id", "Type your officer id.")
	}
	o, err := b.Officers.Officer(ctx, officerID)
	if ErrorCode(err) == ENOTFOUND {
		return Session{}, Errorf(EUNAUTHORIZED, "Officer %s is not in this booth's directory.", officerID)
	} else if err != nil {
		return Session{}, err
	}
	if o.Disabled {
		return Session{}, Errork(EUNAUTHORIZED, "err.officer_disabled", "This officer account is disabled.")
	}
	if !o.Role.AtBooth() {
		return Session{}, Errork(EUNAUTHORIZED, "err.hq_role", "A %s signs in at HQ, not at a booth.", o.Role)
	}
	if err := b.audit(ctx, o.ID, AuditSignIn, o.ID, `{"headless":true}`); err != nil {
		return Session{}, err
	}
	shift, err := b.Shifts.OpenShiftOf(ctx, o.ID)
	hasShift := err == nil
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return Session{}, fmt.Errorf("open shift of %s: %w", o.ID, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.current = nil
	b.seq++
	b.officer, b.signedIn, b.locked, b.headless = o, true, false, true
	b.shift, b.hasShift = shift, hasShift
	return b.sessionLocked(), nil
}

func (b *Booth) isHeadless() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.headless
}
