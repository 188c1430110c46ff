package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chekara/chekara/app"
)

// Photo is the traveller's face photo recorded with an inspection. It stays at
// the booth: HQ receives only crossings.
type Photo struct {
	InspectionID string
	JPEG         []byte
	SHA256       [sha256.Size]byte
	TakenAt      time.Time
}

// readDetail is the audit detail of a document read; PhotoSHA256 ties the
// stored photo to the chain (see checkDocumentRead).
type readDetail struct {
	Source      string `json:"source"`
	Format      string `json:"format"`
	Valid       bool   `json:"valid"`
	PhotoSHA256 string `json:"photo_sha256,omitempty"`
}

// jpegStart is the start-of-image marker every JPEG file begins with.
var jpegStart = []byte{0xFF, 0xD8, 0xFF}

// checkPhoto refuses what cannot be an inspection's photo; nil is no photo.
func checkPhoto(jpg []byte) error {
	switch {
	case jpg == nil:
		return nil
	case len(jpg) > app.MaxPhotoBytes:
		return app.Errorf(app.EINVALID, "The traveller's photo is %d KiB; the booth stores at most %d KiB.", (len(jpg)+1023)/1024, app.MaxPhotoBytes>>10)
	case !bytes.HasPrefix(jpg, jpegStart):
		return app.Errorf(app.EINVALID, "The traveller's photo is not a JPEG picture.")
	}
	return nil
}

// insertPhoto stores in's photo inside the read's transaction and returns its
// SHA-256 in hex for the audit detail; "" when there is no photo.
func insertPhoto(ctx context.Context, tx *sql.Tx, in app.Inspection) (string, error) {
	if in.Photo == nil {
		return "", nil
	}
	at := in.PhotoAt
	if at.IsZero() {
		at = in.ReadAt
	}
	sum := sha256.Sum256(in.Photo)
	_, err := tx.ExecContext(ctx, "INSERT INTO photos (inspection_id, jpeg, sha256, taken_at) VALUES (?, ?, ?, ?)",
		in.ID, in.Photo, sum[:], nanos(at))
	return hex.EncodeToString(sum[:]), err
}

// Photo returns the face photo recorded with inspection id.
// Errors: ENOTFOUND when the inspection has no photo (none was taken, or it was
// purged with its inspection).
func (s *Store) Photo(ctx context.Context, inspectionID string) (Photo, error) {
	p := Photo{InspectionID: inspectionID}
	var sum []byte
	var at int64
	err := s.r.QueryRowContext(ctx, "SELECT jpeg, sha256, taken_at FROM photos WHERE inspection_id = ?", inspectionID).Scan(&p.JPEG, &sum, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Photo{}, app.Errorf(app.ENOTFOUND, "There is no photo for inspection %s at this booth.", inspectionID)
	} else if err != nil {
		return Photo{}, s.fail(err, "read photo")
	}
	copy(p.SHA256[:], sum)
	p.TakenAt = fromNanos(at)
	return p, nil
}

// checkDocumentRead compares a document read's photo hash with the stored
// photo: a photo changed, swapped or removed while its inspection is still
// stored breaks the chain there.
func (s *Store) checkDocumentRead(ctx context.Context, e app.AuditEntry) (string, error) {
	var d readDetail
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil || d.PhotoSHA256 == "" {
		return "", nil // a read without a photo, or written before photos were stored
	}
	var jpg []byte
	err := s.r.QueryRowContext(ctx, "SELECT jpeg FROM photos WHERE inspection_id = ?", e.Subject).Scan(&jpg)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM inspections WHERE id = ?", e.Subject).Scan(&n); err != nil {
			return "", s.fail(err, "verify audit")
		}
		if n == 0 {
			return "", nil // purged with its inspection
		}
		return fmt.Sprintf("the photo of inspection %s was removed after it was recorded", e.Subject), nil
	} else if err != nil {
		return "", s.fail(err, "verify audit")
	}
	sum := sha256.Sum256(jpg)
	if hex.EncodeToString(sum[:]) != d.PhotoSHA256 {
		return fmt.Sprintf("the photo of inspection %s was changed after it was recorded", e.Subject), nil
	}
	return "", nil
}
