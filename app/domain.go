package app

import "time"

// Role is what an officer may do at the booth.
type Role string

const (
	RoleOfficer       Role = "officer"       // works the booth: reads documents, decides
	RoleSupervisor    Role = "supervisor"    // also reviews and closes others' shifts
	RoleAdministrator Role = "administrator" // enrols booths, manages officers, configures devices
	RoleTrainee       Role = "trainee"       // works simulated queues only; decisions are marked training
)

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

// DocumentKey identifies a travel document: the same issuing state and number are
// the same document, whatever else was read.
type DocumentKey struct {
	IssuingState string // ICAO code as in the MRZ, fillers removed ("D", "KGZ")
	Number       string // document number, fillers removed, long TD1 numbers whole
}

// TravellerKey identifies a person across documents, so a renewed passport still
// finds the earlier crossings. Names are the MRZ's Latin forms, upper case, single
// spaces.
type TravellerKey struct {
	Surname     string
	GivenNames  string
	BirthDate   string // YYYY-MM-DD, or a partial form (YYYY-MM, YYYY) when the MRZ gives "<<"
	Nationality string // ICAO code
}

// DocumentSourceKind says how a document's MRZ reached the booth.
type DocumentSourceKind string

const (
	FromReader   DocumentSourceKind = "reader"   // serial document reader
	FromCamera   DocumentSourceKind = "camera"   // camera or scanner image, read by OCR
	FromKeyboard DocumentSourceKind = "keyboard" // typed, or a keyboard-wedge reader
	FromTraining DocumentSourceKind = "training" // a training scenario's simulated reader
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
}

// AuditAction names what an audit entry records.
type AuditAction string

const (
	AuditSignIn        AuditAction = "sign_in"
	AuditSignInFailed  AuditAction = "sign_in_failed"
	AuditSignOut       AuditAction = "sign_out"
	AuditLock          AuditAction = "lock"
	AuditShiftOpen     AuditAction = "shift_open"
	AuditShiftClose    AuditAction = "shift_close"
	AuditDocumentRead  AuditAction = "document_read"
	AuditScreening     AuditAction = "screening"
	AuditHistoryView   AuditAction = "history_view"
	AuditDecision      AuditAction = "decision"
	AuditReferral      AuditAction = "referral_outcome"
	AuditPurge         AuditAction = "purge"
	AuditListsApplied  AuditAction = "lists_applied"
	AuditRulesApplied  AuditAction = "rules_applied"
	AuditOfficerChange AuditAction = "officer_change"
	AuditBoothIdentity AuditAction = "booth_identity" // enrolment set the booth id and post
)

// AuditEntry is one line of the booth's tamper-evident audit log. Entries are
// append-only and hash-chained: Hash covers PrevHash and every other field, so
// changing or removing any entry breaks the chain from there on.
type AuditEntry struct {
	Seq       int64 // 1, 2, 3, … in order of writing
	At        time.Time
	OfficerID string
	Action    AuditAction
	Subject   string // what the action was about: an inspection, crossing or officer id
	Detail    string // JSON with the data used and the result, e.g. a screening query and its hits
	PrevHash  []byte
	Hash      []byte
}
