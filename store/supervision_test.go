package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestSupervisionRecords: an outcome, a refusal confirmation and a sign-off
// are each written with an outbox row and an audit entry whose hash ties the
// record to the chain; they travel in seq order with the crossings; a second
// one of each is a conflict; a record changed afterwards breaks the chain.
func TestSupervisionRecords(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	if err := s.SaveOfficer(ctx, app.Officer{ID: "K1", Name: "A", Role: app.RoleOfficer}, "pw"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 9, 30, 0, 0, bishkek)
	sh := app.Shift{ID: s.NewID(), OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry, OpenedAt: at}
	if err := s.OpenShift(ctx, sh); err != nil {
		t.Fatal(err)
	}
	ref, refu := crossing("FA1", "KARIMOV", at), crossing("FA2", "ORAZOV", at.Add(time.Minute))
	ref.ShiftID, ref.Decision, ref.ReferralNote, ref.Post = sh.ID, app.Refer, "purpose unclear", "DOSTUK"
	refu.ShiftID, refu.Decision, refu.RefusalReason, refu.Post = sh.ID, app.Refuse, "C", "DOSTUK"
	ref.ID, refu.ID = s.NewID(), s.NewID()
	if _, err := s.DecideMany(ctx, []app.Crossing{ref, refu}); err != nil {
		t.Fatal(err)
	}
	q, err := s.SecondaryQueue(ctx, "DOSTUK", time.Time{})
	if err != nil || len(q) != 1 || q[0].ID != ref.ID {
		t.Fatalf("queue %+v %v", q, err)
	}
	if q, _ := s.SecondaryQueue(ctx, "DOSTUK", at.Add(time.Hour)); len(q) != 0 {
		t.Errorf("a referral older than the window is in the queue: %+v", q)
	}
	if q, _ := s.SecondaryQueue(ctx, "OSH", time.Time{}); len(q) != 0 {
		t.Errorf("another post's queue holds DOSTUK's referral: %+v", q)
	}
	o := app.Outcome{ID: s.NewID(), CrossingID: ref.ID, ShiftID: sh.ID, Post: "DOSTUK", Booth: "DOSTUK-07", OfficerID: "K1",
		Direction: app.Entry, Outcome: app.ReferralAdmitted, At: at.Add(time.Hour)}
	if err := s.RecordOutcome(ctx, app.Outcome{ID: s.NewID(), CrossingID: refu.ID, ShiftID: sh.ID, Booth: "DOSTUK-07", OfficerID: "K1",
		Direction: app.Entry, Outcome: app.ReferralAdmitted, At: at}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("outcome of a refusal: %v, want EINVALID", err)
	}
	if err := s.RecordOutcome(ctx, o); err != nil {
		t.Fatal(err)
	}
	o2 := o
	o2.ID = s.NewID()
	if err := s.RecordOutcome(ctx, o2); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second outcome: %v, want ECONFLICT", err)
	}
	if q, _ := s.SecondaryQueue(ctx, "DOSTUK", time.Time{}); len(q) != 0 {
		t.Errorf("queue after the outcome: %+v", q)
	}
	cf := app.RefusalConfirmation{ID: s.NewID(), CrossingID: refu.ID, ShiftID: sh.ID, Post: "DOSTUK", Booth: "DOSTUK-07",
		SupervisorID: "S1", Direction: app.Entry, Confirmed: true, At: at.Add(2 * time.Hour)}
	if err := s.ConfirmRefusal(ctx, app.RefusalConfirmation{ID: s.NewID(), CrossingID: ref.ID, SupervisorID: "S1", Confirmed: true, At: at}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("confirming a referral: %v, want EINVALID", err)
	}
	if err := s.ConfirmRefusal(ctx, cf); err != nil {
		t.Fatal(err)
	}
	so := app.SignOff{ID: s.NewID(), ShiftID: sh.ID, Post: "DOSTUK", Booth: "DOSTUK-07", ShiftBooth: "DOSTUK-07", ShiftOfficer: "K1",
		SupervisorID: "S1", Direction: app.Entry, Comment: "ok", At: at.Add(3 * time.Hour)}
	if err := s.SignOff(ctx, so); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("sign-off of an open shift: %v, want ECONFLICT", err)
	}
	if _, err := s.CloseShift(ctx, sh.ID, at.Add(150*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.SignOff(ctx, so); err != nil {
		t.Fatal(err)
	}
	so.ID = s.NewID()
	if err := s.SignOff(ctx, so); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second sign-off: %v, want ECONFLICT", err)
	}
	recs, err := s.Outbox(ctx, 0, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range recs {
		kinds = append(kinds, r.Kind)
		if err := wire.ValidateRecord("DOSTUK-07", r); err != nil && r.Kind != wire.KindCrossing {
			t.Errorf("%s: %v", r.Kind, err)
		}
	}
	if want := []string{"crossing", "crossing", "referral_outcome", "refusal_confirmation", "sign_off"}; len(kinds) != len(want) || kinds[2] != want[2] || kinds[3] != want[3] || kinds[4] != want[4] {
		t.Errorf("outbox kinds %v, want %v", kinds, want)
	}
	rec, err := s.ShiftRecord(ctx, sh.ID)
	if err != nil || len(rec.Crossings) != 2 || len(rec.Outcomes) != 1 || len(rec.Confirmations) != 1 || rec.SignOff == nil || !rec.Info.SignedOff {
		t.Errorf("shift record %+v %v", rec, err)
	}
	if c, err := s.CheckAudit(ctx); err != nil || c.FirstBroken != 0 {
		t.Fatalf("audit %+v %v", c, err)
	}
	s.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE supervision SET payload = replace(payload, '"comment":"ok"', '"comment":"all fine"') WHERE kind = 'sign_off'`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	s2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if c, err := s2.CheckAudit(ctx); err != nil || c.FirstBroken == 0 {
		t.Errorf("a sign-off changed afterwards: audit %+v %v, want broken", c, err)
	}
}
