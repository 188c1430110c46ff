package booth_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/store"
)

var today = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// clock is the tests' booth clock. The booth reads it from other goroutines
// (the HQ link, national history queries) while a test moves it: clockMu
// keeps the race detector's peace.
type clock struct{ t time.Time }

var clockMu sync.Mutex

func (c *clock) Now() time.Time {
	clockMu.Lock()
	defer clockMu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	clockMu.Lock()
	defer clockMu.Unlock()
	c.t = t
}

func (c *clock) add(d time.Duration) { c.set(c.Now().Add(d)) }

// openDemo opens a booth on a fresh store with the shipped demo lists and the
// default rules, one officer signed in, an entry shift open.
func openDemo(t *testing.T) (*booth.Booth, *clock) {
	t.Helper()
	clk := &clock{today}
	b, err := booth.Open(context.Background(), booth.Config{
		DataDir:   t.TempDir(),
		ListsFile: filepath.Join("..", "assets", "lists", "demo.jsonl"),
		Clock:     clk,
		Store:     store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	if err := b.Store.SaveOfficer(ctx, app.Officer{ID: "K1", Name: "K One", Role: app.RoleOfficer, Language: "en"}, "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.SignIn(ctx, "K1", "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.App.OpenShift(ctx, "DOSTUK", "DOSTUK-07", app.Entry); err != nil {
		t.Fatal(err)
	}
	return b, clk
}

func td3(t *testing.T, f mrz.Fields) app.ReaderEvent {
	t.Helper()
	lines, err := mrz.Compose(mrz.TD3, f)
	if err != nil {
		t.Fatal(err)
	}
	return app.ReaderEvent{Kind: app.ReaderDocument, Lines: lines}
}

func TestRealPartsEndToEnd(t *testing.T) {
	b, clk := openDemo(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		fields   mrz.Fields
		category string // the first hit's; "" for none
		verdict  string
	}{
		{"listed person, transliterated", mrz.Fields{IssuingState: "RUS", Surname: "IVANOV", GivenNames: "IURII", DocumentNumber: "754000111",
			Nationality: "RUS", BirthDateISO: "1975-03-14", Sex: "M", ExpiryDateISO: "2030-01-01"}, "deny_entry", app.VerdictHitOpen},
		{"stolen document", mrz.Fields{IssuingState: "KGZ", Surname: "TOKTOGULOV", GivenNames: "ERMEK", DocumentNumber: "AC1234567",
			Nationality: "KGZ", BirthDateISO: "1990-02-02", Sex: "M", ExpiryDateISO: "2030-01-01"}, "stolen", app.VerdictHitOpen},
		{"clean citizen", mrz.Fields{IssuingState: "KGZ", Surname: "SADYKOV", GivenNames: "NURLAN", DocumentNumber: "AC7000001",
			Nationality: "KGZ", BirthDateISO: "1984-06-01", Sex: "M", ExpiryDateISO: "2031-06-01"}, "", app.VerdictClear},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := b.App.Present(ctx, td3(t, tt.fields))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(v.Hits) > 0 {
				got = v.Hits[0].Category
			}
			if got != tt.category {
				t.Errorf("first hit %q, want %q (%+v)", got, tt.category, v.Hits)
			}
			if v.Verdict.Key != tt.verdict {
				t.Errorf("verdict %q, want %q", v.Verdict.Key, tt.verdict)
			}
			if !v.StayKnown {
				t.Errorf("stay not computed: %s", v.StayError)
			}
			if tt.verdict != app.VerdictClear { // no read vanishes under the next: set it aside
				if _, err := b.App.SetAside(ctx, "read for the test only"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}

	// Admit the clean citizen, then see the crossing in their history at the exit.
	if _, err := b.App.Decide(ctx, app.DecisionRequest{Decision: app.Admit}); err != nil {
		t.Fatal(err)
	}
	clk.set(today.Add(72 * time.Hour))
	if err := b.App.SetDirection(ctx, app.Exit); err != nil {
		t.Fatal(err)
	}
	v, err := b.App.Present(ctx, td3(t, tests[2].fields))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.History) != 1 || v.History[0].Decision != app.Admit {
		t.Fatalf("history %+v", v.History)
	}
	if !v.Stay.Free {
		t.Errorf("a KGZ citizen's stay %+v, want free movement", v.Stay)
	}
	n, err := b.Store.Pending(ctx)
	if err != nil || n != 3 { // the admission and the two reads set aside
		t.Errorf("pending %d, %v; want 3", n, err)
	}
	if _, err := b.Store.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}

func TestPartialBirthDates(t *testing.T) {
	tests := []struct {
		name, lines0, lines1 string
		want                 string
	}{
		{"unknown day", "P<KGZOSMONOV<<TALANT<<<<<<<<<<<<<<<<<<<<<<<<", "AC76543210KGZ8807<<8M3001019<<<<<<<<<<<<<<00", "1988-07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mrz.Parser{}.ParseMRZ([]string{tt.lines0, tt.lines1}, today)
			if d.BirthDate != tt.want {
				t.Errorf("birth date %q, want %q (errors %+v)", d.BirthDate, tt.want, d.Errors)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  booth.Config
	}{
		{"no data folder", booth.Config{}},
		{"missing list file", booth.Config{DataDir: t.TempDir(), ListsFile: "/nonexistent/list.jsonl"}},
		{"missing rules", booth.Config{DataDir: t.TempDir(), RulesFile: "/nonexistent/rules.json"}},
		{"rules that are not rules", booth.Config{DataDir: t.TempDir(), RulesFile: filepath.Join("..", "assets", "reasons", "refusal.json")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if b, err := booth.Open(context.Background(), tt.cfg); err == nil {
				b.Close()
				t.Errorf("Open succeeded")
			}
		})
	}
}
