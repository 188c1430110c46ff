package hq_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestStaysCommands: `hq stays publish` publishes the open stays the index
// holds, and `hq stays overstayers` counts who is past their limit, by
// nationality and entry post.
func TestStaysCommands(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := hq.Open(ctx, hq.Config{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enrol(ctx, "MANAS-01", "MANAS", "https://127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	// A visitor (90 days in 180) who entered on 1 July and never left, and
	// one who left again.
	var recs []store.Record
	for i, c := range []app.Crossing{
		{Direction: app.Entry, Traveller: app.TravellerKey{Surname: "WALKER", BirthDate: "1988-05-17", Nationality: "GBR"}, BoothTime: time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)},
		{Direction: app.Entry, Traveller: app.TravellerKey{Surname: "BROWN", BirthDate: "1970-01-01", Nationality: "GBR"}, BoothTime: time.Date(2026, 7, 2, 10, 0, 0, 0, time.UTC)},
		{Direction: app.Exit, Traveller: app.TravellerKey{Surname: "BROWN", BirthDate: "1970-01-01", Nationality: "GBR"}, BoothTime: time.Date(2026, 7, 20, 10, 0, 0, 0, time.UTC)},
	} {
		c.ID = "0193a1b2-0000-7000-8000-00000000000" + string(rune('1'+i))
		c.OfficerID, c.Post, c.Booth, c.Decision = "K1", "MANAS", "MANAS-01", app.Admit
		c.Document = app.DocumentKey{IssuingState: "GBR", Number: c.Traveller.Surname}
		payload := wire.EncodeCrossing(c)
		sum := sha256.Sum256(payload)
		recs = append(recs, store.Record{Booth: "MANAS-01", Seq: int64(i + 1), ID: c.ID, Kind: wire.KindCrossing, Payload: payload, SHA256: sum[:]})
	}
	if _, err := s.Store().Apply(ctx, store.Batch{Booth: "MANAS-01", From: 1, To: 3, Source: "link", Records: recs}, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errs := run(t, "stays", "publish", "--data", dir)
	if code != 0 || !strings.Contains(out, `"published":true`) || !strings.Contains(out, `"version":1`) {
		t.Fatalf("stays publish: %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, "stays", "overstayers", "--data", dir, "--today", "2026-11-25")
	var g map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &g) != nil || g["nationality"] != "GBR" || g["entry_post"] != "MANAS" || g["count"] != 1.0 || g["since"] != "2026-09-28" {
		t.Errorf("stays overstayers: %d %q %s", code, out, errs)
	}
	if code, out, _ := run(t, "stays", "overstayers", "--data", dir, "--today", "2026-11-25", "--post", "DOSTUK"); code != 0 || out != "" {
		t.Errorf("overstayers who entered at DOSTUK: %d %q", code, out)
	}
	if code, _, _ := run(t, "stays", "overstayers", "--data", dir, "--today", "soon"); code != 1 {
		t.Errorf("a bad day: exit %d", code)
	}
}
