package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Booth is the inspection workflow of one booth: who is signed in, their shift,
// the document on screen and its hits, and the decision. The UI calls it and
// draws what it returns; it never reaches a device, the store or HQ itself.
//
// A Booth is safe for concurrent use: the reader goroutine presents documents
// while the UI resolves hits and decides.
type Booth struct {
	Clock    Clock
	Records  Records
	Officers Officers
	Shifts   Shifts
	MRZ      MRZParser
	Lists    Screener       // nil: no lists loaded (the screen says so)
	Rules    StayRules      // nil: no stay rules loaded
	Sync     SyncStatus     // nil: the booth works alone
	Faces    FaceCamera     // nil: no camera for the traveller's photo
	Chip     ChipReader     // nil: no chip reader (the view's Chip stays nil)
	Reasons  RefusalReasons // empty: any non-empty code is accepted
	// ListsVersion and RulesVersion are the data the booth started with; the
	// status bar shows them until sync reports newer ones.
	ListsVersion, RulesVersion Version
	// Post and BoothID are this booth's defaults for a new shift.
	Post, BoothID string
	// National asks HQ for the traveller's crossings at every post at each
	// swipe, in parallel with the local look-up; nil: this booth's history
	// only. NationalWait is how long the booth waits for it (default
	// DefaultNationalWait) before the screen says it is unavailable.
	National     NationalHistory
	NationalWait time.Duration
	// OpenStays is the open-stays feed from HQ, for an exit while the link is
	// down; nil: none.
	OpenStays OpenStays
	// HistoryLimit caps the crossings fetched per traveller (default 200).
	HistoryLimit int
	// NewID makes record ids (default UUIDv7).
	NewID func() string
	// Admin is the booth's administration (reader, camera, link, backup,
	// audit: admin.go); nil: none (the screen says so).
	Admin Administration
	// IdleLock locks the booth after this long on Clock without the officer
	// acting (see Touch); 0 never.
	IdleLock time.Duration
	// Supervision keeps the shift review, secondary outcomes, sign-offs and
	// the post's settings (review.go); nil: none. PostHQ asks HQ for the
	// post's other booths' shifts; nil: this booth's only.
	Supervision Supervision
	PostHQ      PostRecords
	// SecondaryWindow is how far back the secondary queue looks (default
	// DefaultSecondaryWindow).
	SecondaryWindow time.Duration

	mu        sync.Mutex
	officer   Officer
	signedIn  bool
	headless  bool // signed in by SignInHeadless (headless.go)
	locked    bool
	shift     Shift
	hasShift  bool
	current   *InspectionView
	seq       uint64 // bumped per presented document, so a slow read never overwrites a newer one
	onUpdate  func(*InspectionView)
	lastDecAt time.Time
	reader    DeviceState
	camera    DeviceState
	lastAct   time.Time // the officer's last action, for IdleLock
	idleTimer Timer     // armed while signed in and unlocked; nil otherwise
	onIdle    func(error)
	onEnded   func(*Error) // OnSessionEnded
}

// Session is who works the booth now.
type Session struct {
	Officer  Officer
	SignedIn bool
	Locked   bool
	Shift    Shift
	HasShift bool
	Training bool // a trainee: decisions are marked training
}

func (b *Booth) now() time.Time {
	if b.Clock == nil {
		return time.Now()
	}
	return b.Clock.Now()
}

