package booth_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// legacy is the booth and HQ the code of 2026-12-04 wrote, before the record
// format had tags (testdata/legacy-2026-12-04).
const legacy = "../testdata/legacy-2026-12-04"

// copyDir copies a fixture folder, so a test never changes the committed file.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// TestLegacyBoothOpens: today's booth opens the old booth's data folder as
// it is (enrolment imported then, store claimed then), its audit chain
// verifies, every old crossing reads back through the versioned format, and
// the record that was still pending is still pending.
func TestLegacyBoothOpens(t *testing.T) {
	ctx := context.Background()
	dir := copyDir(t, filepath.Join(legacy, "booth"))
	b, err := booth.Open(ctx, booth.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Link == nil || b.Bundle.BoothID != "DOSTUK-07" || b.App.BoothID != "DOSTUK-07" || b.App.Post != "DOSTUK" {
		t.Fatalf("enrolment not taken up: link %v, bundle %q, booth %q at %q", b.Link != nil, b.Bundle.BoothID, b.App.BoothID, b.App.Post)
	}
	check, err := b.Store.CheckAudit(ctx)
	if err != nil || check.FirstBroken != 0 || check.Entries != 95 {
		t.Fatalf("audit: %+v, %v; want 95 entries intact", check, err)
	}
	recs, err := b.Store.Outbox(ctx, 0, 1000, 0)
	if err != nil || len(recs) != 1 {
		t.Fatalf("pending records %d (%v), want the 1 left unsent", len(recs), err)
	}
	c, err := wire.DecodeCrossing(recs[0].Payload)
	if err != nil || c.OfficerID != "K1002" || c.Decision != app.Admit {
		t.Fatalf("pending crossing %+v, %v", c, err)
	}
	h, err := b.Store.History(ctx, app.DocumentKey{}, c.Traveller, 100)
	if err != nil || len(h) < 2 {
		t.Fatalf("history of %s: %d crossings, %v", c.Traveller.Surname, len(h), err)
	}
	// Migration 0003 settles every read an old crossing names (each of the
	// old booth's 11 reads was decided): no shift lists an undecided read.
	for shift, want := range map[string]string{
		"01a2407f-1500-773f-878d-0d2c06f80316": "",
		"01a2407f-1500-773f-878d-0d2c06f88e38": "",
		"01a2407f-1500-773f-878d-0d2c06f8ad82": "",
	} {
		u, err := b.Store.Undecided(ctx, shift)
		got := ""
		for _, in := range u {
			got += in.ID
		}
		if err != nil || got != want {
			t.Errorf("undecided reads of shift %s: %q (%v), want %q", shift, got, err, want)
		}
	}
	if m := b.App.Status(ctx).Sync; !m.Enrolled || m.Lists.Name == "" || m.Rules.Name == "" {
		t.Errorf("lists and rules pulled then are not loaded: %+v", m)
	}
}

// TestLegacyHQServes: today's HQ opens the old HQ's data folder, reports what
// it held, and every record it stored reads as a crossing.
func TestLegacyHQServes(t *testing.T) {
	ctx := context.Background()
	s, err := hq.Open(ctx, hq.Config{DataDir: copyDir(t, filepath.Join(legacy, "hq")), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Report(ctx)
	if err != nil || rep.Crossings != 41 {
		t.Fatalf("report %+v, %v; want 41 crossings", rep, err)
	}
	recs, err := s.Store().Records(ctx, "DOSTUK-07")
	if err != nil || len(recs) != 43 {
		t.Fatalf("records %d, %v; want 43", len(recs), err)
	}
	for _, r := range recs {
		c, err := wire.DecodeCrossing(r.Payload)
		if err != nil || c.ID != r.ID || c.Training != (r.Kind == wire.KindTrainingCrossing) {
			t.Errorf("record %d (%s): %+v, %v", r.Seq, r.Kind, c, err)
		}
	}
}

// TestBoothRefusesAnotherBoothsDatabase: a data folder claimed by one booth
// does not start with another booth's enrolment, nor as another booth than
// its certificate names.
func TestBoothRefusesAnotherBoothsDatabase(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	dir := t.TempDir()
	b, err := booth.Open(ctx, booth.Config{DataDir: dir, Enrolment: h.bundle(t, "DOSTUK-07", "DOSTUK"), Store: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	// Started again without --enrolment: the bundle imported once is used.
	if b, err = booth.Open(ctx, booth.Config{DataDir: dir, Store: fastArgon}); err != nil || b.Link == nil {
		t.Fatalf("second start: link %v, %v", b != nil && b.Link != nil, err)
	}
	b.Close()

	for _, tt := range []struct {
		name string
		cfg  booth.Config
		want string
	}{
		{"another booth's bundle", booth.Config{DataDir: dir, Enrolment: h.bundle(t, "DOSTUK-08", "DOSTUK")},
			"This database belongs to booth DOSTUK-07; the enrolment is for booth DOSTUK-08."},
		{"--booth not the certificate's", booth.Config{DataDir: dir, Booth: "DOSTUK-09"},
			"This booth is enrolled as DOSTUK-07; it cannot start as DOSTUK-09."},
		{"--post not the certificate's", booth.Config{DataDir: dir, Post: "MANAS"},
			"This booth is enrolled at post DOSTUK; it cannot start at MANAS."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Store = fastArgon
			b, err := booth.Open(ctx, tt.cfg)
			if err == nil {
				b.Close()
			}
			if app.ErrorCode(err) != app.ECONFLICT || app.ErrorMessage(err) != tt.want {
				t.Errorf("Open = %v, want ECONFLICT %q", err, tt.want)
			}
		})
	}
}

var fastArgon = store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}}

type testHQ struct {
	*hqtest.HQ
	dir string
}

func startHQ(t *testing.T) testHQ {
	return testHQ{hqtest.Start(t, hq.Config{}), t.TempDir()}
}

// bundle enrols booth at post and writes its bundle to a file.
func (h testHQ) bundle(t *testing.T, booth, post string) string {
	t.Helper()
	data, err := h.Enrol(t, booth, post).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(h.dir, booth+".json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
