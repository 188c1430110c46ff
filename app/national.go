package app

import (
	"context"
	"slices"
	"time"
)

// Where a line of the travel history comes from.
const (
	SourceLocal = "local" // this booth's own store
	SourceHQ    = "hq"    // HQ's national history, asked at the swipe
	SourceFeed  = "feed"  // the open stays HQ publishes to every booth, for when the link is down
)

// NationalState is where the booth's question to HQ stands for the document on
// screen.
type NationalState string

const (
	NationalNone        NationalState = ""            // the booth has no HQ link: its own history only
	NationalAsking      NationalState = "asking"      // HQ has not answered yet; the screen shows local history
	NationalAnswered    NationalState = "answered"    // HQ's crossings are merged in
	NationalUnavailable NationalState = "unavailable" // HQ did not answer within the budget, or answered nonsense
)

// DefaultNationalWait is how long the booth waits for HQ's answer before the
// screen says national history is unavailable.
const DefaultNationalWait = 2 * time.Second

// HistoryQuery is what a booth asks HQ about one traveller: their document and
// the person (either may be zero), on behalf of an officer, for an inspection.
type HistoryQuery struct {
	OfficerID    string
	InspectionID string
	Document     DocumentKey
	Person       TravellerKey
	Limit        int
}

// NationalHistory answers a traveller's crossings at every post, as HQ holds
// them. The sync package implements it over the mutual-TLS link.
type NationalHistory interface {
	// NationalHistory returns the crossings of the query's document or person,
	// newest first. Errors: EUNAVAILABLE when HQ cannot be reached in time,
	// EINVALID when its answer is not a history, and HQ's refusals.
	NationalHistory(ctx context.Context, q HistoryQuery) ([]Crossing, error)
}

// OpenStays is the booth's copy of the open stays HQ publishes: for each
// traveller who is not a citizen and whose last crossing was an entry, the
// crossings the stay rules need. It answers from local data, at once.
type OpenStays interface {
	// OpenStay returns the crossings HQ published for the document or person,
	// newest first; none when the traveller has no open stay.
	OpenStay(doc DocumentKey, person TravellerKey) []Crossing
}

// OnUpdate registers fn to receive the view of the document on screen each
// time it changes after Present returned — when HQ's national history arrives,
// or when the booth gives up waiting for it. fn runs on a booth goroutine: the
// UI hands it to its own (fyne.Do). nil stops the updates.
func (b *Booth) OnUpdate(fn func(*InspectionView)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onUpdate = fn
}

// SourceOf says where the history line c came from: SourceLocal, SourceHQ or
// SourceFeed.
func (v *InspectionView) SourceOf(c Crossing) string {
	if s, ok := v.Sources[c.ID]; ok {
		return s
	}
	return SourceLocal
}

// nationalAnswer is HQ's answer to one swipe's question.
type nationalAnswer struct {
	crossings []Crossing
	err       error
}

// askHQ starts the question to HQ for the inspection being presented; the
// answer (or the budget's end) arrives on the returned channel. The question
// outlives Present: it runs on its own context, bounded by the budget.
func (b *Booth) askHQ(o Officer, in Inspection, doc DocumentKey, person TravellerKey, limit int) <-chan nationalAnswer {
	wait := b.NationalWait
	if wait <= 0 {
		wait = DefaultNationalWait
	}
	ch := make(chan nationalAnswer, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		done := make(chan nationalAnswer, 1)
		go func() {
			cs, err := b.National.NationalHistory(ctx, HistoryQuery{OfficerID: o.ID, InspectionID: in.ID,
				Document: doc, Person: person, Limit: limit})
			done <- nationalAnswer{cs, err}
		}()
		// A client that ignores its context must not hold the screen past the
		// budget either.
		select {
		case a := <-done:
			ch <- a
		case <-ctx.Done():
			ch <- nationalAnswer{err: Errorf(EUNAVAILABLE, "HQ did not answer in time.")}
		}
	}()
	return ch
}

