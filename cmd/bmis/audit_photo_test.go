package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

// TestAuditVerifyFindsASwappedPhoto: a traveller's photo replaced in the file
// behind the store's back is named by `bmis audit verify` at its read's entry.
func TestAuditVerifyFindsASwappedPhoto(t *testing.T) {
	db := filepath.Join(t.TempDir(), "booth.db")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Two minimal JPEG-marked photos: the store checks the marker and the size,
	// the chain checks the bytes.
	photo := []byte("\xff\xd8\xff\xe0 first traveller")
	in := app.Inspection{ID: s.NewID(), OfficerID: "1001", Source: app.FromReader, ReadAt: time.Now(), Photo: photo}
	if err := s.RecordInspection(ctx, in); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, _ := runBMIS(t, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "OK: audit chain intact, 1 entries") {
		t.Fatalf("intact: exit %d: %s", code, out)
	}

	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE photos SET jpeg = ? WHERE inspection_id = ?", []byte("\xff\xd8\xff\xe0 somebody else"), in.ID); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, out, _ := runBMIS(t, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "BROKEN: audit entry 1 does not verify: the photo of inspection "+in.ID+" was changed") {
		t.Fatalf("swapped photo: exit %d: %s", code, out)
	}
}
