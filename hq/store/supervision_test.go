package store_test

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

func rec(booth string, seq int64, id, kind string, payload []byte) store.Record {
	sum := sha256.Sum256(payload)
	return store.Record{Booth: booth, Seq: seq, ID: id, Kind: kind, Payload: payload, SHA256: sum[:]}
}

// TestSupervisionContract: HQ indexes a post's shifts from the crossings and
// set-aside reads of its booths, counts referrals and their outcomes — an
// outcome recorded at the post's secondary booth may arrive before its
// referral — keeps sign-offs, answers a shift's records only for its own
// post, and numbers the audit of booths' questions.
func TestSupervisionContract(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "DOSTUK-07", "DOSTUK")
			enrol(t, s, "DOSTUK-01", "DOSTUK")
			enrol(t, s, "OSH-01", "OSH")
			doc := app.DocumentKey{IssuingState: "UZB", Number: "FA1"}
			c := func(id string, d app.Decision, at time.Time) app.Crossing {
				x := app.Crossing{ID: id, ShiftID: "shift-7", OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry,
					Decision: d, Document: doc, BoothTime: at}
				if d == app.Refuse {
					x.RefusalReason = "C"
				}
				if d == app.Admit {
					x.Override = &app.Override{Verdict: app.VerdictExpired, Ground: "g"}
				}
				return x
			}
			ref, adm, refu := c("c-ref", app.Refer, t0), c("c-adm", app.Admit, t0.Add(time.Minute)), c("c-refu", app.Refuse, t0.Add(2*time.Minute))
			out := app.Outcome{ID: "o-1", CrossingID: ref.ID, ShiftID: "shift-7", Post: "DOSTUK", Booth: "DOSTUK-01", OfficerID: "K2",
				Direction: app.Entry, Outcome: app.ReferralRefused, Reason: "E", At: t0.Add(30 * time.Minute)}
			// The secondary booth's outcome comes first.
			if _, err := s.Apply(ctx, store.Batch{Booth: "DOSTUK-01", From: 1, To: 1, Source: "link",
				Records: []store.Record{rec("DOSTUK-01", 1, out.ID, wire.KindReferralOutcome, wire.EncodeOutcome(out))}}, t0); err != nil {
				t.Fatal(err)
			}
			aside := app.SetAside{ID: "a-1", InspectionID: "i-9", ShiftID: "shift-7", OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07",
				Direction: app.Entry, Document: doc, Note: "left", At: t0.Add(3 * time.Minute)}
			so := app.SignOff{ID: "so-1", ShiftID: "shift-7", Post: "DOSTUK", Booth: "DOSTUK-07", ShiftBooth: "DOSTUK-07", ShiftOfficer: "K1",
				SupervisorID: "S3", Direction: app.Entry, Comment: "ok", At: t0.Add(time.Hour)}
			b := store.Batch{Booth: "DOSTUK-07", From: 1, To: 5, Source: "link", Records: []store.Record{
				rec("DOSTUK-07", 1, ref.ID, wire.KindCrossing, wire.EncodeCrossing(ref)),
				rec("DOSTUK-07", 2, adm.ID, wire.KindCrossing, wire.EncodeCrossing(adm)),
				rec("DOSTUK-07", 3, refu.ID, wire.KindCrossing, wire.EncodeCrossing(refu)),
				rec("DOSTUK-07", 4, aside.ID, wire.KindSetAside, wire.EncodeSetAside(aside)),
				rec("DOSTUK-07", 5, so.ID, wire.KindSignOff, wire.EncodeSignOff(so)),
			}}
			if _, err := s.Apply(ctx, b, t0); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Apply(ctx, b, t0); err != nil { // sent again: counted once
				t.Fatal(err)
			}
			shifts, err := s.PostShifts(ctx, "DOSTUK", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(shifts) != 1 {
				t.Fatalf("shifts %+v", shifts)
			}
			sh := shifts[0]
			if sh.ShiftID != "shift-7" || sh.Booth != "DOSTUK-07" || sh.Crossings != 3 || sh.Admitted != 1 || sh.Refused != 1 || sh.Referred != 1 ||
				sh.SetAside != 1 || sh.Overrides != 1 || !sh.SignedOff || !sh.FirstAt.Equal(t0) || !sh.LastAt.Equal(t0.Add(3*time.Minute)) {
				t.Errorf("shift %+v", sh)
			}
			if got, _ := s.PostShifts(ctx, "OSH", 0); len(got) != 0 {
				t.Errorf("OSH sees %+v", got)
			}
			recs, err := s.ShiftRecords(ctx, "DOSTUK", "shift-7")
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 6 {
				t.Errorf("%d records of the shift, want 6 (3 crossings, set-aside, outcome, sign-off)", len(recs))
			}
			if _, err := s.ShiftRecords(ctx, "OSH", "shift-7"); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("another post's shift: %v, want ENOTFOUND", err)
			}
			counts, err := s.Referrals(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(counts) != 1 || counts[0] != (store.ReferralCount{Post: "DOSTUK", Referrals: 1, Refused: 1, Outcomes: 1}) {
				t.Errorf("referrals %+v", counts)
			}
			offs, err := s.SignOffs(ctx, "DOSTUK", 0)
			if err != nil || len(offs) != 1 || offs[0].Comment != "ok" {
				t.Errorf("sign-offs %+v %v", offs, err)
			}
			for i := int64(1); i <= 2; i++ {
				id, err := s.AuditPostLookup(ctx, store.PostLookup{At: t0, Booth: "DOSTUK-01", Post: "DOSTUK", OfficerID: "S3"})
				if err != nil || id != i {
					t.Errorf("lookup %d: id %d %v", i, id, err)
				}
			}
			if ls, err := s.PostLookups(ctx, 1); err != nil || len(ls) != 1 || ls[0].ID != 2 || ls[0].Booth != "DOSTUK-01" {
				t.Errorf("lookups after 1: %+v %v", ls, err)
			}
		})
	}
}

// TestSupervisionOfLegacyHQ: an HQ store written before migration 11 has its
// stored crossings indexed by shift when it is opened, so a booth of the post
// finds the shifts of before.
func TestSupervisionOfLegacyHQ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hq.db")
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "legacy-2026-12-04", "hq", "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.Records(ctx, "DOSTUK-07")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	post := ""
	for _, r := range recs {
		if r.Kind != wire.KindCrossing {
			continue
		}
		c, err := wire.DecodeCrossing(r.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if c.ShiftID != "" && !c.Training {
			want[c.ShiftID]++
			post = c.Post
		}
	}
	if len(want) == 0 {
		t.Skip("the legacy HQ holds no crossings with a shift")
	}
	shifts, err := s.PostShifts(ctx, post, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sh := range shifts {
		got[sh.ShiftID] = sh.Crossings
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("shift %s: %d crossings indexed, want %d", id, got[id], n)
		}
	}
}
