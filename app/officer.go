package app

import (
	"context"
	"time"
)

// Role is what an officer may do at the booth.
type Role string

const (
	RoleOfficer       Role = "officer"       // works the booth: reads documents, decides
	RoleSupervisor    Role = "supervisor"    // also reviews and closes others' shifts
	RoleAdministrator Role = "administrator" // enrols booths, manages officers, configures devices
	RoleTrainee       Role = "trainee"       // works simulated queues only; decisions are marked training
	RoleTrainer       Role = "trainer"       // runs a training centre's booths and scenarios
	RolePostAdmin     Role = "post-admin"    // administers the booths of a post: reader, camera, link, backups
	// HQ's roles: they sign in at HQ only, never at a booth.
	RoleAnalyst Role = "analyst"  // reads flows and reports
	RoleAuditor Role = "auditor"  // reads the records and the audit chains
	RoleHQAdmin Role = "hq-admin" // manages officers and booths
)

// Roles are the roles HQ assigns, booth roles first. RoleAdministrator is the
// older booth-local role (demo and stores seeded before issue 13); HQ does not
// assign it.
var Roles = []Role{RoleOfficer, RoleTrainee, RoleSupervisor, RoleTrainer, RolePostAdmin, RoleAnalyst, RoleAuditor, RoleHQAdmin}

// AtBooth reports whether the role signs in at a booth.
func (r Role) AtBooth() bool {
	switch r {
	case RoleOfficer, RoleTrainee, RoleSupervisor, RoleTrainer, RolePostAdmin, RoleAdministrator:
		return true
	}
	return false
}

// Officer is a person who signs in at a booth.
type Officer struct {
	ID       string // service number, what the officer types at sign-in
	Name     string
	Role     Role
	Language string // "ky", "ru" or "en"
	Disabled bool
}

// Direction is the way a traveller crosses.
type Direction string

const (
	Entry Direction = "entry"
	Exit  Direction = "exit"
)

// Shift is an officer's spell of work at one booth. It is open while ClosedAt is zero.
type Shift struct {
	ID        string // UUIDv7
	OfficerID string
	Post      string // crossing point, e.g. "DOSTUK"
	Booth     string // booth id within the post, e.g. "DOSTUK-07"
	Direction Direction
	OpenedAt  time.Time
	ClosedAt  time.Time
}

// Officers is the booth's register of officers and their sign-in.
type Officers interface {
	// Authenticate checks an officer's password and records the attempt in the
	// audit log. Returns EUNAUTHORIZED for an unknown officer or a wrong password,
	// ELOCKED after too many failures.
	Authenticate(ctx context.Context, officerID, password string) (Officer, error)
	// Officer returns one officer, ENOTFOUND if unknown.
	Officer(ctx context.Context, officerID string) (Officer, error)
	// SaveOfficer creates or updates an officer; a non-empty password replaces the old one.
	SaveOfficer(ctx context.Context, o Officer, password string) error
}

// ShiftSummary is what the officer sees before closing a shift: its times,
// its counts so far, and every read of it still undecided.
type ShiftSummary struct {
	Shift     Shift
	Now       time.Time
	Counts    ShiftCounts
	Undecided []Inspection // oldest first; set aside with the closing note
}

// ShiftCounts is what closing a shift shows.
type ShiftCounts struct {
	Inspections int
	Admitted    int
	Refused     int
	Referred    int
	Hits        int // watchlist hits seen
	Overrides   int // admissions against a STOP verdict
	SetAside    int // reads that ended without a decision
}

// Shifts opens and closes officers' shifts.
type Shifts interface {
	// OpenShift starts a shift; ECONFLICT if the officer already has one open.
	OpenShift(ctx context.Context, s Shift) error
	// SetDirection changes the open shift's direction (entry/exit).
	SetDirection(ctx context.Context, shiftID string, d Direction) error
	// CloseShift ends the shift and returns its counts.
	CloseShift(ctx context.Context, shiftID string, at time.Time) (ShiftCounts, error)
	// ShiftCounts returns a shift's counts so far; ENOTFOUND for no such shift.
	ShiftCounts(ctx context.Context, shiftID string) (ShiftCounts, error)
	// OpenShiftOf returns the officer's open shift, ENOTFOUND if none.
	OpenShiftOf(ctx context.Context, officerID string) (Shift, error)
}

// OfficerRoster is what a booth's officer register may also tell: every
// officer it holds (the store's; HQ's directory fills it).
type OfficerRoster interface {
	Officers(ctx context.Context) ([]Officer, error)
}

// NotReady says what keeps anyone from signing in at this booth (a message
// with a key, for the sign-in screen), nil when an officer could. A booth
// enrolled a moment ago holds no officers until its first pull from HQ brings
// its post's directory.
func (b *Booth) NotReady(ctx context.Context) *Error {
	r, ok := b.Officers.(OfficerRoster)
	if !ok {
		return nil
	}
	os, err := r.Officers(ctx)
	if err != nil {
		return nil
	}
	for _, o := range os {
		if !o.Disabled && o.Role.AtBooth() {
			return nil
		}
	}
	switch {
	case b.Sync != nil && b.Sync.SyncState().Officers.Name != "":
		return Errork(ENOTFOUND, "err.no_officers_post", "HQ has no officers for post %s yet: ask HQ to add them (hq officer add --posts %s).", b.Post, b.Post)
	case b.Sync != nil:
		return Errork(ENOTFOUND, "err.no_officers_yet", "This booth has not reached HQ yet: no officers. Check the HQ link; officers arrive with the first sync.")
	}
	return Errork(ENOTFOUND, "err.no_officers_alone", "This booth has no officers: enrol it with HQ (chekara --enrolment BUNDLE) so that HQ's officers arrive.")
}

// Administer opens the booth's administration (reader, camera, HQ link,
// backup, audit) to the signed-in officer: a post-admin, or the older
// booth-local administrator. The UI hides the screen from others too, but
// this is the check that holds. Errors: EUNAUTHORIZED when nobody is signed
// in, the booth is locked, or the officer's role is another.
func (b *Booth) Administer() error {
	s := b.Session()
	switch {
	case !s.SignedIn || s.Locked:
		return Errorf(EUNAUTHORIZED, "Sign in as the post's administrator first.")
	case s.Officer.Role != RolePostAdmin && s.Officer.Role != RoleAdministrator:
		return Errork(EUNAUTHORIZED, "err.not_post_admin", "Only a post-admin opens the booth's administration.")
	}
	return nil
}
