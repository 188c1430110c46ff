package app

import (
	"context"
	"time"
)

// The interfaces the inspection workflow (Booth) needs besides those in ports.go.
// Each is small and in the booth's words; internal/boothwire adapts app/mrz,
// app/screening, app/rules and sync to them, so the core never imports them.

// Problem is one thing wrong with, or worth noting about, a machine readable
// zone: a failed check (an error) or a warning such as "specimen".
type Problem struct {
	Code    string // REFERENCE.md §1 error codes, or warning codes ("expired", "specimen", …)
	Message string // an English sentence; the UI translates by Code when it can
	Line    int    // 1-based; 0 when the problem is not tied to a place
	Start   int    // 1-based column, inclusive
	End     int    // exclusive
}

// Change is one character a suggested OCR repair would change.
type Change struct {
	Line, Column int
	From, To     string
}

// Suggestion is a repaired reading the officer may accept; it is never applied
// silently.
type Suggestion struct {
	Lines   []string
	Changes []Change
}

// Document is a machine readable zone as the MRZ engine read it.
type Document struct {
	Format        string // "TD1", "TD2", "TD3", "MRVA", "MRVB", "FRA_ID"; "" when unknown
	Valid         bool   // no errors
	DocumentCode  string // "P", "I", "AC", … fillers removed
	IssuingState  string
	Surname       string
	GivenNames    string
	Number        string
	Nationality   string
	BirthDate     string // YYYY-MM-DD; YYYY-MM or YYYY when partial; "" when impossible
	Sex           string // "M", "F" or ""
	Expiry        string // YYYY-MM-DD; "" when impossible
	OptionalData  string
	NameTruncated bool
	Errors        []Problem
	Warnings      []Problem
	Suggestions   []Suggestion
}

// MRZParser reads and checks machine readable zones.
type MRZParser interface {
	// ParseMRZ parses and validates lines as of today. It never fails: a broken
	// MRZ comes back with Errors.
	ParseMRZ(lines []string, today time.Time) Document
}

// ScreeningQuery is what the booth asks the lists about one traveller and document.
type ScreeningQuery struct {
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	BirthDate      string `json:"birth_date"` // YYYY-MM-DD, YYYY-MM or YYYY
	Nationality    string `json:"nationality"`
	Sex            string `json:"sex"`
	IssuingState   string `json:"issuing_state"`
	DocumentNumber string `json:"document_number"`
}

// Hit is one listed person or document that may match the traveller.
type Hit struct {
	ListID   string   `json:"id"`
	Kind     string   `json:"kind"`     // "person" or "document"
	Category string   `json:"category"` // person: deny_entry, deny_exit, arrest, notify, watch; document: stolen, lost, revoked, invalid
	Score    float64  `json:"score"`
	Reasons  []string `json:"reasons"`
	Listed   string   `json:"listed,omitempty"` // the listed name or document, as the list has it
	Note     string   `json:"note,omitempty"`
}

// Screening is one answer of the lists: what the booth shows and audits.
type Screening struct {
	ListVersion string // the list version that answered
	Hits        []Hit  // best first
	Problem     string // part of the query could not be used (e.g. an unreadable birth date)
}

// Screener checks travellers against the booth's local copy of the lists.
type Screener interface {
	// Screen checks q against the current lists. It works offline.
	Screen(ctx context.Context, q ScreeningQuery) (Screening, error)
}

// Stay is where a traveller stands under the stay rule that applies to them.
type Stay struct {
	Rule         string    // the rule's name or id; "" when no rule applies
	Free         bool      // free movement (e.g. EAEU citizens): no limit
	WindowDays   int       // the rolling window, e.g. 120
	LimitDays    int       // days allowed in the window, e.g. 60
	DaysUsed     int       // days present within the window, today included
	DaysLeft     int       // may be negative when overstayed
	LastDay      time.Time // the last permitted day of presence; zero when Free or no rule
	Overstay     bool      // on exit: the traveller stayed beyond the limit
	OverstayDays int
	VisaRequired bool
	Anomalies    []string // things in the records to ask about: "missing_exit", "exit_without_entry", "rule_changes"
}

// StayRules computes a traveller's stay from their crossings.
type StayRules interface {
	// Stay applies the rule for the traveller's nationality to their crossings
	// (newest first) as of at, for a crossing in direction d.
	Stay(t TravellerKey, crossings []Crossing, d Direction, at time.Time) (Stay, error)
}

// Version is the version of a data set the booth works from (lists, rules).
type Version struct {
	Name string    // "" when unknown
	At   time.Time // when it was published; zero when unknown
}

// SyncState is the booth's link to HQ as the status bar shows it.
type SyncState struct {
	Enrolled    bool          // the booth has an enrolment bundle; false: working alone
	Connected   bool          // the last attempt reached HQ
	LastSync    time.Time     // last successful exchange; zero when never
	LastError   string        // a sentence for the officer, "" when fine
	Pending     int           // records waiting to upload; -1 when unknown
	ClockKnown  bool          // HQ's clock has been seen
	ClockOffset time.Duration // HQ's clock minus the booth's
	Lists       Version
	Rules       Version
}

// SyncStatus reports the HQ link. The sync package implements it.
type SyncStatus interface {
	SyncState() SyncState
}
