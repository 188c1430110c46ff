package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// fakeNational is HQ's national history with a func field; the test decides
// when and what HQ answers.
type fakeNational struct {
	Fn func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error)
}

func (f fakeNational) NationalHistory(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
	return f.Fn(ctx, q)
}

type fakeFeed map[string][]app.Crossing // by document number

func (f fakeFeed) OpenStay(doc app.DocumentKey, _ app.TravellerKey) []app.Crossing {
	return f[doc.Number]
}

// entryAt is a crossing at another post, as HQ holds it.
func entryAt(id, post string, at time.Time) app.Crossing {
	return app.Crossing{ID: id, Post: post, Booth: post + "-01", Direction: app.Entry, Decision: app.Admit, BoothTime: at,
		Document: app.DocumentKey{IssuingState: "KGZ", Number: "AC1234567"}}
}

// updates collects the views the booth pushes after Present.
func updates(b *app.Booth) <-chan *app.InspectionView {
	ch := make(chan *app.InspectionView, 4)
	b.OnUpdate(func(v *app.InspectionView) { ch <- v })
	return ch
}

func TestNationalHistory(t *testing.T) {
	local := app.Crossing{ID: "here", Post: "DOSTUK", Direction: app.Exit, Decision: app.Admit, BoothTime: today.AddDate(0, -6, 0)}
	hqLines := []app.Crossing{entryAt("manas-1", "MANAS", today.AddDate(0, -1, 0)), local, entryAt("train", "MANAS", today)}
	hqLines[2].Training = true // never shown as a crossing
	tests := []struct {
		name string
		// hq answers the question; release, when set, is closed before HQ may answer.
		hq          func(ctx context.Context, release <-chan struct{}) ([]app.Crossing, error)
		wait        time.Duration
		quick       bool // HQ answers before Present returns
		wantState   app.NationalState
		wantIDs     string // history as shown, newest first
		wantSources string
		wantError   string // in NationalError
	}{
		{"HQ answers late: the screen updates", func(ctx context.Context, release <-chan struct{}) ([]app.Crossing, error) {
			<-release
			return hqLines, nil
		}, time.Second, false, app.NationalAnswered, "manas-1 here", "hq local", ""},
		{"HQ hangs: unavailable after the budget, in words", func(ctx context.Context, release <-chan struct{}) ([]app.Crossing, error) {
			<-ctx.Done()
			time.Sleep(2 * time.Second) // a client that overruns its context: the booth still gives up
			return hqLines, nil
		}, 50 * time.Millisecond, false, app.NationalUnavailable, "here", "local", "National history unavailable"},
		{"HQ answers garbage", func(ctx context.Context, release <-chan struct{}) ([]app.Crossing, error) {
			<-release
			return nil, app.Errorf(app.EINVALID, "HQ's answer is not a travel history.")
		}, time.Second, false, app.NationalUnavailable, "here", "local", "not a travel history"},
		{"HQ quicker than the local look-up", func(ctx context.Context, release <-chan struct{}) ([]app.Crossing, error) {
			return hqLines[:2], nil
		}, time.Second, true, app.NationalAnswered, "manas-1 here", "hq local", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			release := make(chan struct{})
			asked := make(chan app.HistoryQuery, 1)
			f.booth.National = fakeNational{func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
				asked <- q
				return tt.hq(ctx, release)
			}}
			f.booth.NationalWait = tt.wait
			f.records.HistoryFn = func(app.DocumentKey, app.TravellerKey, int) ([]app.Crossing, error) {
				if tt.quick {
					<-asked // HQ has been asked; give it the lead
					time.Sleep(20 * time.Millisecond)
				}
				return []app.Crossing{local}, nil
			}
			ups := updates(f.booth)
			f.ready(t, "K1")
			v := f.present(t, clean)
			q := v.Inspection
			if !tt.quick {
				got := <-asked
				if got.OfficerID != "K1" || got.InspectionID != q.ID || got.Document.Number != "AC1234567" || got.Person.Surname != "ASANOV" {
					t.Errorf("HQ was asked %+v", got)
				}
				// The screen came without HQ: local history, stay from it.
				if got, want := v.National, app.NationalAsking; got != want {
					t.Errorf("National at Present = %q, want %q", got, want)
				}
				if got, want := v.Stay.DaysUsed, 1; got != want {
					t.Errorf("DaysUsed at Present = %d, want %d", got, want)
				}
				close(release)
				select {
				case v = <-ups:
				case <-time.After(5 * time.Second):
					t.Fatal("no update after HQ answered")
				}
			}
			if got, want := v.National, tt.wantState; got != want {
				t.Errorf("National = %q, want %q", got, want)
			}
			var ids, srcs []string
			for _, c := range v.History {
				ids = append(ids, c.ID)
				srcs = append(srcs, v.SourceOf(c))
			}
			if got := strings.Join(ids, " "); got != tt.wantIDs {
				t.Errorf("history = %q, want %q", got, tt.wantIDs)
			}
			if got := strings.Join(srcs, " "); got != tt.wantSources {
				t.Errorf("sources = %q, want %q", got, tt.wantSources)
			}
			if got, want := v.Stay.DaysUsed, len(v.History); got != want {
				t.Errorf("stay counted %d crossings, want %d (stay follows the merged history)", got, want)
			}
			if tt.wantError == "" && v.NationalError != "" || !strings.Contains(v.NationalError, tt.wantError) {
				t.Errorf("NationalError = %q, want %q", v.NationalError, tt.wantError)
			}
			if cur := f.booth.Current(); cur == nil || cur.National != tt.wantState || len(cur.History) != len(v.History) {
				t.Errorf("Current() = %+v, want the updated view", cur)
			}
			// The crossing records what the decision saw.
			c, err := f.booth.Decide(context.Background(), app.DecisionRequest{Decision: app.Admit})
			if err != nil {
				t.Fatal(err)
			}
			want := "local"
			if tt.wantState == app.NationalAnswered {
				want = "local hq"
			}
			if got := strings.Join(c.Sources, " "); got != want {
				t.Errorf("crossing's sources = %q, want %q", got, want)
			}
			if f.booth.Current() != nil {
				t.Errorf("the decided document stays on screen")
			}
		})
	}
}

