package app_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// homeRules is stay rules that name the booth's country, as rules.Live does
// from the rules file's "country".
type homeRules struct {
	fakeRules
	country string
}

func (h homeRules) Country() string { return h.country }

const (
	citizenExpired = "ASANOVA|AIDA|AC7654321|1990-02-02|2025-06-30|KGZ"
	invalid        = "ASANOV|BAKYT|AC1234567|1985-03-14|2031-01-01|KGZ"
)

// TestAdmitAgainstStopIsAnOverride: admitting against a STOP verdict needs a
// written ground and is recorded as an override with the verdict it
// overrode; an unresolved or confirmed barring hit cannot be overridden. A
// trainee is held to the same.
func TestAdmitAgainstStopIsAnOverride(t *testing.T) {
	overstay := func(f *fixture) {
		f.booth.Rules = fakeRules{StayFn: func(app.TravellerKey, []app.Crossing, app.Direction, time.Time) (app.Stay, error) {
			return app.Stay{Rule: "60/120", LimitDays: 60, DaysUsed: 75, DaysLeft: -15, Overstay: true, OverstayDays: 15}, nil
		}}
	}
	tests := []struct {
		name    string
		officer string
		lines   []string
		setup   func(*fixture)
		verdict string
	}{
		{"bad check digit", "K1", []string{invalid, "BAD"}, nil, app.VerdictInvalid},
		{"expired, as trainee", "T1", []string{expired}, nil, app.VerdictExpired},
		{"expired", "K1", []string{expired}, nil, app.VerdictExpired},
		{"overstay", "K1", []string{clean}, overstay, app.VerdictOverstay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			f.ready(t, tt.officer)
			v := f.present(t, tt.lines...)
			if got, want := v.Verdict.Key, tt.verdict; got != want {
				t.Fatalf("verdict %q, want %q", got, want)
			}
			if got, err := v.AdmitNeeds(); got != tt.verdict || err != nil {
				t.Errorf("AdmitNeeds = %q, %v; want %q", got, err, tt.verdict)
			}
			ctx := context.Background()
			if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("admit without a ground: %v, want EINVALID", err)
			}
			if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit, Ground: "   "}); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("admit with a blank ground: %v, want EINVALID", err)
			}
			c, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit, Ground: " supervisor Osmonov agreed by phone "})
			if err != nil {
				t.Fatal(err)
			}
			got, want := c.Override, &app.Override{Verdict: tt.verdict, Ground: "supervisor Osmonov agreed by phone"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("override %+v, want %+v", got, want)
			}
			if n := len(f.records.crossings); n != 1 || f.records.crossings[0].Override == nil {
				t.Errorf("recorded %d crossings, override not in the record: %+v", n, f.records.crossings)
			}
		})
	}

	t.Run("clean admit is no override", func(t *testing.T) {
		f := newFixture(t)
		f.ready(t, "K1")
		f.present(t, clean)
		c, err := f.booth.Decide(context.Background(), app.DecisionRequest{Decision: app.Admit, Ground: "not needed"})
		if err != nil || c.Override != nil {
			t.Errorf("clean admit: override %+v, %v", c.Override, err)
		}
	})
	t.Run("confirmed deny-entry hit cannot be overridden", func(t *testing.T) {
		f := newFixture(t)
		f.ready(t, "K1")
		f.present(t, listed)
		ctx := context.Background()
		v, err := f.booth.Resolve(ctx, "P-1", true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.AdmitNeeds(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("AdmitNeeds with a confirmed deny-entry hit: %v, want EINVALID", err)
		}
		if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit, Ground: "I know him"}); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("override of a confirmed deny-entry hit: %v, want EINVALID", err)
		}
	})
}

