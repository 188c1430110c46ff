package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

// facePhoto encodes a small 35:45 picture as the booth's camera does.
func facePhoto(tb testing.TB, shade uint8) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, 70, 90))
	for i := range img.Pix {
		img.Pix[i] = shade + uint8(i%7)
	}
	img.SetGray(35, 45, color.Gray{255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readWithPhoto is a document read carrying the traveller's photo.
func readWithPhoto(s *store.Store, jpg []byte, at time.Time) app.Inspection {
	return app.Inspection{ID: s.NewID(), OfficerID: "1001", Source: app.FromReader, Format: "TD3", Valid: true,
		Lines: []string{"P<UZB..."}, ReadAt: at, Photo: jpg, PhotoAt: at.Add(-300 * time.Millisecond)}
}

func TestPhotoIsRecordedWithTheRead(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	jpg := facePhoto(t, 40)
	in := readWithPhoto(s, jpg, at)
	lookups := []app.AuditEntry{{Action: app.AuditHistoryView, OfficerID: "1001", Detail: `{"purpose":"primary"}`}}
	if err := s.RecordInspectionWith(ctx, in, lookups); err != nil {
		t.Fatal(err)
	}
	got, err := s.Photo(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.JPEG, jpg) || got.SHA256 != sha256.Sum256(jpg) || !got.TakenAt.Equal(in.PhotoAt) || got.InspectionID != in.ID {
		t.Errorf("Photo = %d bytes, sum %x, taken %v, id %q; want %d bytes taken %v",
			len(got.JPEG), got.SHA256, got.TakenAt, got.InspectionID, len(jpg), in.PhotoAt)
	}
	// The read's audit entry names the photo's hash; the chain verifies.
	entries, err := s.AuditEntries(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(jpg)
	if len(entries) != 2 || entries[0].Action != app.AuditDocumentRead || !strings.Contains(entries[0].Detail, `"photo_sha256":"`) ||
		!strings.Contains(entries[0].Detail, hex.EncodeToString(sum[:])) {
		t.Fatalf("audit %+v", entries)
	}
	if c, err := s.CheckAudit(ctx); err != nil || c.FirstBroken != 0 {
		t.Fatalf("CheckAudit = %+v, %v", c, err)
	}

	// A read without a photo has none, and no hash in its entry.
	bare := readWithPhoto(s, nil, at.Add(time.Minute))
	if err := s.RecordInspection(ctx, bare); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Photo(ctx, bare.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("Photo of a read without one: %v, want ENOTFOUND", err)
	}
	if _, err := s.Photo(ctx, "no-such-inspection"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("Photo of an unknown inspection: %v, want ENOTFOUND", err)
	}
}

func TestPhotoRefused(t *testing.T) {
	big := make([]byte, app.MaxPhotoBytes+1)
	copy(big, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	tests := []struct {
		name string
		jpg  []byte
	}{
		{"over the cap", big},
		{"not a JPEG", []byte("\x89PNG\r\n\x1a\n not a face")},
		{"empty", []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, path := openStore(t, store.Options{})
			in := readWithPhoto(s, tt.jpg, time.Now())
			if err := s.RecordInspection(ctx, in); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("RecordInspection = %v, want EINVALID", err)
			}
			// Nothing of the read was recorded: the read and its photo are one record.
			var n int
			if err := rawDB(t, path).QueryRow("SELECT (SELECT count(*) FROM inspections) + (SELECT count(*) FROM photos) + (SELECT count(*) FROM audit)").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d rows written for a refused read", n)
			}
		})
	}
	// Exactly at the cap is fine.
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	if err := s.RecordInspection(ctx, readWithPhoto(s, big[:app.MaxPhotoBytes], time.Now())); err != nil {
		t.Errorf("a photo of exactly %d bytes: %v", app.MaxPhotoBytes, err)
	}
}

// TestTamperedPhotoBreaksTheAuditChain: someone going around the store to
// change or remove a recorded photo is caught by CheckAudit at the read's entry.
func TestTamperedPhotoBreaksTheAuditChain(t *testing.T) {
	tests := []struct {
		name, sql, reason string
		other             bool // the statement also takes another photo
	}{
		{"changed", "UPDATE photos SET jpeg = ?2 WHERE inspection_id = ?1", "was changed", true},
		{"removed", "DELETE FROM photos WHERE inspection_id = ?1", "was removed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, path := openStore(t, store.Options{})
			first := readWithPhoto(s, facePhoto(t, 40), time.Now())
			target := readWithPhoto(s, facePhoto(t, 90), time.Now())
			for _, in := range []app.Inspection{first, target} {
				if err := s.RecordInspection(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Decide(ctx, crossing("FA1", "KARIMOV", time.Now())); err != nil {
				t.Fatal(err)
			}
			args := []any{target.ID}
			if tt.other {
				args = append(args, facePhoto(t, 200))
			}
			if _, err := rawDB(t, path).Exec(tt.sql, args...); err != nil {
				t.Fatal(err)
			}
			c, err := s.CheckAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := c.FirstBroken, int64(2); got != want || !strings.Contains(c.Reason, target.ID) || !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("CheckAudit = broken at %d (%q), want %d saying the photo %s", got, c.Reason, want, tt.reason)
			}
		})
	}
}

func TestPurgeRemovesPhotosWithTheirInspections(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	old := readWithPhoto(s, facePhoto(t, 40), time.Now().Add(-48*time.Hour))
	recent := readWithPhoto(s, facePhoto(t, 90), time.Now())
	for _, in := range []app.Inspection{old, recent} {
		if err := s.RecordInspection(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.Purge(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Inspections != 1 {
		t.Fatalf("purged %d inspections, want 1", res.Inspections)
	}
	if _, err := s.Photo(ctx, old.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("purged inspection's photo: %v, want ENOTFOUND", err)
	}
	if _, err := s.Photo(ctx, recent.ID); err != nil {
		t.Errorf("recent inspection's photo: %v", err)
	}
	var n int
	if err := rawDB(t, path).QueryRow("SELECT count(*) FROM photos").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d photos left (%v), want 1", n, err)
	}
	// A purged photo is not tampering: the chain still verifies.
	if c, err := s.CheckAudit(ctx); err != nil || c.FirstBroken != 0 {
		t.Errorf("CheckAudit after purge = %+v, %v", c, err)
	}
}

// TestSchemaOneStoreGainsPhotos: a booth file written before photos existed
// (schema 1) is brought forward on open, keeps its record, and verifies.
func TestSchemaOneStoreGainsPhotos(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	old := readWithPhoto(s, nil, time.Now())
	if err := s.RecordInspection(ctx, old); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Make it a schema-1 file, as an earlier booth wrote it: without what
	// migrations 0002 (photos) and 0003 (set-aside reads) add, and with the
	// crossings table as 0005 found it.
	raw := rawDB(t, path)
	for _, q := range []string{"DROP TABLE photos", "DROP TABLE set_asides", "DROP INDEX inspections_undecided",
		"DROP TABLE crossings", schemaOneCrossings, "CREATE INDEX crossings_document ON crossings (doc_number, doc_state)",
		"CREATE INDEX crossings_person ON crossings (surname, birth_date, given_names, nationality)",
		"ALTER TABLE inspections DROP COLUMN settled", "ALTER TABLE shifts DROP COLUMN overrides",
		"ALTER TABLE shifts DROP COLUMN set_aside", "PRAGMA user_version = 1"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	s2, err := store.Open(path, store.Options{Argon2: cheap})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var version int
	if err := rawDB(t, path).QueryRow("PRAGMA user_version").Scan(&version); err != nil || version < 3 {
		t.Fatalf("user_version = %d (%v), want 3 or later", version, err)
	}
	in := readWithPhoto(s2, facePhoto(t, 40), time.Now())
	if err := s2.RecordInspection(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Photo(ctx, in.ID); err != nil {
		t.Errorf("photo after the migration: %v", err)
	}
	if c, err := s2.CheckAudit(ctx); err != nil || c.FirstBroken != 0 || c.Entries != 2 {
		t.Errorf("CheckAudit = %+v, %v", c, err)
	}
}

// schemaOneCrossings is the crossings table of migration 0001.
const schemaOneCrossings = `CREATE TABLE crossings (
	seq         INTEGER PRIMARY KEY REFERENCES outbox (seq),
	id          TEXT NOT NULL UNIQUE,
	booth_time  INTEGER NOT NULL,
	doc_state   TEXT NOT NULL,
	doc_number  TEXT NOT NULL,
	surname     TEXT NOT NULL,
	given_names TEXT NOT NULL,
	birth_date  TEXT NOT NULL,
	nationality TEXT NOT NULL,
	payload     BLOB NOT NULL
)`
