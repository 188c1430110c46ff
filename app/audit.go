package app

import "time"

// AuditAction names what an audit entry records.
type AuditAction string

const (
	AuditSignIn       AuditAction = "sign_in"
	AuditSignInFailed AuditAction = "sign_in_failed"
	AuditSignOut      AuditAction = "sign_out"
	AuditLock         AuditAction = "lock"
	AuditShiftOpen    AuditAction = "shift_open"
	AuditShiftClose   AuditAction = "shift_close"
	AuditDocumentRead AuditAction = "document_read"
	AuditScreening    AuditAction = "screening"
	AuditHistoryView  AuditAction = "history_view"
	AuditDecision     AuditAction = "decision"
	AuditSetAside     AuditAction = "set_aside" // a read ended without a decision (app.SetAside)
	// AuditRelyOnResolution: the officer resolved a hit as an earlier crossing did.
	AuditRelyOnResolution AuditAction = "rely_on_resolution"
	AuditReferral         AuditAction = "referral_outcome"
	AuditPurge            AuditAction = "purge"
	AuditListsApplied     AuditAction = "lists_applied"
	AuditRulesApplied     AuditAction = "rules_applied"
	AuditOfficerChange    AuditAction = "officer_change"
	AuditBoothIdentity    AuditAction = "booth_identity" // enrolment set the booth id and post
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
