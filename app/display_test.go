package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// TestDisplayLevels: the thresholds that colour a line of the inspection
// screen are decided in the core, so every screen (and every language) shows
// the same judgement of the same numbers.
func TestDisplayLevels(t *testing.T) {
	stay := func(st app.Stay, err error) func(app.TravellerKey, []app.Crossing, app.Direction, time.Time) (app.Stay, error) {
		return func(app.TravellerKey, []app.Crossing, app.Direction, time.Time) (app.Stay, error) { return st, err }
	}
	expiring := func(days int) string { // a document expiring days after today
		return fmt.Sprintf("SOON|ANNA|SN0000001|1980-01-01|%s|KGZ", today.AddDate(0, 0, days).Format(time.DateOnly))
	}
	rule := app.Stay{Rule: "60/120", WindowDays: 120, LimitDays: 60}
	with := func(left int) app.Stay { s := rule; s.DaysLeft = left; return s }
	tests := []struct {
		name       string
		doc        string
		stay       app.Stay
		stayErr    error
		wantExpiry app.Level
		wantStay   app.Level
	}{
		{"far from both limits", clean, with(40), nil, app.LevelGood, app.LevelGood},
		{"no expiry on the document", "NOEXP|ANNA|NE0000001|1980-01-01||KGZ", with(40), nil, app.LevelGood, app.LevelGood},
		{"expires in 30 days", expiring(30), with(40), nil, app.LevelGood, app.LevelGood},
		{"expires in 29 days", expiring(29), with(40), nil, app.LevelCaution, app.LevelGood},
		{"expires today", expiring(0), with(40), nil, app.LevelCaution, app.LevelGood},
		{"expired yesterday", expiring(-1), with(40), nil, app.LevelStop, app.LevelGood},
		{"7 days left", clean, with(7), nil, app.LevelGood, app.LevelGood},
		{"6 days left", clean, with(6), nil, app.LevelGood, app.LevelCaution},
		{"1 day left", clean, with(1), nil, app.LevelGood, app.LevelCaution},
		{"no day left", clean, with(0), nil, app.LevelGood, app.LevelStop},
		{"overstayed", clean, with(-5), nil, app.LevelGood, app.LevelStop},
		{"free movement", clean, app.Stay{Rule: "EAEU", Free: true}, nil, app.LevelGood, app.LevelGood},
		{"no rule for the nationality", clean, app.Stay{}, nil, app.LevelGood, app.LevelGood},
		{"stay unknown", clean, app.Stay{}, errors.New("rules file unreadable"), app.LevelGood, app.LevelCaution},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.booth.Rules = fakeRules{StayFn: stay(tt.stay, tt.stayErr)}
			f.ready(t, "K1")
			v := f.present(t, tt.doc)
			if got, want := v.ExpiryLevel(), tt.wantExpiry; got != want {
				t.Errorf("expiry level = %q (expires in %d), want %q", got, v.ExpiresIn, want)
			}
			if got, want := v.StayLevel(), tt.wantStay; got != want {
				t.Errorf("stay level = %q (known %v), want %q", got, v.StayKnown, want)
			}
		})
	}
}

type syncState app.SyncState

func (s syncState) SyncState() app.SyncState { return app.SyncState(s) }

