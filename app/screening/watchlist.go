package screening

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chekara/chekara/app"
)

// Watchlist is the booth's current list: safe for concurrent use. Queries read
// the current Index through an atomic pointer; Apply and Replace build a new
// Index beside it and swap it in whole, so a query sees the old list or the new
// one, never a mix, and never waits for a rebuild.
type Watchlist struct {
	cur    atomic.Pointer[Index]
	config atomic.Pointer[Config]
	mu     sync.Mutex // one update at a time
}

// NewWatchlist screens against idx with cfg. A nil idx is an empty list at
// version 0 (a new booth before its first snapshot).
func NewWatchlist(idx *Index, cfg Config) *Watchlist {
	if idx == nil {
		idx, _ = Build(&List{})
	}
	w := &Watchlist{}
	w.cur.Store(idx)
	w.config.Store(&cfg)
	return w
}

// Screening is one screening query and its answer: what the booth writes to
// the audit log (as JSON, in AuditEntry.Detail with action "screening") so a
// supervisor can see what was asked, against which list version, and what came
// back — including queries that found nothing.
type Screening struct {
	ListVersion   int64     `json:"list_version"`
	ListPublished time.Time `json:"list_published"`
	Traveller     Traveller `json:"traveller"`
	Hits          []Hit     `json:"hits"`
	// Problem is set when part of the traveller's data could not be used
	// (an unreadable birth date); screening went ahead without it.
	Problem string `json:"problem,omitempty"`
}

// Hits returns the traveller's hits against the current list, best first.
func (w *Watchlist) Hits(t Traveller) []Hit {
	return w.Check(t).Hits
}

var _ app.Screener = (*Watchlist)(nil)

// Screen is the watchlist as the booth's app.Screener: q against the current
// list, in the booth's words. Before any list has been loaded (version 0) it
// answers EUNAVAILABLE, so the officer is told the traveller was not screened
// instead of seeing "no hits".
func (w *Watchlist) Screen(_ context.Context, q app.ScreeningQuery) (app.Screening, error) {
	if w.Version() == 0 {
		return app.Screening{}, app.Errorf(app.EUNAVAILABLE, "No watchlist is loaded yet.")
	}
	s := w.Check(q)
	out := app.Screening{ListVersion: strconv.FormatInt(s.ListVersion, 10), Problem: s.Problem}
	for _, h := range s.Hits {
		out.Hits = append(out.Hits, app.Hit{ListID: h.ID, Kind: string(h.Kind), Category: h.Category,
			Score: h.Score, Reasons: h.Reasons, Note: h.Note, Listed: h.Listed, Weighed: h.Evidence})
	}
	return out, nil
}

// Published is the current list's version for the status bar; zero before any list.
func (w *Watchlist) Published() app.Version {
	idx := w.Index()
	if idx.Version() == 0 {
		return app.Version{}
	}
	return app.Version{Name: strconv.FormatInt(idx.Version(), 10), At: idx.Published()}
}

// Check screens the traveller and returns the full record for the audit log.
func (w *Watchlist) Check(t Traveller) Screening {
	idx := w.cur.Load()
	hits, err := idx.screen(t, *w.config.Load())
	s := Screening{ListVersion: idx.version, ListPublished: idx.published, Traveller: t, Hits: hits}
	if s.Hits == nil {
		s.Hits = []Hit{}
	}
	if err != nil {
		s.Problem = err.Error()
	}
	return s
}

// Version is the current list version (0 before any list).
func (w *Watchlist) Version() int64 { return w.cur.Load().version }

// Index is the current index, e.g. to persist it after an update.
func (w *Watchlist) Index() *Index { return w.cur.Load() }

// Config is the current configuration.
func (w *Watchlist) Config() Config { return *w.config.Load() }

// SetConfig changes thresholds for the following queries.
func (w *Watchlist) SetConfig(c Config) { w.config.Store(&c) }

// Apply applies a delta and swaps the result in. The delta must apply to the
// current version (ECONFLICT otherwise: fetch a snapshot). Only the changed
// entries are indexed anew (see Index.Apply): milliseconds for a delta of
// hundreds, seconds when it triggers a full rebuild; queries go on against the
// old index meanwhile.
func (w *Watchlist) Apply(d *Delta) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	next, err := w.cur.Load().Apply(d)
	if err != nil {
		return err
	}
	w.cur.Store(next)
	return nil
}

// Replace builds an index from a snapshot and swaps it in. A snapshot older
// than the current version is ECONFLICT (a replayed or stale file); the same
// version is accepted (re-sending a snapshot is harmless).
func (w *Watchlist) Replace(l *List) error {
	idx, err := Build(l)
	if err != nil {
		return err
	}
	return w.ReplaceIndex(idx)
}

// ReplaceIndex swaps in an index already built or loaded, with the same
// version rule as Replace.
func (w *Watchlist) ReplaceIndex(idx *Index) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cur := w.cur.Load(); idx.version < cur.version {
		return app.Errorf(app.ECONFLICT, "list version %d is older than the current %d", idx.version, cur.version)
	}
	w.cur.Store(idx)
	return nil
}

// TravellerOf is what a document read tells screening: the MRZ's names,
// birth date, nationality and sex, and the document's issuing state and number.
func TravellerOf(in app.Inspection) Traveller {
	return Traveller{
		Surname:        in.Traveller.Surname,
		GivenNames:     in.Traveller.GivenNames,
		BirthDate:      in.Traveller.BirthDate,
		Nationality:    in.Traveller.Nationality,
		Sex:            in.Sex,
		IssuingState:   in.Document.IssuingState,
		DocumentNumber: in.Document.Number,
	}
}
