package store

// The open stays HQ publishes to every booth (issue 15, point 3). HQ
// recomputes them from the history index (hq/openstays.go) and keeps the
// published set here, one row per traveller, so that the next version is a
// delta against it, a booth without the chain gets the whole set, and the
// console counts who is overstaying now without decoding a crossing.

import (
	"context"
	"time"

	"github.com/chekara/chekara/app"
)

// OpenStays is the part of the store behind the open-stays feed. Store embeds it.
type OpenStays interface {
	// ScanTravel calls fn with each indexed person's admitted crossings, as
	// their stay entries (wire.FormatStayCrossing), person by person, oldest
	// first; persons never admitted are skipped. It reads the history index
	// alone, one pass in its order, and decodes no payload. An error from fn
	// ends the scan and is returned.
	ScanTravel(ctx context.Context, fn func(person app.TravellerKey, stays []string) error) error
	// OpenStays calls fn with every open stay of the latest published version,
	// in no particular order.
	OpenStays(ctx context.Context, fn func(OpenStay) error) error
	// PublishOpenStays applies ch to the open stays and stores the
	// publication make returns (kind OpenStaysKind), in one transaction, as
	// Publish does. Publication.SHA256 is the digest of the whole file at
	// that version.
	PublishOpenStays(ctx context.Context, ch OpenStayChanges, make func(latest int64) (Publication, error)) (Publication, error)
	// Overstayers counts the open stays whose last permitted day is before
	// q.Today — travellers in the country past their limit now — grouped by
	// nationality and entry post, largest groups first. EINVALID for a
	// malformed day.
	Overstayers(ctx context.Context, q OverstayQuery) ([]OverstayGroup, error)
}

// OpenStaysKind is the publication kind of the open stays.
const OpenStaysKind = "open_stays"

// OpenStay is one traveller's open stay as HQ published it.
type OpenStay struct {
	Key         string // wire.StayKey of the person
	Nationality string
	EntryPost   string    // the post of the last entry
	EntryAt     time.Time // the booth's time of the last entry
	// LastDay is the last day the stay rules permit, staying on without a
	// break (YYYY-MM-DD); "" when the traveller's rule sets no limit.
	LastDay string
	Line    string // the stay's line in the booth's file (wire.MarshalOpenStay)
}

// OpenStayChanges turns one version of the open stays into the next.
type OpenStayChanges struct {
	Upserts  []OpenStay
	Removals []string // keys
}

// OverstayQuery selects overstayers: Today is the day (YYYY-MM-DD); an empty
// Nationality or EntryPost means any.
type OverstayQuery struct {
	Today       string
	Nationality string
	EntryPost   string
}

// OverstayGroup is the overstayers of one nationality who last entered at one
// post.
type OverstayGroup struct {
	Nationality string
	EntryPost   string
	Count       int64
	// Since is the earliest last permitted day in the group: the longest
	// overstay began the day after.
	Since string
}

func checkOverstayQuery(q OverstayQuery) error {
	if _, err := time.Parse(time.DateOnly, q.Today); err != nil {
		return app.Errorf(app.EINVALID, "overstayers on %q: not a day (YYYY-MM-DD)", q.Today)
	}
	return nil
}

// personRows groups rows of a person-ordered scan and calls fn per person.
type personRows struct {
	cur  app.TravellerKey
	recs []string
	fn   func(app.TravellerKey, []string) error
}

func (g *personRows) add(p app.TravellerKey, r string) error {
	if len(g.recs) > 0 && p != g.cur {
		if err := g.flush(); err != nil {
			return err
		}
	}
	g.cur = p
	g.recs = append(g.recs, r)
	return nil
}

func (g *personRows) flush() error {
	if len(g.recs) == 0 {
		return nil
	}
	err := g.fn(g.cur, g.recs)
	g.recs = g.recs[:0]
	return err
}

// scanTravelRows feeds fn the stay entries of ScanTravel's rows, one person at a
// time; both back-ends read through it.
func scanTravelRows(rows rowScanner, fn func(app.TravellerKey, []string) error) error {
	g := personRows{fn: fn}
	for rows.Next() {
		var p app.TravellerKey
		var st string
		if err := rows.Scan(&p.Surname, &p.GivenNames, &p.BirthDate, &p.Nationality, &st); err != nil {
			return wrap(err, "scan travel")
		}
		if err := g.add(p, st); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return wrap(err, "scan travel")
	}
	return g.flush()
}

// scanOpenStayRows feeds fn each row of `SELECT key, nationality, entry_post,
// entry_at, last_day, line FROM open_stays`.
func scanOpenStayRows(rows rowScanner, fn func(OpenStay) error) error {
	for rows.Next() {
		var o OpenStay
		var at int64
		if err := rows.Scan(&o.Key, &o.Nationality, &o.EntryPost, &at, &o.LastDay, &o.Line); err != nil {
			return wrap(err, "read open stays")
		}
		o.EntryAt = time.Unix(at, 0).UTC()
		if err := fn(o); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "read open stays")
}