func (b *Booth) newID() string {
	if b.NewID != nil {
		return b.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

// Session returns who is signed in and their shift.
func (b *Booth) Session() Session {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessionLocked()
}

func (b *Booth) sessionLocked() Session {
	return Session{Officer: b.officer, SignedIn: b.signedIn, Locked: b.locked,
		Shift: b.shift, HasShift: b.hasShift, Training: b.officer.Role == RoleTrainee}
}

// SignIn checks the officer's id and password (Officers records the attempt)
// and makes them the booth's officer, resuming their open shift if they have
// one. Signing in while another officer is signed in switches officers: the
// other officer is signed out (their shift stays open) and the document on
// screen is cleared. Returns EINVALID for an empty id, and Authenticate's
// EUNAUTHORIZED or ELOCKED.
func (b *Booth) SignIn(ctx context.Context, officerID, password string) (Session, error) {
	officerID = strings.TrimSpace(officerID)
	if officerID == "" {
		return Session{}, Errork(EINVALID, "err.need_officer_id", "Type your officer id.")
	}
	o, err := b.Officers.Authenticate(ctx, officerID, password)
	if err != nil {
		return Session{}, err
	}
	if o.Disabled {
		return Session{}, Errork(EUNAUTHORIZED, "err.officer_disabled", "This officer account is disabled.")
	}
	if !o.Role.AtBooth() {
		// HQ's roles (analyst, auditor, hq-admin) work at HQ, whatever a store holds.
		return Session{}, Errork(EUNAUTHORIZED, "err.hq_role", "A %s signs in at HQ, not at a booth.", o.Role)
	}
	shift, err := b.Shifts.OpenShiftOf(ctx, o.ID)
	hasShift := err == nil
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return Session{}, fmt.Errorf("open shift of %s: %w", o.ID, err)
	}

	b.mu.Lock()
	prev, had := b.officer, b.signedIn
	b.mu.Unlock()
	if had && prev.ID != o.ID {
		if err := b.audit(ctx, prev.ID, AuditSignOut, prev.ID, `{"reason":"switch_officer"}`); err != nil {
			return Session{}, err
		}
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if !had || prev.ID != o.ID {
		b.current = nil
		b.seq++
	}
	b.officer, b.signedIn, b.locked, b.headless = o, true, false, false
	b.shift, b.hasShift = shift, hasShift
	b.touchLocked()
	return b.sessionLocked(), nil
}

// SignOut ends the officer's session; their shift stays open until closed.
func (b *Booth) SignOut(ctx context.Context) error {
	b.mu.Lock()
	o, ok := b.officer, b.signedIn
	b.mu.Unlock()
	if !ok {
		return nil
	}
	if err := b.audit(ctx, o.ID, AuditSignOut, o.ID, `{}`); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.officer, b.signedIn, b.locked = Officer{}, false, false
	b.shift, b.hasShift = Shift{}, false
	b.current = nil
	b.seq++
	return nil
}

// Lock hides the booth until the officer's password is typed again (on demand
// or after the idle time). The document on screen is kept. Returns EUNAUTHORIZED
// when nobody is signed in.
func (b *Booth) Lock(ctx context.Context, reason string) error {
	b.mu.Lock()
	o, ok, locked := b.officer, b.signedIn, b.locked
	b.mu.Unlock()
	if !ok {
		return Errork(EUNAUTHORIZED, "err.nobody_signed_in", "Nobody is signed in.")
	}
	if locked {
		return nil
	}
	if err := b.audit(ctx, o.ID, AuditLock, o.ID, fmt.Sprintf(`{"reason":%q}`, reason)); err != nil {
		return err
	}
	b.mu.Lock()
	b.locked = true
	b.mu.Unlock()
	return nil
}

// Unlock reopens a locked booth for the same officer. Another officer unlocks by
// signing in (SignIn), which switches officers. Returns Authenticate's errors.
func (b *Booth) Unlock(ctx context.Context, password string) (Session, error) {
	b.mu.Lock()
	o, ok := b.officer, b.signedIn
	b.mu.Unlock()
	if !ok {
		return Session{}, Errork(EUNAUTHORIZED, "err.nobody_signed_in", "Nobody is signed in.")
	}
	if _, err := b.Officers.Authenticate(ctx, o.ID, password); err != nil {
		return Session{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.locked = false
	b.touchLocked()
	return b.sessionLocked(), nil
}

// Touch tells the booth the officer acted (a key, a click, a document read):
// the idle lock counts IdleLock from now.
func (b *Booth) Touch() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.touchLocked()
}

// OnIdleLock sets f to be called, on a timer's goroutine, when the booth has
// locked itself after IdleLock without the officer acting (err nil), or
// failed to (err from Lock). The UI shows its lock screen.
func (b *Booth) OnIdleLock(f func(err error)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onIdle = f
}

// touchLocked notes an action and arms the idle timer if it is not armed; a
// timer that fires early (the officer acted since) re-arms itself for the rest.
func (b *Booth) touchLocked() {
	b.lastAct = b.now()
	if b.IdleLock > 0 && b.signedIn && !b.locked && b.idleTimer == nil {
		b.idleTimer = AfterFunc(b.Clock, b.IdleLock, b.idleCheck)
	}
}

func (b *Booth) idleCheck() {
	b.mu.Lock()
	b.idleTimer = nil
	if !b.signedIn || b.locked || b.IdleLock <= 0 {
		b.mu.Unlock()
		return
	}
	if left := b.lastAct.Add(b.IdleLock).Sub(b.now()); left > 0 {
		b.idleTimer = AfterFunc(b.Clock, left, b.idleCheck)
		b.mu.Unlock()
		return
	}
	f := b.onIdle
	b.mu.Unlock()
	err := b.Lock(context.Background(), "idle")
	if f != nil {
		f(err)
	}
}

// SetLanguage changes the signed-in officer's language ("ky", "ru", "en") and
// saves it with the officer. Returns EINVALID for another language.
func (b *Booth) SetLanguage(ctx context.Context, lang string) error {
	switch lang {
	case "ky", "ru", "en":
	default:
		return Errork(EINVALID, "err.unknown_language", "Unknown language %q.", lang)
	}
	b.mu.Lock()
	o, ok := b.officer, b.signedIn
	b.mu.Unlock()
	if !ok {
		return Errork(EUNAUTHORIZED, "err.nobody_signed_in", "Nobody is signed in.")
	}
	o.Language = lang
	if err := b.Officers.SaveOfficer(ctx, o, ""); err != nil {
		return fmt.Errorf("save language: %w", err)
	}
	b.mu.Lock()
	if b.officer.ID == o.ID {
		b.officer.Language = lang
	}
	b.mu.Unlock()
	return nil
}

// OpenShift starts the signed-in officer's shift at post and booth in direction
// d. Returns EINVALID for a missing post, booth or direction, ECONFLICT when a
// shift is already open, EUNAUTHORIZED when nobody is signed in or the booth is
// locked.
func (b *Booth) OpenShift(ctx context.Context, post, booth string, d Direction) (Shift, error) {
	o, err := b.active()
	if err != nil {
		return Shift{}, err
	}
	post, booth = strings.TrimSpace(post), strings.TrimSpace(booth)
	if post == "" || booth == "" {
		return Shift{}, Errork(EINVALID, "err.need_post_booth", "Give the post and the booth.")
	}
	if d != Entry && d != Exit {
		return Shift{}, Errork(EINVALID, "err.need_direction", "Choose entry or exit.")
	}
	b.mu.Lock()
	has := b.hasShift
	b.mu.Unlock()
	if has {
		return Shift{}, Errork(ECONFLICT, "err.shift_already_open", "A shift is already open; close it first.")
	}
	s := Shift{ID: b.newID(), OfficerID: o.ID, Post: post, Booth: booth, Direction: d, OpenedAt: b.now()}
	if err := b.Shifts.OpenShift(ctx, s); err != nil {
		return Shift{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shift, b.hasShift = s, true
	return s, nil
}

// SetDirection changes the open shift's direction. Returns ECONFLICT without an
// open shift, EINVALID for another direction.
func (b *Booth) SetDirection(ctx context.Context, d Direction) error {
	if _, err := b.active(); err != nil {
		return err
	}
	if d != Entry && d != Exit {
		return Errork(EINVALID, "err.need_direction", "Choose entry or exit.")
	}
	b.mu.Lock()
	s, has := b.shift, b.hasShift
	b.mu.Unlock()
	if !has {
		return Errork(ECONFLICT, "err.open_shift_first", "Open a shift first.")
	}
	if err := b.Shifts.SetDirection(ctx, s.ID, d); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shift.ID == s.ID {
		b.shift.Direction = d
	}
	return nil
}

// ShiftSummary returns the open shift's times, counts and undecided reads,
// for the officer to see before closing it. Returns ECONFLICT without an open
// shift.
func (b *Booth) ShiftSummary(ctx context.Context) (ShiftSummary, error) {
	if _, err := b.active(); err != nil {
		return ShiftSummary{}, err
	}
	b.mu.Lock()
	s, has := b.shift, b.hasShift
	b.mu.Unlock()
	if !has {
		return ShiftSummary{}, Errork(ECONFLICT, "err.no_shift_open", "No shift is open.")
	}
	counts, err := b.Shifts.ShiftCounts(ctx, s.ID)
	if err != nil {
		return ShiftSummary{}, fmt.Errorf("shift counts: %w", err)
	}
	undecided, err := b.Records.Undecided(ctx, s.ID)
	if err != nil {
		return ShiftSummary{}, fmt.Errorf("undecided reads: %w", err)
	}
	return ShiftSummary{Shift: s, Now: b.now(), Counts: counts, Undecided: undecided}, nil
}

// CloseShift ends the open shift and returns its counts. Reads of the shift
// still undecided (the one on screen, or any left by a sign-out or a crash)
// are first set aside with note, which they then need: a shift never closes
// over a read that silently vanishes. Returns ECONFLICT without an open
// shift, EINVALID when undecided reads are left and note is empty.
func (b *Booth) CloseShift(ctx context.Context, note string) (ShiftCounts, error) {
	o, err := b.active()
	if err != nil {
		return ShiftCounts{}, err
	}
	b.mu.Lock()
	s, has := b.shift, b.hasShift
	b.mu.Unlock()
	if !has {
		return ShiftCounts{}, Errork(ECONFLICT, "err.no_shift_open", "No shift is open.")
	}
	undecided, err := b.Records.Undecided(ctx, s.ID)
	if err != nil {
		return ShiftCounts{}, fmt.Errorf("undecided reads: %w", err)
	}
	note = strings.TrimSpace(note)
	if len(undecided) > 0 && note == "" {
		return ShiftCounts{}, Errork(EINVALID, "err.undecided_reads", "%d reads of this shift are undecided: write a note to set them aside.", len(undecided))
	}
	cur := b.Current()
	for _, in := range undecided {
		a := b.setAsideOf(o, s, in, note)
		if cur != nil && cur.Inspection.ID == in.ID {
			a.Verdict, a.DocumentCode, a.Hits = cur.Verdict.Key, cur.Document.DocumentCode, len(cur.Hits)
			for _, h := range cur.Hits {
				if !h.Resolved {
					a.OpenHits = append(a.OpenHits, h.ListID)
				}
			}
		}
		if err := b.Records.SetAside(ctx, a); err != nil {
			return ShiftCounts{}, fmt.Errorf("set aside read %s: %w", in.ID, err)
		}
	}
	counts, err := b.Shifts.CloseShift(ctx, s.ID, b.now())
	if err != nil {
		return ShiftCounts{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.shift, b.hasShift = Shift{}, false
	b.current = nil
	b.seq++
	return counts, nil
}

// active returns the signed-in officer of an unlocked booth.
func (b *Booth) active() (Officer, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.signedIn {
		return Officer{}, Errork(EUNAUTHORIZED, "err.sign_in_first", "Sign in first.")
	}
	if b.locked {
		return Officer{}, Errork(EUNAUTHORIZED, "err.booth_locked", "The booth is locked; type your password.")
	}
	return b.officer, nil
}

func (b *Booth) audit(ctx context.Context, officerID string, a AuditAction, subject, detail string) error {
	if err := b.Records.Audit(ctx, AuditEntry{At: b.now(), OfficerID: officerID, Action: a, Subject: subject, Detail: detail}); err != nil {
		return fmt.Errorf("audit %s: %w", a, err)
	}
	return nil
}
