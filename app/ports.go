package app

import (
	"context"
	"image"
	"time"
)

// The interfaces the booth core needs from the outside world. Adapters implement
// them (devices/reader, store, sync) and assert it, e.g.
//
//	var _ app.Records = (*store.Store)(nil)

// Clock tells the booth the time. It is injected everywhere so tests, training
// scenarios and the demo can set "today".
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// ReaderEventKind is what happened at a document source.
type ReaderEventKind string

const (
	ReaderConnected    ReaderEventKind = "connected"
	ReaderDocument     ReaderEventKind = "document"
	ReaderError        ReaderEventKind = "error"
	ReaderDisconnected ReaderEventKind = "disconnected"
)

// ReaderEvent is one event from a document source.
type ReaderEvent struct {
	Kind    ReaderEventKind
	Lines   []string // ReaderDocument: the MRZ lines, top to bottom, padding removed
	Raw     []byte   // ReaderDocument and ReaderError: the frame's bytes as received
	Message string   // ReaderError and ReaderDisconnected: a sentence for the officer
	At      time.Time
	// Source says where a ReaderDocument came from; "" means FromReader. The
	// booth treats every source alike: one path from event to screen.
	Source DocumentSourceKind
	// Image is the document page the lines were read from (camera and OCR), nil
	// when the source only gives text.
	Image image.Image
	// Uncertain lists, for an OCR read, the characters ([line, column], 0-based)
	// that no check digit vouches for and that were read with a thin margin: even
	// a valid MRZ must then be looked at by the officer. Nil for readers.
	Uncertain [][2]int
	// Photo is the traveller's face photo (JPEG) the booth took for this
	// document, taken before it is presented so that it is recorded with the
	// read (Inspection.Photo); nil when there is none. PhotoAt is when.
	Photo   []byte
	PhotoAt time.Time
}

// DocumentSource is a document reader (or a simulator standing in for one).
type DocumentSource interface {
	// Run delivers the source's events, in order, until ctx is done. It reconnects
	// by itself after an unplug, reporting ReaderDisconnected and ReaderConnected.
	// It returns ctx.Err() when ctx is done, or an EINVALID error at once when its
	// configuration cannot work (unknown protocol, bad serial settings).
	Run(ctx context.Context, deliver func(ReaderEvent)) error
}

// Records is the booth's durable record as the inspection workflow sees it.
// Every write is one durable transaction together with its audit entry.
type Records interface {
	// RecordInspection stores a document read and its "document_read" audit entry.
	RecordInspection(ctx context.Context, in Inspection) error
	// Decide stores the crossing, its outbox row and its "decision" audit entry in
	// one transaction. Crossing.ID must be set (UUIDv7). Returns EINVALID for a
	// crossing that breaks the rules (e.g. a refusal without a reason code).
	Decide(ctx context.Context, c Crossing) error
	// History returns the crossings of the document or of the person (either key
	// may be zero), newest first, at most limit.
	History(ctx context.Context, doc DocumentKey, person TravellerKey, limit int) ([]Crossing, error)
	// Audit appends an entry to the audit log; Seq, PrevHash and Hash are set by
	// the store.
	Audit(ctx context.Context, e AuditEntry) error
	// Pending returns how many records are waiting for upload to HQ.
	Pending(ctx context.Context) (int, error)
}

// InspectionLog is implemented by a Records that can write a document read
// together with the audit entries of the look-ups made for it (the screening
// query, the history view) in one durable transaction. The booth uses it when
// present: one fsync instead of three on the swipe-to-screen path.
type InspectionLog interface {
	// RecordInspectionWith stores in, its "document_read" audit entry and then
	// lookups (Subject defaults to the inspection's id), all or none.
	RecordInspectionWith(ctx context.Context, in Inspection, lookups []AuditEntry) error
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

// ShiftCounts is what closing a shift shows.
type ShiftCounts struct {
	Inspections int
	Admitted    int
	Refused     int
	Referred    int
	Hits        int // watchlist hits seen
}

// Shifts opens and closes officers' shifts.
type Shifts interface {
	// OpenShift starts a shift; ECONFLICT if the officer already has one open.
	OpenShift(ctx context.Context, s Shift) error
	// SetDirection changes the open shift's direction (entry/exit).
	SetDirection(ctx context.Context, shiftID string, d Direction) error
	// CloseShift ends the shift and returns its counts.
	CloseShift(ctx context.Context, shiftID string, at time.Time) (ShiftCounts, error)
	// OpenShiftOf returns the officer's open shift, ENOTFOUND if none.
	OpenShiftOf(ctx context.Context, officerID string) (Shift, error)
}