// awaitHQ merges HQ's answer into the view on screen when it comes, if that
// view is still the one for seq, and tells the UI.
func (b *Booth) awaitHQ(ch <-chan nationalAnswer, seq uint64, local []Crossing) {
	a := <-ch
	b.mu.Lock()
	if b.seq != seq || b.current == nil {
		b.mu.Unlock()
		return // the officer moved on
	}
	v := *b.current
	v.Hits = slices.Clone(b.current.Hits)
	b.national(&v, local, a)
	for i := range v.Hits { // earlier resolutions from the merged history
		v.Hits[i].Earlier = nil
	}
	earlier(&v)
	v.Verdict = verdict(&v)
	b.current = &v
	fn := b.onUpdate
	b.mu.Unlock()
	if fn != nil {
		c := v
		fn(&c)
	}
}

// national sets the view's history, sources and stay from the local crossings
// and HQ's answer.
func (b *Booth) national(v *InspectionView, local []Crossing, a nationalAnswer) {
	if a.err != nil {
		v.National = NationalUnavailable
		v.NationalError = "National history unavailable: " + ErrorMessage(a.err) + " Only this booth's records are shown."
		return
	}
	v.National, v.NationalError = NationalAnswered, ""
	hist, sources := mergeHistory(local, v.Sources, a.crossings, b.limit())
	v.History, v.Sources = hist, sources
	b.stay(v)
}

// mergeHistory joins the crossings already shown with HQ's, once each (a
// crossing of this booth that already reached HQ stays "local"), newest first,
// at most limit.
func mergeHistory(shown []Crossing, sources map[string]string, fromHQ []Crossing, limit int) ([]Crossing, map[string]string) {
	out := slices.Clone(shown)
	src := make(map[string]string, len(shown)+len(fromHQ))
	for _, c := range shown {
		src[c.ID] = SourceLocal
		if s, ok := sources[c.ID]; ok {
			src[c.ID] = s
		}
	}
	for _, c := range fromHQ {
		if c.ID == "" || c.Training {
			continue
		}
		switch src[c.ID] {
		case SourceLocal:
			continue
		case SourceFeed: // HQ's own copy is the authority
			src[c.ID] = SourceHQ
			continue
		}
		src[c.ID] = SourceHQ
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Crossing) int { return b.BoothTime.Compare(a.BoothTime) })
	if len(out) > limit {
		for _, c := range out[limit:] {
			delete(src, c.ID)
		}
		out = out[:limit]
	}
	return out, src
}

func (b *Booth) limit() int {
	if b.HistoryLimit <= 0 {
		return 200
	}
	return b.HistoryLimit
}

// stay computes the view's stay from its history.
func (b *Booth) stay(v *InspectionView) {
	v.Stay, v.StayKnown, v.StayError = Stay{}, false, nil
	if b.Rules == nil {
		v.StayError = Errork(EUNAVAILABLE, "view.no_rules", "No stay rules are loaded.")
	} else if st, err := b.Rules.Stay(v.Inspection.Traveller, v.History, v.Direction, v.Inspection.ReadAt); err != nil {
		v.StayError = Errork(ErrorCode(err), "view.stay_failed", "Stay could not be computed.")
		v.StayError.Message = "Stay could not be computed: " + ErrorMessage(err)
	} else {
		v.Stay, v.StayKnown = st, true
	}
}

// sourcesSeen names the sources of history the decision on v saw, in a fixed
// order, for the crossing's record.
func sourcesSeen(v *InspectionView) []string {
	seen := map[string]bool{SourceLocal: v.HistoryError == nil}
	for _, s := range v.Sources {
		seen[s] = true
	}
	if v.National == NationalAnswered {
		seen[SourceHQ] = true
	}
	var out []string
	for _, s := range []string{SourceLocal, SourceHQ, SourceFeed} {
		if seen[s] {
			out = append(out, s)
		}
	}
	return out
}

// mergeFeed joins the local crossings with those of the open-stays feed, once
// each, newest first, at most limit, and says which came from the feed.
func mergeFeed(local, feed []Crossing, limit int) ([]Crossing, map[string]string) {
	if len(feed) == 0 {
		return local, nil
	}
	hist, src := mergeHistory(local, nil, feed, limit)
	for id, s := range src {
		if s == SourceHQ {
			src[id] = SourceFeed
		}
	}
	return hist, src
}
