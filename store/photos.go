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

// readDetail is the audit detail of a document read; PhotoSHA256 and
// PageSHA256 tie the stored photo and page image to the chain (see
// checkDocumentRead).
type readDetail struct {
	Source      string `json:"source"`
	Format      string `json:"format"`
	Valid       bool   `json:"valid"`
	PhotoSHA256 string `json:"photo_sha256,omitempty"`
	PageSHA256  string `json:"page_sha256,omitempty"`
}

// jpegStart is the start-of-image marker every JPEG file begins with.
var jpegStart = []byte{0xFF, 0xD8, 0xFF}

// checkPhoto refuses what cannot be an inspection's photo; nil is no photo.
func checkPhoto(jpg []byte) error {
	return checkPicture(jpg, "traveller's photo", app.MaxPhotoBytes)
}

// checkPage refuses what cannot be an inspection's page image; nil is none.
func checkPage(jpg []byte) error {
	return checkPicture(jpg, "document page image", app.MaxPageBytes)
}

func checkPicture(jpg []byte, what string, max int) error {
	switch {
	case jpg == nil:
		return nil
	case len(jpg) > max:
		return app.Errorf(app.EINVALID, "The %s is %d KiB; the booth stores at most %d KiB.", what, (len(jpg)+1023)/1024, max>>10)
	case !bytes.HasPrefix(jpg, jpegStart):
		return app.Errorf(app.EINVALID, "The %s is not a JPEG picture.", what)
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

// insertPage stores in's page image inside the read's transaction and returns
// its SHA-256 in hex for the audit detail; "" when there is none.
func insertPage(ctx context.Context, tx *sql.Tx, in app.Inspection) (string, error) {
	if in.PageImage == nil {
		return "", nil
	}
	sum := sha256.Sum256(in.PageImage)
	_, err := tx.ExecContext(ctx, "INSERT INTO pages (inspection_id, jpeg, sha256) VALUES (?, ?, ?)", in.ID, in.PageImage, sum[:])
	return hex.EncodeToString(sum[:]), err
}

// Page returns the document page image recorded with inspection id (JPEG).
// Errors: ENOTFOUND when the read has none (a reader gives text only), or it
// was purged with its inspection.
func (s *Store) Page(ctx context.Context, inspectionID string) ([]byte, error) {
	var jpg []byte
	err := s.r.QueryRowContext(ctx, "SELECT jpeg FROM pages WHERE inspection_id = ?", inspectionID).Scan(&jpg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "There is no page image for inspection %s at this booth.", inspectionID)
	} else if err != nil {
		return nil, s.fail(err, "read page image")
	}
	return jpg, nil
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

// checkDocumentRead compares a document read's photo and page hashes with the
// stored pictures: one changed, swapped or removed while its inspection is
// still stored breaks the chain there.
func (s *Store) checkDocumentRead(ctx context.Context, e app.AuditEntry) (string, error) {
	var d readDetail
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		return "", nil // written before reads had a detail
	}
	if d.PhotoSHA256 != "" { // a read without a photo, or written before photos were stored
		if why, err := s.checkPicture(ctx, e.Subject, "photos", "photo", d.PhotoSHA256); why != "" || err != nil {
			return why, err
		}
	}
	if d.PageSHA256 != "" {
		return s.checkPicture(ctx, e.Subject, "pages", "page image", d.PageSHA256)
	}
	return "", nil
}

// checkPicture compares the picture of inspection id in table with the hash
// its read's audit entry holds.
func (s *Store) checkPicture(ctx context.Context, id, table, what, want string) (string, error) {
	var jpg []byte
	err := s.r.QueryRowContext(ctx, "SELECT jpeg FROM "+table+" WHERE inspection_id = ?", id).Scan(&jpg)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM inspections WHERE id = ?", id).Scan(&n); err != nil {
			return "", s.fail(err, "verify audit")
		}
		if n == 0 {
			return "", nil // purged with its inspection
		}
		return fmt.Sprintf("the %s of inspection %s was removed after it was recorded", what, id), nil
	} else if err != nil {
		return "", s.fail(err, "verify audit")
	}
	sum := sha256.Sum256(jpg)
	if hex.EncodeToString(sum[:]) != want {
		return fmt.Sprintf("the %s of inspection %s was changed after it was recorded", what, id), nil
	}
	return "", nil
}
