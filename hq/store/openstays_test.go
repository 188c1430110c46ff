package store_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestOpenStays: the scan finds every indexed person's crossings together;
// open stays are published version after version with the table kept in the
// same transaction; overstayers are counted by nationality and entry post.
func TestOpenStays(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "MANAS-01", "MANAS")
			cross := func(d app.Direction, doc app.DocumentKey, p app.TravellerKey, days int) app.Crossing {
				return app.Crossing{Post: "MANAS", OfficerID: "K1", Direction: d, Decision: app.Admit, Document: doc, Traveller: p, BoothTime: t0.AddDate(0, 0, days)}
			}
			recs := []store.Record{
				crossingRecord("MANAS-01", 1, cross(app.Entry, oldPass, aigul, 1)),
				crossingRecord("MANAS-01", 2, cross(app.Entry, app.DocumentKey{IssuingState: "GBR", Number: "X1"}, stranger, 2)),
				crossingRecord("MANAS-01", 3, cross(app.Exit, newPass, aigul, 30)),
			}
			if _, err := s.Apply(ctx, store.Batch{Booth: "MANAS-01", From: 1, To: 3, Source: "link", Records: recs}, t0); err != nil {
				t.Fatal(err)
			}
			got := map[app.TravellerKey][]string{}
			if err := s.ScanTravel(ctx, func(p app.TravellerKey, rs []string) error {
				if _, dup := got[p]; dup {
					t.Errorf("%s came twice", p.Surname)
				}
				for _, r := range rs {
					c, err := wire.ParseStayCrossing(r)
					if err != nil {
						t.Error(err)
					}
					got[p] = append(got[p], string(c.Direction)+"@"+c.Post)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || slices.Compare(got[aigul], []string{"entry@MANAS", "exit@MANAS"}) != 0 || len(got[stranger]) != 1 {
				t.Fatalf("scan = %v", got)
			}

			pub := func(ch store.OpenStayChanges, delta bool, base int64) store.Publication {
				t.Helper()
				p, err := s.PublishOpenStays(ctx, ch, func(latest int64) (store.Publication, error) {
					sum := sha256.Sum256([]byte{byte(latest)})
					return store.Publication{Version: latest + 1, Delta: delta, Base: base, Content: []byte("{}"), SHA256: sum[:], CreatedAt: t0}, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			smith := store.OpenStay{Key: wire.StayKey(stranger), Nationality: "GBR", EntryPost: "MANAS", EntryAt: t0, LastDay: "2026-12-31", Line: "l1"}
			late := store.OpenStay{Key: "K2", Nationality: "GBR", EntryPost: "DOSTUK", EntryAt: t0, LastDay: "2026-10-01", Line: "l2"}
			free := store.OpenStay{Key: "K3", Nationality: "KAZ", EntryPost: "DOSTUK", EntryAt: t0, Line: "l3"}
			pub(store.OpenStayChanges{Upserts: []store.OpenStay{smith, late, free}}, false, 0)
			if _, err := s.PublishOpenStays(ctx, store.OpenStayChanges{}, func(latest int64) (store.Publication, error) {
				return store.Publication{Version: latest + 1, Content: []byte("{}"), SHA256: make([]byte, 32)}, nil
			}); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("a second snapshot: %v, want EINVALID (every later version is a delta)", err)
			}
			smith.LastDay = "2026-11-01"
			p := pub(store.OpenStayChanges{Upserts: []store.OpenStay{smith}, Removals: []string{"K3"}}, true, 1)
			if p.Version != 2 {
				t.Errorf("version %d, want 2", p.Version)
			}
			held := map[string]store.OpenStay{}
			s.OpenStays(ctx, func(o store.OpenStay) error { held[o.Key] = o; return nil })
			if len(held) != 2 || held[smith.Key].LastDay != "2026-11-01" || !held[smith.Key].EntryAt.Equal(t0) {
				t.Errorf("held = %+v", held)
			}
			groups, err := s.Overstayers(ctx, store.OverstayQuery{Today: "2026-12-04"})
			if err != nil {
				t.Fatal(err)
			}
			want := []store.OverstayGroup{{Nationality: "GBR", EntryPost: "DOSTUK", Count: 1, Since: "2026-10-01"}, {Nationality: "GBR", EntryPost: "MANAS", Count: 1, Since: "2026-11-01"}}
			if !slices.Equal(groups, want) {
				t.Errorf("overstayers = %+v, want %+v", groups, want)
			}
			if groups, _ := s.Overstayers(ctx, store.OverstayQuery{Today: "2026-12-04", EntryPost: "MANAS"}); len(groups) != 1 || groups[0].EntryPost != "MANAS" {
				t.Errorf("overstayers at MANAS = %+v", groups)
			}
			if _, err := s.Overstayers(ctx, store.OverstayQuery{Today: "yesterday"}); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("a bad day: %v", err)
			}
		})
	}
}
