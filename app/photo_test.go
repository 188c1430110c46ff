package app_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
)

// TestPresentRecordsThePhotoWithTheRead: the photo the booth took for a
// document travels in the event and is handed to the store with the read
// itself, not after it.
func TestPresentRecordsThePhotoWithTheRead(t *testing.T) {
	photo := []byte("\xff\xd8\xff\xe0 traveller")
	taken := time.Date(2026, 11, 25, 8, 59, 59, 0, time.UTC)
	tests := []struct {
		name  string
		photo []byte
	}{
		{"with a photo", photo},
		{"without a camera", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.ready(t, "K1")
			ev := app.ReaderEvent{Kind: app.ReaderDocument, Lines: []string{clean}, Source: app.FromReader, Photo: tt.photo}
			if tt.photo != nil {
				ev.PhotoAt = taken
			}
			v, err := f.booth.Present(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.records.inspections) != 1 {
				t.Fatalf("%d reads recorded, want 1", len(f.records.inspections))
			}
			got := f.records.inspections[0]
			if !bytes.Equal(got.Photo, tt.photo) || !got.PhotoAt.Equal(ev.PhotoAt) || (tt.photo == nil) != (got.Photo == nil) {
				t.Errorf("recorded photo %q at %v, want %q at %v", got.Photo, got.PhotoAt, tt.photo, ev.PhotoAt)
			}
			if !bytes.Equal(v.Inspection.Photo, tt.photo) {
				t.Errorf("view's photo %q, want %q", v.Inspection.Photo, tt.photo)
			}
		})
	}
}
