package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
)

// A camera read's page image is recorded with the read, tied to the audit
// chain like the photo, shown in the shift's review, and purged with its read.
func TestPageImageIsRecordedWithTheRead(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	at := time.Now()
	page, photo := facePhoto(t, 120), facePhoto(t, 40)
	in := readWithPhoto(s, photo, at)
	in.Source, in.PageImage, in.ShiftID = app.FromCamera, page, "shift-1"
	bare := readWithPhoto(s, nil, at.Add(time.Minute))
	bare.ShiftID = "shift-1"
	for _, r := range []app.Inspection{in, bare} {
		if err := s.RecordInspection(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.InspectionPage(ctx, in.ID)
	if err != nil || !bytes.Equal(got, page) {
		t.Fatalf("InspectionPage = %d bytes, %v; want the %d recorded", len(got), err, len(page))
	}
	if _, err := s.InspectionPage(ctx, bare.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("page of a reader's read: %v, want ENOTFOUND", err)
	}
	entries, err := s.AuditEntries(ctx, 0, 10)
	if err != nil || !strings.Contains(entries[0].Detail, `"page_sha256":"`) {
		t.Fatalf("the read's audit entry names no page hash: %+v, %v", entries, err)
	}
	if c, err := s.CheckAudit(ctx); err != nil || c.FirstBroken != 0 {
		t.Fatalf("CheckAudit = %+v, %v", c, err)
	}

	// A page swapped afterwards breaks the chain at its read, in words.
	if _, err := rawDB(t, path).Exec("UPDATE pages SET jpeg = ? WHERE inspection_id = ?", facePhoto(t, 7), in.ID); err != nil {
		t.Fatal(err)
	}
	c, err := s.CheckAudit(ctx)
	if err != nil || c.FirstBroken != 1 || !strings.Contains(c.Reason, "page image of inspection "+in.ID+" was changed") {
		t.Errorf("CheckAudit after the swap = %+v, %v; want broken at 1 for the page", c, err)
	}
	if _, err := rawDB(t, path).Exec("DELETE FROM pages WHERE inspection_id = ?", in.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.CheckAudit(ctx); c.FirstBroken != 1 || !strings.Contains(c.Reason, "was removed") {
		t.Errorf("CheckAudit after the removal = %+v; want broken at 1", c)
	}
}

func TestPageImageRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	for name, jpg := range map[string][]byte{
		"not a JPEG": []byte("GIF89a..."),
		"too big":    append(facePhoto(t, 1), make([]byte, app.MaxPageBytes)...),
	} {
		in := readWithPhoto(s, nil, time.Now())
		in.PageImage = jpg
		if err := s.RecordInspection(ctx, in); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "page image") {
			t.Errorf("%s: %v, want EINVALID naming the page image", name, err)
		}
	}
	if n, err := s.AuditEntries(ctx, 0, 10); err != nil || len(n) != 0 {
		t.Errorf("a refused read left %d audit entries (%v)", len(n), err)
	}
}

func TestPurgeRemovesPagesWithTheirInspections(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t, store.Options{})
	old := readWithPhoto(s, nil, time.Now().Add(-48*time.Hour))
	old.PageImage = facePhoto(t, 50)
	if err := s.RecordInspection(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, time.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InspectionPage(ctx, old.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("purged read's page: %v, want ENOTFOUND", err)
	}
	if c, err := s.CheckAudit(ctx); err != nil || c.FirstBroken != 0 {
		t.Errorf("CheckAudit after purge = %+v, %v", c, err)
	}
}
