package ocr_test

import (
	"context"
	"image"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/camera"
	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
)

// script is a camera that shows the given pictures in order, then ends.
type script struct {
	frames []image.Image
	i      int
}

func (s *script) Frame(ctx context.Context) (camera.Frame, error) {
	if s.i >= len(s.frames) {
		return camera.Frame{}, camera.ErrNoMoreFrames
	}
	s.i++
	return camera.Frame{Image: s.frames[s.i-1], At: time.Now(), Source: "script"}, nil
}

func (s *script) Close() error { return nil }

// TestCameraSource: two documents shown one after the other, each followed by an
// empty desk, come out as two document events with their page, then the end of the
// pictures as a disconnect.
func TestCameraSource(t *testing.T) {
	r := newReader(t, ocr.Options{})
	rng := rand.New(rand.NewPCG(21, 21))
	clean, _ := synth.ClassByName("clean-300dpi")
	a, err := synth.GenerateFormat(rng, clean, synth.TD3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := synth.GenerateFormat(rng, clean, synth.TD1)
	if err != nil {
		t.Fatal(err)
	}
	desk := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range desk.Pix {
		desk.Pix[i] = 90
	}
	frames := []image.Image{a.Image, a.Image, desk, desk, desk, b.Image, desk, desk, desk}
	src := &ocr.CameraSource{
		Open:   func() (camera.FrameSource, error) { return &script{frames: frames}, nil },
		Reader: r,
		Retry:  10 * time.Millisecond,
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []app.ReaderEvent
	done := make(chan error, 1)
	go func() {
		done <- src.Run(ctx, func(e app.ReaderEvent) {
			mu.Lock()
			got = append(got, e)
			n := len(got)
			mu.Unlock()
			if e.Kind == app.ReaderDisconnected || n > 10 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("Run did not end")
	}
	mu.Lock()
	defer mu.Unlock()
	var kinds []app.ReaderEventKind
	var docs [][]string
	for _, e := range got {
		kinds = append(kinds, e.Kind)
		if e.Kind == app.ReaderDocument {
			docs = append(docs, e.Lines)
			if e.Source != app.FromCamera || e.Image == nil {
				t.Errorf("document event: source %q, image %v", e.Source, e.Image != nil)
			}
		}
	}
	want := []app.ReaderEventKind{app.ReaderConnected, app.ReaderDocument, app.ReaderDocument, app.ReaderDisconnected}
	if !slices.Equal(kinds, want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	if !slices.Equal(docs[0], a.Lines) || !slices.Equal(docs[1], b.Lines) {
		t.Errorf("documents %q, want %q and %q", docs, a.Lines, b.Lines)
	}
}
