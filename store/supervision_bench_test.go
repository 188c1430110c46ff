package store_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/store"
	ssynth "github.com/chekara/chekara/store/synth"
)

// BenchmarkReviewBusyShift measures what a supervisor waits for when opening
// a busy shift's review (issue 17): ShiftRecord — the 2,000 reads in order
// with their photos' presence, their crossings and set-aside reads, the
// supervision records — and app.BuildReview ordering it, on a real file that
// also holds 50,000 crossings of other shifts.
func BenchmarkReviewBusyShift(b *testing.B) {
	const reads = 2000
	ctx := context.Background()
	s, _ := openStore(b, store.Options{})
	stream := ssynth.New(ssynth.Config{Seed: 17, Crossings: 50_000})
	if _, err := s.Seed(ctx, stream.Next, 10_000, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.SaveOfficer(ctx, app.Officer{ID: "K1", Name: "Busy Officer", Role: app.RoleOfficer}, "pw"); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 6, 0, 0, 0, bishkek)
	sh := app.Shift{ID: s.NewID(), OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07", Direction: app.Entry, OpenedAt: at}
	if err := s.OpenShift(ctx, sh); err != nil {
		b.Fatal(err)
	}
	var photo bytes.Buffer
	jpeg.Encode(&photo, synth.Face(1, 210, 270), &jpeg.Options{Quality: 75})
	var cs []app.Crossing
	for i := range reads {
		t := at.Add(time.Duration(i) * 15 * time.Second)
		doc := fmt.Sprintf("N%08d", i)
		in := app.Inspection{ID: s.NewID(), ShiftID: sh.ID, OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07", Source: app.FromReader,
			Lines: []string{"P<KAZ" + doc}, Format: "TD3", Valid: true, Document: app.DocumentKey{IssuingState: "KAZ", Number: doc},
			Traveller: app.TravellerKey{Surname: "TRAVELLER", GivenNames: "BUSY", BirthDate: "1980-01-01", Nationality: "KAZ"},
			ReadAt:    t, Photo: photo.Bytes()}
		if err := s.RecordInspection(ctx, in); err != nil {
			b.Fatal(err)
		}
		if i%50 == 49 { // one read in fifty ends without a decision
			if err := s.SetAside(ctx, app.SetAside{ID: s.NewID(), InspectionID: in.ID, ShiftID: sh.ID, OfficerID: "K1", Post: "DOSTUK",
				Booth: "DOSTUK-07", Direction: app.Entry, Document: in.Document, Note: "walked away", At: t.Add(time.Minute)}); err != nil {
				b.Fatal(err)
			}
			continue
		}
		c := app.Crossing{ID: s.NewID(), InspectionID: in.ID, ShiftID: sh.ID, OfficerID: "K1", Post: "DOSTUK", Booth: "DOSTUK-07",
			Direction: app.Entry, Decision: app.Admit, Document: in.Document, DocumentCode: "P", Traveller: in.Traveller, BoothTime: t.Add(40 * time.Second)}
		switch {
		case i%40 == 0:
			c.Decision, c.RefusalReason = app.Refuse, "C"
		case i%25 == 0:
			c.Decision, c.ReferralNote = app.Refer, "purpose unclear"
		case i%30 == 0:
			c.Hits = []app.HitResolution{{ListID: "L1", Kind: "person", Category: "deny_entry", Score: 0.9, Note: "namesake"}}
		}
		cs = append(cs, c)
	}
	if _, err := s.DecideMany(ctx, cs); err != nil {
		b.Fatal(err)
	}
	if _, err := s.CloseShift(ctx, sh.ID, at.Add(10*time.Hour)); err != nil {
		b.Fatal(err)
	}
	set, _ := s.PostSettings(ctx)
	var items, attention int
	b.ResetTimer()
	d := make([]time.Duration, 0, b.N)
	for range b.N {
		t0 := time.Now()
		rec, err := s.ShiftRecord(ctx, sh.ID)
		if err != nil {
			b.Fatal(err)
		}
		r := app.BuildReview(rec, set)
		d = append(d, time.Since(t0))
		items, attention = len(r.Items), r.Attention
	}
	b.StopTimer()
	if items != reads {
		b.Fatalf("%d items, want %d", items, reads)
	}
	reportDurations(b, d)
	b.ReportMetric(float64(items), "items")
	b.ReportMetric(float64(attention), "attention")
}
