package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/store"
)

// TestAuditVerifyFindsADeletedCrossing: with write access to booth.db, the
// triggers dropped and one never-sent crossing deleted (its audit entries left
// alone, so the chain still verifies), `bmis audit verify` fails and names
// both (issue 14, item 1). Crossings a recorded purge removed are not flagged.
func TestAuditVerifyFindsADeletedCrossing(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string
		code   int
		want   []string
	}{
		{"untouched", nil, 0, []string{"OK: audit chain intact"}},
		{"a crossing deleted behind the store's back", []string{
			"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete",
			"DELETE FROM crossings WHERE seq = 37", "DELETE FROM outbox WHERE seq = 37",
		}, 1, []string{"MISSING: crossing", "(seq 37,", "never sent to HQ", "TAMPERED: the audit log's append-only triggers are missing: audit_no_update, audit_no_delete"}},
		{"triggers dropped only", []string{"DROP TRIGGER audit_no_delete"}, 1, []string{"TAMPERED", "audit_no_delete"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "booth.db")
			if code, out, errs := runBMIS(t, "seed", "--db", db, "--crossings", "60", "--seed", "7"); code != 0 {
				t.Fatalf("seed: %s%s", out, errs)
			}
			raw, err := sql.Open("sqlite", "file:"+db)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.tamper {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			raw.Close()
			code, out, _ := runBMIS(t, "audit", "verify", "--db", db)
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestAuditVerifyAcceptsARecordedPurge: crossings HQ acknowledged and the
// store purged, with its audit entry, are not missing.
func TestAuditVerifyAcceptsARecordedPurge(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	if code, out, errs := runBMIS(t, "seed", "--db", db, "--crossings", "40", "--seed", "7"); code != 0 {
		t.Fatalf("seed: %s%s", out, errs)
	}
	ctx := context.Background()
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, 25); err != nil {
		t.Fatal(err)
	}
	res, err := s.Purge(ctx, time.Now().Add(24*time.Hour))
	if err != nil || res.Crossings != 25 {
		t.Fatalf("purge: %+v %v", res, err)
	}
	s.Close()
	if code, out, _ := runBMIS(t, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("exit %d after a recorded purge: %s", code, out)
	}
}
