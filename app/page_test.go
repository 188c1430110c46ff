package app

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// A camera's page is recorded at most 1400 pixels wide and within
// MaxPageBytes, even when it is noise that JPEG cannot compress.
func TestPageJPEG(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	noise := image.NewRGBA(image.Rect(0, 0, 3000, 2100))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(r.IntN(256))
	}
	small := image.NewGray(image.Rect(0, 0, 800, 560))
	small.SetGray(10, 10, color.Gray{200})
	for name, tt := range map[string]struct {
		img      image.Image
		maxWidth int
	}{"noise 3000 px": {noise, 1400}, "small page": {small, 800}} {
		jpg, err := PageJPEG(tt.img)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg))
		if err != nil || len(jpg) > MaxPageBytes || cfg.Width > tt.maxWidth || cfg.Width < tt.maxWidth/2 {
			t.Errorf("%s: %d bytes, %d×%d, %v", name, len(jpg), cfg.Width, cfg.Height, err)
		}
	}
	if _, err := PageJPEG(nil); err == nil {
		t.Error("no picture encoded without an error")
	}
}
