package app_test

import (
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// TestBuildReview: what needs attention comes first, each group in the order
// it happened; a barring category's false match needs attention only in the
// direction it bars; a referral with its outcome does not; refusals wait for
// a confirmation only where the post says so; and the sign-off rules.
func TestBuildReview(t *testing.T) {
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	read := func(id string, min int) app.Inspection {
		return app.Inspection{ID: id, ReadAt: at.Add(time.Duration(min) * time.Minute)}
	}
	cross := func(id, insp string, min int, d app.Decision, dir app.Direction) app.Crossing {
		return app.Crossing{ID: id, InspectionID: insp, Decision: d, Direction: dir, BoothTime: at.Add(time.Duration(min)*time.Minute + 30*time.Second)}
	}
	plain := cross("c1", "i1", 1, app.Admit, app.Entry)
	exitFalse := cross("c2", "i2", 2, app.Admit, app.Entry) // deny_exit resolved false on entry: not barring here
	exitFalse.Hits = []app.HitResolution{{ListID: "L1", Category: "deny_exit"}}
	stolenFalse := cross("c3", "i3", 3, app.Admit, app.Entry)
	stolenFalse.Hits = []app.HitResolution{{ListID: "L2", Category: "stolen", Note: "other state"}}
	referred := cross("c4", "i4", 4, app.Refer, app.Entry)
	answered := cross("c5", "i5", 5, app.Refer, app.Entry)
	refused := cross("c6", "i6", 6, app.Refuse, app.Entry)
	override := cross("c7", "i7", 7, app.Admit, app.Entry)
	override.Override = &app.Override{Verdict: app.VerdictExpired, Ground: "g"}
	closed := app.ShiftInfo{Shift: app.Shift{ID: "s", OpenedAt: at, ClosedAt: at.Add(time.Hour)}}
	rec := app.ShiftRecord{Info: closed,
		Inspections: []app.Inspection{read("i1", 1), read("i2", 2), read("i3", 3), read("i4", 4), read("i5", 5), read("i6", 6), read("i7", 7), read("i8", 8), read("i9", 9)},
		Crossings:   []app.Crossing{plain, exitFalse, stolenFalse, referred, answered, refused, override},
		SetAsides:   []app.SetAside{{ID: "a8", InspectionID: "i8", At: at.Add(8*time.Minute + 10*time.Second)}},
		Outcomes:    []app.Outcome{{CrossingID: "c5", Outcome: app.ReferralAdmitted}},
	}
	r := app.BuildReview(rec, app.PostSettings{})
	var order []string
	for _, it := range r.Items {
		order = append(order, it.Inspection.ID)
	}
	want := []string{"i3", "i4", "i6", "i7", "i8", "i9", "i1", "i2", "i5"}
	if len(order) != len(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
	if r.Attention != 6 {
		t.Errorf("attention %d, want 6", r.Attention)
	}
	if got := r.Items[0].Attention; len(got) != 1 || got[0] != app.AttentionFalseMatch {
		t.Errorf("stolen false match: %v", got)
	}
	if got := r.Items[5].Attention; len(got) != 1 || got[0] != app.AttentionUndecided {
		t.Errorf("the undecided read: %v", got)
	}
	if r.Items[6].Took != 30*time.Second || r.Items[4].Took != 10*time.Second {
		t.Errorf("took %s and %s, want 30s and 10s", r.Items[6].Took, r.Items[4].Took)
	}
	if r.Items[8].Outcome == nil {
		t.Error("the answered referral shows no outcome")
	}
	if r.CanSignOff != nil {
		t.Errorf("CanSignOff %v, want nil", r.CanSignOff)
	}

	confirm := app.PostSettings{ConfirmRefusals: true}
	tests := []struct {
		name string
		rec  func(app.ShiftRecord) app.ShiftRecord
		set  app.PostSettings
		key  string
	}{
		{"open shift", func(r app.ShiftRecord) app.ShiftRecord { r.Info.ClosedAt = time.Time{}; return r }, app.PostSettings{}, "err.sign_off_open"},
		{"signed off", func(r app.ShiftRecord) app.ShiftRecord { r.SignOff = &app.SignOff{SupervisorID: "S1"}; return r }, app.PostSettings{}, "err.sign_off_twice"},
		{"another booth's", func(r app.ShiftRecord) app.ShiftRecord { r.Info.FromHQ = true; return r }, app.PostSettings{}, "err.sign_off_remote"},
		{"refusal unconfirmed", func(r app.ShiftRecord) app.ShiftRecord { return r }, confirm, "err.sign_off_unconfirmed"},
		{"refusal confirmed", func(r app.ShiftRecord) app.ShiftRecord {
			r.Confirmations = []app.RefusalConfirmation{{CrossingID: "c6", Confirmed: true}}
			return r
		}, confirm, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := app.BuildReview(tt.rec(rec), tt.set).CanSignOff
			switch {
			case tt.key == "" && got != nil:
				t.Errorf("CanSignOff %v, want nil", got)
			case tt.key != "" && (got == nil || got.Key != tt.key):
				t.Errorf("CanSignOff %v, want %s", got, tt.key)
			}
		})
	}
}