// TestNationalAnswerAfterNextSwipe: HQ's late answer about one traveller never
// lands on the next traveller's screen.
func TestNationalAnswerAfterNextSwipe(t *testing.T) {
	f := newFixture(t)
	release, next := make(chan struct{}), make(chan struct{})
	answered := make(chan struct{})
	f.booth.National = fakeNational{func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
		if q.Person.Surname != "ASANOV" {
			<-next // answered only once Present returned, so it comes as an update
			return nil, nil
		}
		defer close(answered)
		<-release
		return []app.Crossing{entryAt("manas-1", "MANAS", today.AddDate(0, -1, 0))}, nil
	}}
	ups := updates(f.booth)
	f.ready(t, "K1")
	f.present(t, clean)
	if _, err := f.booth.SetAside(context.Background(), "traveller stepped back"); err != nil {
		t.Fatal(err)
	}
	second := f.present(t, minor)
	close(next)
	// Let the second traveller's own answer land first.
	if v := <-ups; v.Inspection.ID != second.Inspection.ID {
		t.Fatalf("update for %s, want the second traveller's", v.Inspection.ID)
	}
	close(release)
	<-answered
	select {
	case v := <-ups:
		t.Fatalf("a late answer updated the screen: %+v", v.History)
	case <-time.After(100 * time.Millisecond):
	}
	if cur := f.booth.Current(); cur.Inspection.ID != second.Inspection.ID || len(cur.History) != 0 {
		t.Errorf("screen shows %s with %d crossings, want the second traveller with none", cur.Inspection.ID, len(cur.History))
	}
}

// TestOpenStaysFeed: with HQ out of reach, the exit booth counts the days from
// an entry at another post that the open-stays feed brought.
func TestOpenStaysFeed(t *testing.T) {
	f := newFixture(t)
	f.booth.National = fakeNational{func(ctx context.Context, q app.HistoryQuery) ([]app.Crossing, error) {
		return nil, app.Errorf(app.EUNAVAILABLE, "HQ is not reachable.")
	}}
	f.booth.OpenStays = fakeFeed{"AC1234567": {entryAt("manas-1", "MANAS", today.AddDate(0, -2, 0))}}
	ups := updates(f.booth)
	f.ready(t, "K1")
	v := f.present(t, clean)
	if got, want := len(v.History), 1; got != want {
		t.Fatalf("history has %d lines, want %d", got, want)
	}
	if got, want := v.SourceOf(v.History[0]), app.SourceFeed; got != want {
		t.Errorf("source = %q, want %q", got, want)
	}
	if got, want := v.Stay.DaysUsed, 1; got != want {
		t.Errorf("DaysUsed = %d, want %d", got, want)
	}
	if v.National == app.NationalAsking {
		v = <-ups
	}
	if v.National != app.NationalUnavailable || len(v.History) != 1 || v.SourceOf(v.History[0]) != app.SourceFeed {
		t.Errorf("after HQ failed: %q %+v", v.National, v.History)
	}
	c, err := f.booth.Decide(context.Background(), app.DecisionRequest{Decision: app.Admit})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.Sources, " "), "local feed"; got != want {
		t.Errorf("crossing's sources = %q, want %q", got, want)
	}
}
