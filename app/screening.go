package app

import "context"

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
	Note     string   `json:"note,omitempty"`   // the list entry's instruction: "Entry ban until 2029", "Reported stolen in Osh"
	// Weighed is every reason of Reasons with the engine's own strength,
	// strongest first; nil from a screener that does not weigh its reasons.
	// (Evidence(), reasons.go, reads the same reasons for the screen.)
	Weighed []Evidence `json:"weighed,omitempty"`
}

// Evidence is one reason for a hit and how strongly it tells the listed
// person or document from a stranger.
type Evidence struct {
	// Aspect is what the reason compares: "name", "birth_date",
	// "nationality", "sex" or "document".
	Aspect string `json:"aspect"`
	Text   string `json:"text"` // the reason, as in Hit.Reasons
	// Strength is about log10 of how many times likelier the fact is if the
	// traveller is the listed person than a stranger: + for, − against, 0
	// neutral. Birth date to the day is 4.3, an exact name token 2, another
	// nationality −0.3. Sort by its absolute value, strongest first.
	Strength float64 `json:"strength"`
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
