package app

import (
	"context"
	"fmt"
)

// OnSessionEnded sets f to be called when the booth ends the signed-in
// officer's session itself (OfficersChanged), with the sentence the officer
// reads. It is called on the goroutine that applied the change (the HQ link's),
// never the UI's: the window hands it on with fyne.Do.
func (b *Booth) OnSessionEnded(f func(reason *Error)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onEnded = f
}

// OfficersChanged tells the booth its officer register changed under it (HQ's
// directory was applied). A signed-in officer the register now refuses —
// disabled at HQ, taken off this post (the booth disables officers its
// directory no longer names), or given one of HQ's roles — is signed out at
// once, locked or not: the sign-out is audited with the reason, their shift
// stays open as after any sign-out, and OnSessionEnded tells the window. An
// officer still allowed keeps the session with their name and role as HQ now
// has them (a trainee's decisions are marked training from the next one).
// Errors: the register's or the audit's read and write failures; the session
// then stays, and the next change checks it again.
func (b *Booth) OfficersChanged(ctx context.Context) error {
	b.mu.Lock()
	cur, ok := b.officer, b.signedIn
	b.mu.Unlock()
	if !ok {
		return nil
	}
	o, err := b.Officers.Officer(ctx, cur.ID)
	var reason *Error
	switch {
	case ErrorCode(err) == ENOTFOUND || err == nil && o.Disabled:
		reason = Errork(EUNAUTHORIZED, "err.session_ended_disabled",
			"Officer %s was disabled at HQ or taken off this post: the session has ended. Call the post's administrator.", cur.ID)
	case err != nil:
		return fmt.Errorf("recheck officer %s: %w", cur.ID, err)
	case !o.Role.AtBooth():
		reason = Errork(EUNAUTHORIZED, "err.session_ended_role",
			"Officer %s is now a %s, who signs in at HQ: the session has ended.", cur.ID, o.Role)
	}
	if reason == nil {
		b.mu.Lock()
		if b.signedIn && b.officer.ID == o.ID {
			b.officer.Name, b.officer.Role = o.Name, o.Role
		}
		b.mu.Unlock()
		return nil
	}
	if err := b.audit(ctx, cur.ID, AuditSignOut, cur.ID, fmt.Sprintf(`{"reason":%q}`, "officer_refused_by_hq")); err != nil {
		return err
	}
	b.mu.Lock()
	if !b.signedIn || b.officer.ID != cur.ID { // signed out or switched meanwhile
		b.mu.Unlock()
		return nil
	}
	b.officer, b.signedIn, b.locked = Officer{}, false, false
	b.shift, b.hasShift = Shift{}, false
	b.current = nil
	b.seq++
	f := b.onEnded
	b.mu.Unlock()
	if f != nil {
		f(reason)
	}
	return nil
}
