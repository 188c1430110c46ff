package store

// The national history: every crossing HQ stores is indexed by the keys a booth
// looks a traveller up by — the document (issuing state and number) and the
// person (surname, birth date, given names, nationality) — so a booth at any
// post can ask at the swipe. Every question is audited here: which officer,
// from which booth, asked about whom, and how many crossings HQ showed.

import (
	"context"
	"slices"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// NationalHistory is the part of the store that answers and audits history
// queries. Store embeds it.
type NationalHistory interface {
	// History returns the crossing records of the document or of the person
	// (either key may be zero, not both), newest first by the booth's time, at
	// most limit, each once. Training crossings are never indexed. Returns
	// EINVALID without a usable key.
	History(ctx context.Context, doc app.DocumentKey, person app.TravellerKey, limit int) ([]Record, error)
	// AuditLookup durably records one history query before it is answered,
	// and returns its id.
	AuditLookup(ctx context.Context, l Lookup) (int64, error)
	// Lookups returns the audited history queries with an id above after,
	// oldest first.
	Lookups(ctx context.Context, after int64) ([]Lookup, error)
}

// Lookup is one history query as HQ audits it.
type Lookup struct {
	ID           int64
	At           time.Time
	Booth        string // the booth the mutual-TLS certificate names
	OfficerID    string // the officer the booth says is asking
	InspectionID string
	Document     app.DocumentKey
	Person       app.TravellerKey
}

// travel is one crossing's entry in the history index.
type travel struct {
	id        string
	doc       app.DocumentKey
	person    app.TravellerKey
	boothTime time.Time
	// stay is the crossing as the open stays need it
	// (wire.FormatStayCrossing) when it admitted the traveller, "" otherwise.
	stay string
}

// travelOf indexes the fresh real crossings of a batch. A record that does not
// decode as a crossing is still stored (HQ keeps what booths send) but cannot
// be found by history.
func travelOf(b Batch, fresh map[string]bool) []travel {
	var out []travel
	for _, r := range b.Records {
		if r.Kind != wire.KindCrossing || !fresh[r.ID] {
			continue
		}
		c, err := r.crossing()
		if err != nil || c.Training {
			continue
		}
		out = append(out, travel{id: r.ID, doc: c.Document, person: c.Traveller, boothTime: c.BoothTime.UTC(), stay: stayOf(c)})
	}
	return out
}

// stayOf is a crossing's entry in the open stays' scan: "" unless it admitted
// the traveller (an admission, or a referral admitted) or when it cannot be
// written.
func stayOf(c app.Crossing) string {
	if c.Decision != app.Admit && (c.Decision != app.Refer || c.ReferralOutcome != app.ReferralAdmitted) {
		return ""
	}
	f, err := wire.FormatStayCrossing(wire.StayCrossing{ID: c.ID, At: c.BoothTime, Direction: c.Direction, Post: c.Post,
		Booth: c.Booth, Document: c.Document})
	if err != nil {
		return ""
	}
	return f
}

// stayVersion is the migration (both back-ends) that keeps each admitted
// crossing's stay entry in the history index; a store older than it has the
// entries of its indexed crossings filled while migrating.
const stayVersion = 9

// historyKeys checks a history query's keys and zeroes the unusable one.
func historyKeys(doc app.DocumentKey, person app.TravellerKey, limit int) (app.DocumentKey, app.TravellerKey, int, error) {
	if doc.Number == "" || doc.IssuingState == "" {
		doc = app.DocumentKey{}
	}
	if person.Surname == "" || person.BirthDate == "" {
		person = app.TravellerKey{}
	}
	if doc == (app.DocumentKey{}) && person == (app.TravellerKey{}) {
		return doc, person, 0, app.Errorf(app.EINVALID, "a history query needs a document or a person")
	}
	if limit <= 0 || limit > wire.MaxHistoryLimit {
		limit = wire.MaxHistoryLimit
	}
	return doc, person, limit, nil
}

// historyRow is a record found by a history query, with its booth time.
type historyRow struct {
	Record
	at int64 // Unix nanoseconds
}

// mergeRows joins the rows found by document and by person: once each, newest
// first, at most limit.
func mergeRows(limit int, sets ...[]historyRow) []Record {
	var all []historyRow
	seen := map[string]bool{}
	for _, set := range sets {
		for _, r := range set {
			if !seen[r.ID] {
				seen[r.ID] = true
				all = append(all, r)
			}
		}
	}
	slices.SortStableFunc(all, func(a, b historyRow) int {
		switch {
		case a.at > b.at:
			return -1
		case a.at < b.at:
			return 1
		}
		return 0
	})
	out := make([]Record, 0, min(len(all), limit))
	for _, r := range all[:min(len(all), limit)] {
		out = append(out, r.Record)
	}
	return out
}