// TestCitizenWithExpiredPassport: a citizen of the booth's country is never
// refused entry for an expired passport: the verdict says so (caution, not
// stop), admitting needs no override, and the crossing records it. Leaving on
// an expired passport, and a foreigner's expired passport, stay STOP.
func TestCitizenWithExpiredPassport(t *testing.T) {
	tests := []struct {
		name      string
		lines     string
		direction app.Direction
		level     app.Level
		key       string
	}{
		{"citizen entering", citizenExpired, app.Entry, app.LevelCaution, app.VerdictCitizenExpired},
		{"citizen leaving", citizenExpired, app.Exit, app.LevelStop, app.VerdictExpired},
		{"foreigner entering", expired, app.Entry, app.LevelStop, app.VerdictExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.booth.Rules = homeRules{fakeRules: f.booth.Rules.(fakeRules), country: "KGZ"}
			f.ready(t, "K1")
			ctx := context.Background()
			if err := f.booth.SetDirection(ctx, tt.direction); err != nil {
				t.Fatal(err)
			}
			v := f.present(t, tt.lines)
			if got, want := v.Verdict, (app.Verdict{Level: tt.level, Key: tt.key}); got != want {
				t.Fatalf("verdict %+v, want %+v", got, want)
			}
			if tt.level != app.LevelCaution {
				return
			}
			c, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit})
			if err != nil {
				t.Fatalf("admitting a citizen: %v", err)
			}
			if !c.ExpiredCitizen || c.Override != nil {
				t.Errorf("crossing: expired citizen %v, override %+v; want true, none", c.ExpiredCitizen, c.Override)
			}
		})
	}
}

// TestNewReadWhileUndecided: a read never vanishes under the next one. The
// booth refuses the new read until the one on screen is decided or set aside;
// setting aside needs a note and records the read with its open hits.
func TestNewReadWhileUndecided(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	first := f.present(t, listed)
	ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{clean}, Source: app.FromReader}
	if _, err := f.booth.Present(ctx, ev); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a new read over an undecided one: %v, want ECONFLICT", err)
	}
	if got := f.booth.Current(); got == nil || got.Inspection.ID != first.Inspection.ID {
		t.Fatalf("the undecided read left the screen: %+v", got)
	}
	if _, err := f.booth.SetAside(ctx, " "); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("set aside without a note: %v, want EINVALID", err)
	}
	a, err := f.booth.SetAside(ctx, "traveller went back to fetch a visa")
	if err != nil {
		t.Fatal(err)
	}
	want := app.SetAside{ID: a.ID, InspectionID: first.Inspection.ID, ShiftID: first.Inspection.ShiftID, OfficerID: "K1",
		Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry, Document: first.Inspection.Document, DocumentCode: "P",
		Traveller: first.Inspection.Traveller, Verdict: app.VerdictHitOpen, OpenHits: []string{"P-1"}, Hits: 1,
		Note: "traveller went back to fetch a visa", At: today}
	if !reflect.DeepEqual(a, want) || len(f.records.asides) != 1 {
		t.Errorf("set aside\n got %+v\nwant %+v (%d recorded)", a, want, len(f.records.asides))
	}
	if _, err := f.booth.Present(ctx, ev); err != nil {
		t.Fatalf("the next read after setting aside: %v", err)
	}
	if _, err := f.booth.SetAside(ctx, "second"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.booth.SetAside(ctx, "nothing on screen"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("set aside with nothing on screen: %v, want ENOTFOUND", err)
	}
}

// TestCloseShiftListsUndecided: closing a shift shows its undecided reads and
// needs a note to set them aside; they are then recorded, never dropped.
func TestCloseShiftListsUndecided(t *testing.T) {
	f := newFixture(t)
	f.ready(t, "K1")
	ctx := context.Background()
	f.present(t, clean)
	if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}
	v := f.present(t, listed)
	sum, err := f.booth.ShiftSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(sum.Undecided), 1; got != want || sum.Undecided[0].ID != v.Inspection.ID {
		t.Fatalf("undecided reads %+v, want the one on screen", sum.Undecided)
	}
	if _, err := f.booth.CloseShift(ctx, ""); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("closing over an undecided read without a note: %v, want EINVALID", err)
	}
	if !f.booth.Session().HasShift {
		t.Fatal("the shift closed although a read was undecided")
	}
	if _, err := f.booth.CloseShift(ctx, "end of shift, traveller with secondary"); err != nil {
		t.Fatal(err)
	}
	if got := len(f.records.asides); got != 1 {
		t.Fatalf("%d set-aside records, want 1", got)
	}
	a := f.records.asides[0]
	if a.InspectionID != v.Inspection.ID || a.Verdict != app.VerdictHitOpen || len(a.OpenHits) != 1 || a.Note == "" {
		t.Errorf("set aside at close: %+v", a)
	}
}

