package ocr_test

import (
	"context"
	"errors"
	"image"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/camera"
	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
)

func frames(src camera.FrameSource) ocr.NextFrame {
	return func(ctx context.Context) (image.Image, error) {
		f, err := src.Frame(ctx)
		return f.Image, err
	}
}

// TestReadStream: a synthetic webcam stream of one document (degraded frames) is
// read until it validates, well within the timeout.
func TestReadStream(t *testing.T) {
	r := newReader(t, ocr.Options{})
	for fi, f := range synth.Formats {
		if raceEnabled && fi > 0 {
			break // one format is enough under the race detector
		}
		t.Run(string(f), func(t *testing.T) {
			c, _ := synth.ClassByName("degraded-all")
			src := camera.NewSynthetic(uint64(len(f))*7, f, c)
			got, err := r.ReadStream(context.Background(), frames(src), synth.Today, 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Done || !got.MRZ.Valid {
				t.Fatalf("not done after %d frames: %q", got.Frames, got.Lines)
			}
			if !slices.Equal(got.Lines, src.Lines) {
				t.Errorf("got %q, want %q", got.Lines, src.Lines)
			}
		})
	}
}

// TestReadStreamTimeout: a stream with no document ends at the timeout, not found.
func TestReadStreamTimeout(t *testing.T) {
	r := newReader(t, ocr.Options{})
	blank := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range blank.Pix {
		blank.Pix[i] = 200
	}
	src := camera.Still{Image: blank}
	start := time.Now()
	got, err := r.ReadStream(context.Background(), frames(src), synth.Today, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if got.Found || got.Done || got.Frames == 0 {
		t.Errorf("blank stream: found %v done %v frames %d", got.Found, got.Done, got.Frames)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v for a 300 ms timeout", el)
	}
	// A source that fails before any frame reports its error.
	boom := errors.New("unplugged")
	_, err = r.ReadStream(context.Background(), func(context.Context) (image.Image, error) { return nil, boom }, synth.Today, time.Second)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
}
