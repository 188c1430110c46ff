package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// runBMIS runs the toolbox through its dispatcher.
func runBMIS(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSeedThenAuditVerifyFindsATamperedEntry(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	code, out, errs := runBMIS(t, "seed", "--db", db, "--crossings", "3000", "--seed", "42", "--batch", "700")
	if code != 0 || !strings.Contains(out, "wrote 3000 crossings") {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errs)
	}

	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n, _ := s.Pending(ctx); n != 3000 {
		t.Fatalf("Pending = %d, want 3000 (each seeded crossing has its outbox row)", n)
	}
	entries, _ := s.AuditEntries(ctx, 0, 5000)
	decisions := 0
	for _, e := range entries {
		if e.Action == app.AuditDecision {
			decisions++
		}
	}
	if decisions != 3000 {
		t.Fatalf("%d decision audit entries, want 3000", decisions)
	}
	// The population is realistic: a mix of nationalities, refusals, and a
	// renewed passport that the person key still finds.
	recs, _ := s.Outbox(ctx, 0, 3000, 0)
	nats, refused := map[string]int{}, 0
	for _, r := range recs {
		c, _ := wire.DecodeCrossing(r.Payload)
		nats[c.Traveller.Nationality]++
		if c.Decision == app.Refuse {
			refused++
		}
	}
	if len(nats) < 6 || nats["KGZ"] == 0 || nats["UZB"] == 0 || refused == 0 {
		t.Fatalf("population: nationalities %v, %d refused", nats, refused)
	}
	s.Close()

	code, out, _ = runBMIS(t, "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "OK: audit chain intact, 3001 entries") {
		t.Fatalf("intact chain: exit %d: %s", code, out)
	}

	// Someone goes around the store: drops the trigger and edits entry 1234.
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_no_update", `UPDATE audit SET detail = replace(detail, '"refuse"', '"admit"') WHERE seq = 1234`, `UPDATE audit SET officer_id = 'X' WHERE seq = 1234`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	code, out, _ = runBMIS(t, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "BROKEN: audit entry 1234 does not verify") {
		t.Fatalf("tampered chain: exit %d: %s", code, out)
	}
}

func TestAuditVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("not a database"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"audit"}, 2, "usage"},
		{[]string{"audit", "verify"}, 2, "usage"},
		{[]string{"audit", "verify", "--db", filepath.Join(dir, "missing.db")}, 1, "no booth database"},
		{[]string{"audit", "verify", "--db", notes}, 1, "not a booth database"},
		{[]string{"seed", "--crossings", "5"}, 2, "usage"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runBMIS(t, tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.want) {
				t.Fatalf("exit %d, want %d; output %q lacks %q", code, tt.code, out+errs, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Fatal("verify created the database it was asked to check")
	}
}