// TestTrainingKeptApart: a real inspection never sees training crossings in
// the history or the stay, and a trainee sees only training ones.
func TestTrainingKeptApart(t *testing.T) {
	at := today.Add(-72 * time.Hour)
	hist := []app.Crossing{
		{ID: "real-1", Direction: app.Entry, Decision: app.Admit, BoothTime: at},
		{ID: "training-1", Direction: app.Entry, Decision: app.Admit, BoothTime: at, Training: true},
		{ID: "training-2", Direction: app.Exit, Decision: app.Admit, BoothTime: at, Training: true},
	}
	tests := []struct {
		officer string
		want    []string
	}{
		{"K1", []string{"real-1"}},
		{"T1", []string{"training-1", "training-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.officer, func(t *testing.T) {
			f := newFixture(t)
			f.records.HistoryFn = func(app.DocumentKey, app.TravellerKey, int) ([]app.Crossing, error) {
				return append([]app.Crossing(nil), hist...), nil
			}
			f.ready(t, tt.officer)
			v := f.present(t, clean)
			var got []string
			for _, c := range v.History {
				got = append(got, c.ID)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("history %v, want %v", got, tt.want)
			}
			if got, want := v.Stay.DaysUsed, len(tt.want); got != want {
				t.Errorf("stay computed on %d crossings, want %d", got, want)
			}
		})
	}
}

// TestVerdictAccountsForTheStay: a stay anomaly ("an entry without a
// recorded exit: ask about it") is never beside a CLEAR verdict.
func TestVerdictAccountsForTheStay(t *testing.T) {
	f := newFixture(t)
	f.booth.Rules = fakeRules{StayFn: func(app.TravellerKey, []app.Crossing, app.Direction, time.Time) (app.Stay, error) {
		return app.Stay{Rule: "60/120", LimitDays: 60, DaysUsed: 3, DaysLeft: 57, Anomalies: []string{"missing_exit"}}, nil
	}}
	f.ready(t, "K1")
	v := f.present(t, clean)
	if got, want := v.Verdict, (app.Verdict{Level: app.LevelCaution, Key: app.VerdictStayCheck}); got != want {
		t.Errorf("verdict %+v beside a stay anomaly, want %+v", got, want)
	}
}

// TestEarlierResolutionsShownAndReliedOn: a traveller resolved as a false
// match before is not stopped again with no sign of it: the hit carries the
// earlier resolution (when, who, note) and one action relies on it, audited.
func TestEarlierResolutionsShownAndReliedOn(t *testing.T) {
	f := newFixture(t)
	before := today.AddDate(0, 0, -20)
	f.records.HistoryFn = func(app.DocumentKey, app.TravellerKey, int) ([]app.Crossing, error) {
		return []app.Crossing{{ID: "c-earlier", OfficerID: "K7", Post: "DOSTUK", Direction: app.Exit, Decision: app.Admit, BoothTime: before,
			Hits: []app.HitResolution{{ListID: "P-1", Category: "deny_entry", Note: "listed one born in Osh, this one in Naryn"}}}}, nil
	}
	f.ready(t, "K1")
	v := f.present(t, listed)
	want := []app.EarlierResolution{{CrossingID: "c-earlier", At: before, OfficerID: "K7", Post: "DOSTUK", Note: "listed one born in Osh, this one in Naryn"}}
	if got := v.Hits[0].Earlier; !reflect.DeepEqual(got, want) {
		t.Fatalf("earlier resolutions\n got %+v\nwant %+v", got, want)
	}
	ctx := context.Background()
	if _, err := f.booth.RelyOnEarlier(ctx, "nope"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("relying on no resolution: %v, want ENOTFOUND", err)
	}
	v, err := f.booth.RelyOnEarlier(ctx, "P-1")
	if err != nil {
		t.Fatal(err)
	}
	if h := v.Hits[0]; !h.Resolved || h.Confirmed || h.Note != "as resolved 2026-11-05 by K7: listed one born in Osh, this one in Naryn" {
		t.Errorf("resolved as %+v", h)
	}
	var relied bool
	for _, a := range f.records.actions() {
		relied = relied || a == app.AuditRelyOnResolution
	}
	if !relied {
		t.Errorf("relying on the earlier resolution is not audited: %v", f.records.actions())
	}
	if _, err := f.booth.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Errorf("admit after relying on a false match: %v", err)
	}
}
