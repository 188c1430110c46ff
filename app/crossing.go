package app

import (
	"context"
	"time"
)

// Inspection is one document read at the booth, decided or not. Every read is kept
// so a supervisor can see documents that were read and then abandoned.
type Inspection struct {
	ID        string // UUIDv7
	ShiftID   string
	OfficerID string
	Post      string
	Booth     string
	Source    DocumentSourceKind
	Lines     []string // the MRZ lines as read
	Format    string   // "TD3", "TD1", …; "" when the layout is unknown
	Valid     bool     // every MRZ check passed
	Document  DocumentKey
	Traveller TravellerKey
	Sex       string // "M", "F" or "" when unspecified
	Expiry    string // YYYY-MM-DD, "" when impossible
	ReadAt    time.Time
	// Photo is the traveller's face photo (JPEG, ICAO 35:45) taken at the
	// booth for this read, nil when none was taken; it is recorded with the
	// read. PhotoAt is when it was taken (zero: ReadAt).
	Photo   []byte
	PhotoAt time.Time
	// PageImage is the document page the lines were read from (JPEG), as
	// the officer saw it; nil when the source gave text only.
	PageImage []byte
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
	// SetAside stores a read that ended without a decision, its outbox row and
	// its "set_aside" audit entry in one transaction. Returns EINVALID without
	// an id, an inspection or a note, ECONFLICT when the read is already
	// decided or set aside.
	SetAside(ctx context.Context, a SetAside) error
	// Undecided returns the reads of a shift that are neither decided nor set
	// aside, oldest first.
	Undecided(ctx context.Context, shiftID string) ([]Inspection, error)
	// History returns the crossings of the document or of the person (either key
	// may be zero), newest first, at most limit.
	History(ctx context.Context, doc DocumentKey, person TravellerKey, limit int) ([]Crossing, error)
	// Audit appends an entry to the audit log; Seq, PrevHash and Hash are set by
	// the store.
	Audit(ctx context.Context, e AuditEntry) error
	// Pending returns how many records are waiting for upload to HQ.
	Pending(ctx context.Context) (int, error)
}

// Decision is what the officer decided for one traveller.
type Decision string

const (
	Admit  Decision = "admit"
	Refuse Decision = "refuse"
	Refer  Decision = "refer" // to secondary inspection
)

// ReferralOutcome is what secondary inspection concluded about a referred traveller.
type ReferralOutcome string

const (
	ReferralPending  ReferralOutcome = ""         // still with secondary inspection
	ReferralAdmitted ReferralOutcome = "admitted" // cleared and let through
	ReferralRefused  ReferralOutcome = "refused"  // refused after secondary inspection
)

// InspectionLog is implemented by a Records that can write a document read
// together with the audit entries of the look-ups made for it (the screening
// query, the history view) in one durable transaction. The booth uses it when
// present: one fsync instead of three on the swipe-to-screen path.
type InspectionLog interface {
	// RecordInspectionWith stores in, its "document_read" audit entry and then
	// lookups (Subject defaults to the inspection's id), all or none.
	RecordInspectionWith(ctx context.Context, in Inspection, lookups []AuditEntry) error
}

// HitResolution records how the officer resolved one watchlist hit before deciding.
type HitResolution struct {
	ListID    string // the listed entry's id
	Kind      string // "person" or "document"
	Category  string // e.g. "deny_entry", "stolen"
	Score     float64
	Confirmed bool   // true: the traveller is the listed person or document
	Note      string // required when the hit is marked a false match
}

// Crossing is a decided inspection: the record that is kept, uploaded to HQ and
// counted. Once written it never changes at the booth, except that a referral's
// outcome is written as a new audit entry and a follow-up record.
type Crossing struct {
	ID              string // UUIDv7, unique across all booths
	InspectionID    string
	ShiftID         string
	OfficerID       string
	Post            string
	Booth           string
	Direction       Direction
	Decision        Decision
	RefusalReason   string // a code of RefusalReasons when Decision is Refuse
	RefusalNote     string // the officer's words when the reason asks for them (RefusalReason.NoteRequired)
	ReferralNote    string // when Decision is Refer
	ReferralOutcome ReferralOutcome
	Document        DocumentKey
	DocumentCode    string // "P", "I", "AC", … fillers removed
	Traveller       TravellerKey
	Sex             string
	Expiry          string // YYYY-MM-DD
	Hits            []HitResolution
	BoothTime       time.Time // the booth's clock when the officer decided
	ClockJump       bool      // the booth clock was behind the previous record's time
	Training        bool      // decided by a trainee or in a training scenario; not a real crossing
	// Override is set when the officer admitted against a STOP verdict: the
	// verdict overridden and the officer's written ground. Nil otherwise.
	Override *Override
	// ExpiredCitizen: a citizen of the booth's country entered on an expired
	// passport, which does not bar a citizen's entry; recorded so it is seen.
	ExpiredCitizen bool
	// Sources says where the history the decision saw came from (SourceLocal,
	// SourceHQ, SourceFeed: "local", "hq", "feed"); empty when not known.
	Sources []string
	// Source is how the document reached the booth (reader, camera,
	// keyboard, data_page, training): a document typed from its data page
	// (FromDataPage) had no MRZ to vouch for it. "" in records older than it.
	Source DocumentSourceKind
	// Headless: decided through `bmis inspect`, not at the window. Marked in
	// the decision's audit entry; not part of the record's wire format.
	Headless bool
	// Chip is the outcome of the document's chip read (app/chip.go); nil
	// when the booth has no chip reader.
	Chip *ChipRecord
}

// Override is an admission against a STOP verdict.
type Override struct {
	Verdict string // the verdict key overridden, e.g. "verdict.expired"
	Ground  string // the officer's written ground
}

// SetAside is a read that ended without a decision: the officer set it aside
// for a new read, or the shift closed with it undecided. It is recorded,
// audited, uploaded and counted, so no inspection vanishes.
type SetAside struct {
	ID           string // UUIDv7
	InspectionID string
	ShiftID      string
	OfficerID    string
	Post         string
	Booth        string
	Direction    Direction
	Document     DocumentKey
	DocumentCode string
	Traveller    TravellerKey
	Verdict      string   // the verdict key on screen when it was set aside
	OpenHits     []string // list ids of hits still unresolved
	Hits         int      // watchlist hits the read had
	Note         string   // the officer's note: why it ended undecided
	At           time.Time
	Training     bool
}