// TestStatusLevels: what the status bar warns about — HQ silent, old lists or
// rules, a wrong clock — is decided by the booth, at the stated thresholds.
func TestStatusLevels(t *testing.T) {
	fresh := app.SyncState{Enrolled: true, Connected: true, LastSync: today.Add(-time.Hour), ClockKnown: true,
		Lists: app.Version{Name: "7", At: today.Add(-time.Hour)}, Rules: app.Version{Name: "2", At: today.Add(-time.Hour)}}
	tests := []struct {
		name   string
		change func(*app.SyncState)
		want   app.Status // only the decided fields are compared
	}{
		{"all fresh", func(*app.SyncState) {}, app.Status{}},
		{"last sync 24 h ago", func(s *app.SyncState) { s.LastSync = today.Add(-24 * time.Hour) }, app.Status{}},
		{"last sync 25 h ago", func(s *app.SyncState) { s.LastSync = today.Add(-25 * time.Hour) }, app.Status{LinkStale: true}},
		{"never synced", func(s *app.SyncState) { s.LastSync = time.Time{} }, app.Status{}},
		{"working alone", func(s *app.SyncState) { s.Enrolled, s.LastSync = false, today.Add(-90*24*time.Hour) }, app.Status{}},
		{"lists 8 days old", func(s *app.SyncState) { s.Lists.At = today.Add(-8 * 24 * time.Hour) }, app.Status{ListsStale: true}},
		{"rules 8 days old", func(s *app.SyncState) { s.Rules.At = today.Add(-8 * 24 * time.Hour) }, app.Status{RulesStale: true}},
		{"lists 7 days old", func(s *app.SyncState) { s.Lists.At = today.Add(-7 * 24 * time.Hour) }, app.Status{}},
		{"clock 2 min ahead", func(s *app.SyncState) { s.ClockOffset = 2 * time.Minute }, app.Status{}},
		{"clock 3 min ahead", func(s *app.SyncState) { s.ClockOffset = 3 * time.Minute }, app.Status{ClockOff: true}},
		{"clock 3 min behind", func(s *app.SyncState) { s.ClockOffset = -3 * time.Minute }, app.Status{ClockOff: true}},
		{"clock never seen", func(s *app.SyncState) { s.ClockKnown, s.ClockOffset = false, time.Hour }, app.Status{}},
		// HQ's signed word that the lists held are its latest (issue 14): an
		// HQ frozen in time answering "no change" forever stops renewing it.
		{"lists confirmed until an hour from now", func(s *app.SyncState) { s.Lists.Until = today.Add(time.Hour) }, app.Status{}},
		{"lists unconfirmed for an hour", func(s *app.SyncState) { s.Lists.Until = today.Add(-time.Hour) },
			app.Status{ListsStale: true, ListsUnconfirmed: true}},
		{"rules unconfirmed for an hour", func(s *app.SyncState) { s.Rules.Until = today.Add(-time.Hour) },
			app.Status{RulesStale: true, RulesUnconfirmed: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			s := fresh
			tt.change(&s)
			f.booth.Sync = syncState(s)
			st := f.booth.Status(context.Background())
			got := app.Status{LinkStale: st.LinkStale, ListsStale: st.ListsStale, RulesStale: st.RulesStale, ClockOff: st.ClockOff,
				ListsUnconfirmed: st.ListsUnconfirmed, RulesUnconfirmed: st.RulesUnconfirmed}
			if got != tt.want {
				t.Errorf("status levels = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestStayReasonLevel: the reason for the stay rule asks for a look when the
// nationality is not a known code or no rule covers it.
func TestStayReasonLevel(t *testing.T) {
	unknown := app.Document{Warnings: []app.Problem{{Code: app.WarnUnknownCountry, Field: "nationality", Value: "KRZ"}}}
	unknownState := app.Document{Warnings: []app.Problem{{Code: app.WarnUnknownCountry, Field: "issuing_state", Value: "KRZ"}}}
	named := app.Stay{Rule: "60/120", Basis: app.StayNamed}
	tests := []struct {
		name string
		v    app.InspectionView
		want app.Level
	}{
		{"named rule", app.InspectionView{Stay: named, StayKnown: true}, app.LevelGood},
		{"no rule covers it", app.InspectionView{Stay: app.Stay{}, StayKnown: true}, app.LevelCaution},
		{"nationality not a known code", app.InspectionView{Document: unknown, Stay: named, StayKnown: true}, app.LevelCaution},
		{"only the issuing state unknown", app.InspectionView{Document: unknownState, Stay: named, StayKnown: true}, app.LevelGood},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.StayReasonLevel(); got != tt.want {
				t.Errorf("StayReasonLevel() = %q, want %q", got, tt.want)
			}
		})
	}
}
