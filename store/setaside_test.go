package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestSetAsideIsARecordOfItsOwn: a read that ends without a decision is
// written with its outbox row and its audit entry in one transaction, travels
// to HQ between the crossings in seq order, settles the read (it leaves the
// shift's undecided list), counts in the shift, and cannot be set aside twice
// or after a decision. An override is counted in the shift too.
func TestSetAsideIsARecordOfItsOwn(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	if err := s.SaveOfficer(ctx, app.Officer{ID: "1001", Name: "A", Role: app.RoleOfficer}, "pw"); err != nil {
		t.Fatal(err)
	}
	sh := app.Shift{ID: s.NewID(), OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry, OpenedAt: time.Now()}
	if err := s.OpenShift(ctx, sh); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 9, 30, 0, 0, bishkek)
	read := func(doc string) app.Inspection {
		t.Helper()
		in := app.Inspection{ID: s.NewID(), ShiftID: sh.ID, OfficerID: "1001", Lines: []string{"P<UZB" + doc}, ReadAt: at,
			Document: app.DocumentKey{IssuingState: "UZB", Number: doc}}
		if err := s.RecordInspection(ctx, in); err != nil {
			t.Fatal(err)
		}
		return in
	}
	decided, aside, left := read("FA1"), read("FA2"), read("FA3")

	c := crossing("FA1", "KARIMOV", at)
	c.ShiftID, c.InspectionID = sh.ID, decided.ID
	c.Override = &app.Override{Verdict: app.VerdictExpired, Ground: "passport renewed, new one at the consulate"}
	if err := s.Decide(ctx, c); err != nil {
		t.Fatal(err)
	}
	a := app.SetAside{InspectionID: aside.ID, ShiftID: sh.ID, OfficerID: "1001", Post: "DOSTUK", Booth: "DOSTUK-07",
		Direction: app.Entry, Document: aside.Document, Verdict: app.VerdictHitOpen, OpenHits: []string{"L1"}, Hits: 1,
		Note: "traveller left the booth", At: at.Add(time.Minute)}
	if err := s.SetAside(ctx, a); err != nil {
		t.Fatal(err)
	}

	undecided, err := s.Undecided(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(undecided) != 1 || undecided[0].ID != left.ID || undecided[0].Lines[0] != "P<UZBFA3" || !undecided[0].ReadAt.Equal(at) {
		t.Fatalf("undecided reads %+v, want only %s", undecided, left.ID)
	}

	tests := []struct {
		name string
		a    app.SetAside
		code string
	}{
		{"set aside twice", a, app.ECONFLICT},
		{"set aside after a decision", func() app.SetAside { b := a; b.InspectionID = decided.ID; return b }(), app.ECONFLICT},
		{"unknown read", func() app.SetAside { b := a; b.InspectionID = "nope"; return b }(), app.ECONFLICT},
		{"no note", func() app.SetAside { b := a; b.InspectionID, b.Note = left.ID, " "; return b }(), app.EINVALID},
		{"no read", func() app.SetAside { b := a; b.InspectionID = ""; return b }(), app.EINVALID},
		{"id not a UUID", func() app.SetAside { b := a; b.InspectionID, b.ID = left.ID, "x"; return b }(), app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SetAside(ctx, tt.a); app.ErrorCode(err) != tt.code {
				t.Errorf("SetAside: %v, want %s", err, tt.code)
			}
		})
	}

	recs, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Kind != wire.KindCrossing || recs[1].Kind != wire.KindSetAside || recs[1].Seq != 2 {
		t.Fatalf("outbox %+v, want a crossing then a set-aside read", recs)
	}
	back, err := wire.DecodeSetAside(recs[1].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if back.InspectionID != aside.ID || back.Note != a.Note || back.ID != recs[1].ID || back.Verdict != app.VerdictHitOpen {
		t.Errorf("uploaded set-aside %+v", back)
	}
	if got, err := s.SetAsideRecord(ctx, back.ID); err != nil || got.Note != a.Note {
		t.Errorf("SetAsideRecord = %+v, %v", got, err)
	}
	if over, err := s.Crossing(ctx, recs[0].ID); err != nil || over.Override == nil || over.Override.Verdict != app.VerdictExpired {
		t.Errorf("the override is not in the stored crossing: %+v, %v", over, err)
	}

	var entries int
	rawDB(t, path).QueryRow("SELECT count(*) FROM audit WHERE action = 'set_aside' AND subject = ?", back.ID).Scan(&entries)
	if entries != 1 {
		t.Errorf("%d set_aside audit entries, want 1", entries)
	}
	if broken, err := s.VerifyAudit(ctx); err != nil || broken != 0 {
		t.Errorf("audit chain broken at %d: %v", broken, err)
	}

	got, err := s.CloseShift(ctx, sh.ID, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := (app.ShiftCounts{Inspections: 3, Admitted: 1, Hits: 1, Overrides: 1, SetAside: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

// TestChangedSetAsideBreaksTheAudit: the set-aside record is as tamper-evident
// as a crossing.
func TestChangedSetAsideBreaksTheAudit(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	at := time.Date(2026, 12, 4, 9, 30, 0, 0, bishkek)
	in := app.Inspection{ID: s.NewID(), OfficerID: "1001", Lines: []string{"x"}, ReadAt: at}
	if err := s.RecordInspection(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAside(ctx, app.SetAside{InspectionID: in.ID, OfficerID: "1001", Direction: app.Entry, Note: "left", At: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, path).Exec(`UPDATE set_asides SET payload = replace(payload, '"left"', '"decided"')`); err != nil {
		t.Fatal(err)
	}
	if broken, err := s.VerifyAudit(ctx); err != nil || broken == 0 {
		t.Errorf("a changed set-aside record passed the audit (%d, %v)", broken, err)
	}
}
