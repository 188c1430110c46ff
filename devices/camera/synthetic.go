package camera

import (
	"context"
	"image"
	"math/rand/v2"
	"time"

	"github.com/chekara/chekara/devices/ocr/synth"
)

// Synthetic is a camera looking at one generated document: every frame is a new
// rendering of the same MRZ with fresh distortions of the chosen class, as a webcam
// over the desk sees a page that shifts a little, so tests and the training booth
// exercise the whole capture → OCR path without a device.
type Synthetic struct {
	Format synth.Format
	Lines  []string
	Class  synth.Class
	rng    *rand.Rand
	// Interval paces frames like a camera (0: as fast as asked).
	Interval time.Duration
	last     time.Time
}

var _ FrameSource = (*Synthetic)(nil)

// NewSynthetic makes a source for a random document of format f and class c.
func NewSynthetic(seed uint64, f synth.Format, c synth.Class) *Synthetic {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &Synthetic{Format: f, Lines: synth.RandomMRZ(rng, f, synth.Today), Class: c, rng: rng}
}

// Frame renders the next frame.
func (s *Synthetic) Frame(ctx context.Context) (Frame, error) {
	if s.Interval > 0 && !s.last.IsZero() {
		select {
		case <-ctx.Done():
			return Frame{}, ctx.Err()
		case <-time.After(time.Until(s.last.Add(s.Interval))):
		}
	}
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	img, err := synth.Render(s.rng, s.Format, s.Lines, s.Class.Options(s.rng))
	if err != nil {
		return Frame{}, err
	}
	s.last = time.Now()
	return Frame{Image: img, At: s.last, Source: "synthetic"}, nil
}

// Close does nothing.
func (s *Synthetic) Close() error { return nil }

// Still is a source that returns the same picture every time (a flatbed scan).
type Still struct{ Image image.Image }

// Frame returns the picture.
func (s Still) Frame(ctx context.Context) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	return Frame{Image: s.Image, At: time.Now(), Source: "still"}, nil
}

// Close does nothing.
func (Still) Close() error { return nil }
