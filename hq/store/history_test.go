package store_test

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// traveller is one person who crosses at two posts and renews their passport
// in between: the person key finds both documents.
var (
	aigul    = app.TravellerKey{Surname: "TOKTOGULOVA", GivenNames: "AIGUL", BirthDate: "1990-04-02", Nationality: "KAZ"}
	oldPass  = app.DocumentKey{IssuingState: "KAZ", Number: "N1000001"}
	newPass  = app.DocumentKey{IssuingState: "KAZ", Number: "N2000002"}
	stranger = app.TravellerKey{Surname: "SMITH", GivenNames: "JOHN", BirthDate: "1970-01-01", Nationality: "GBR"}
)

func crossingRecord(booth string, seq int64, c app.Crossing) store.Record {
	c.ID = booth + "-" + string(rune('a'+seq))
	c.Booth = booth
	kind := wire.KindOf(c)
	payload := wire.EncodeCrossing(c)
	sum := sha256.Sum256(payload)
	return store.Record{Booth: booth, Seq: seq, ID: c.ID, Kind: kind, Payload: payload, SHA256: sum[:]}
}

func TestNationalHistory(t *testing.T) {
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	cross := func(post string, d app.Direction, doc app.DocumentKey, p app.TravellerKey, at time.Time) app.Crossing {
		return app.Crossing{Post: post, OfficerID: "K1", Direction: d, Decision: app.Admit, Document: doc, Traveller: p, BoothTime: at}
	}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "DOSTUK-07", "DOSTUK")
			enrol(t, s, "MANAS-01", "MANAS")
			trainee := cross("DOSTUK", app.Entry, newPass, aigul, day(50))
			trainee.Training = true
			dostuk := []store.Record{
				crossingRecord("DOSTUK-07", 1, cross("DOSTUK", app.Entry, oldPass, aigul, day(1))),
				crossingRecord("DOSTUK-07", 2, cross("DOSTUK", app.Entry, app.DocumentKey{IssuingState: "GBR", Number: "X1"}, stranger, day(2))),
				crossingRecord("DOSTUK-07", 3, trainee),
				record("DOSTUK-07", 4, wire.KindCrossing, `{"seq":4}`), // stored, not a crossing this code reads
			}
			manas := []store.Record{
				crossingRecord("MANAS-01", 1, cross("MANAS", app.Exit, oldPass, aigul, day(20))),
				crossingRecord("MANAS-01", 2, cross("MANAS", app.Entry, newPass, aigul, day(40))),
			}
			for _, b := range []store.Batch{
				{Booth: "DOSTUK-07", From: 1, To: 4, Source: "link", Records: dostuk},
				{Booth: "MANAS-01", From: 1, To: 2, Source: "link", Records: manas},
				{Booth: "MANAS-01", From: 1, To: 2, Source: "media", Records: manas}, // a replay indexes nothing twice
			} {
				if _, err := s.Apply(ctx, b, t0); err != nil {
					t.Fatal(err)
				}
			}
			tests := []struct {
				name   string
				doc    app.DocumentKey
				person app.TravellerKey
				limit  int
				want   []string // record ids, newest first
			}{
				{"by old document, two posts", oldPass, app.TravellerKey{}, 10, []string{manas[0].ID, dostuk[0].ID}},
				{"by new document", newPass, app.TravellerKey{}, 10, []string{manas[1].ID}},
				{"by person across passports", app.DocumentKey{}, aigul, 10, []string{manas[1].ID, manas[0].ID, dostuk[0].ID}},
				{"both keys, once each", newPass, aigul, 10, []string{manas[1].ID, manas[0].ID, dostuk[0].ID}},
				{"limit keeps the newest", oldPass, aigul, 2, []string{manas[1].ID, manas[0].ID}},
				{"nobody", app.DocumentKey{IssuingState: "KGZ", Number: "AC0"}, app.TravellerKey{}, 10, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					recs, err := s.History(ctx, tt.doc, tt.person, tt.limit)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, r := range recs {
						got = append(got, r.ID)
						if _, err := wire.DecodeCrossing(r.Payload); err != nil {
							t.Errorf("record %s does not decode: %v", r.ID, err)
						}
					}
					if strings.Join(got, " ") != strings.Join(tt.want, " ") {
						t.Errorf("history = %v, want %v", got, tt.want)
					}
				})
			}
			if _, err := s.History(ctx, app.DocumentKey{}, app.TravellerKey{Surname: "NOBIRTH"}, 10); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("history without a usable key: %v, want EINVALID", err)
			}

			// Every query is on record: who asked about whom, from which booth.
			asked := []store.Lookup{
				{At: t0, Booth: "MANAS-01", OfficerID: "M7", InspectionID: "insp-1", Document: oldPass, Person: aigul},
				{At: t0.Add(time.Second), Booth: "DOSTUK-07", OfficerID: "K1", Person: stranger},
			}
			for _, l := range asked {
				if _, err := s.AuditLookup(ctx, l); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Lookups(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(asked) {
				t.Fatalf("%d lookups audited, want %d", len(got), len(asked))
			}
			for i := range asked {
				asked[i].ID = got[i].ID
				if !got[i].At.Equal(asked[i].At) {
					t.Errorf("lookup %d at %v, want %v", i, got[i].At, asked[i].At)
				}
				got[i].At = asked[i].At
				if got[i] != asked[i] {
					t.Errorf("lookup %d = %+v, want %+v", i, got[i], asked[i])
				}
			}
			if later, _ := s.Lookups(ctx, got[0].ID); len(later) != 1 || later[0].OfficerID != "K1" {
				t.Errorf("lookups after the first = %+v", later)
			}
		})
	}
}

// TestHistoryOfLegacyHQ: an HQ store written before the history index existed
// has its crossings (format 1) indexed when it is opened.
func TestHistoryOfLegacyHQ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hq.db")
	src, err := os.Open(filepath.Join("..", "..", "testdata", "legacy-2026-12-04", "hq", "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
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
	found := 0
	for _, r := range recs {
		if r.Kind != wire.KindCrossing {
			continue
		}
		c, err := wire.DecodeCrossing(r.Payload)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := s.History(ctx, c.Document, c.Traveller, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hist {
			if h.ID == r.ID {
				found++
				break
			}
		}
	}
	if got, want := found, 41; got != want {
		t.Errorf("%d of the legacy crossings found by history, want %d", got, want)
	}
	// The migrations gave every admitted crossing its stay entry (the open
	// stays are computed from the index alone).
	admitted := 0
	for _, r := range recs {
		if c, err := wire.DecodeCrossing(r.Payload); err == nil && r.Kind == wire.KindCrossing && !c.Training &&
			(c.Decision == app.Admit || (c.Decision == app.Refer && c.ReferralOutcome == app.ReferralAdmitted)) {
			admitted++
		}
	}
	scanned := 0
	if err := s.ScanTravel(ctx, func(_ app.TravellerKey, stays []string) error {
		scanned += len(stays)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if scanned != admitted || admitted == 0 {
		t.Errorf("the scan finds %d admitted crossings of the legacy HQ, want %d", scanned, admitted)
	}
}
