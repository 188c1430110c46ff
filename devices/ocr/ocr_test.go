package ocr_test

import (
	"image"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/internal/testenv"
)

func newReader(tb testing.TB, opt ocr.Options) *ocr.Reader {
	tb.Helper()
	r, err := ocr.NewReader(opt)
	testenv.Require(tb, "Tesseract", err)
	tb.Cleanup(func() { r.Close() })
	return r
}

// TestReadClasses reads a few generated documents of every distortion class and
// format; each must come back exactly as printed and valid.
func TestReadClasses(t *testing.T) {
	r := newReader(t, ocr.Options{})
	rng := rand.New(rand.NewPCG(5, 5))
	for ci, c := range synth.Classes {
		for fi, f := range synth.Formats {
			if (raceEnabled || testing.Short()) && fi != ci%len(synth.Formats) {
				continue
			}
			t.Run(c.Name+"/"+string(f), func(t *testing.T) {
				s, err := synth.GenerateFormat(rng, c, f)
				if err != nil {
					t.Fatal(err)
				}
				got, err := r.Read(s.Image, synth.Today)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Found {
					t.Fatalf("not found: %s", got.Reason)
				}
				if !slices.Equal(got.Lines, s.Lines) {
					t.Fatalf("got  %q\nwant %q (tesseract %q)", got.Lines, s.Lines, got.Tesseract)
				}
				if !got.MRZ.Valid {
					t.Errorf("valid = false, errors %+v", got.MRZ.Errors)
				}
				if want := c.Name == "upside-down"; got.UpsideDown != want {
					t.Errorf("upside down = %v, want %v", got.UpsideDown, want)
				}
			})
		}
	}
}

// TestNoMRZ: pictures without an MRZ say so instead of inventing one.
func TestNoMRZ(t *testing.T) {
	r := newReader(t, ocr.Options{})
	blank := image.NewGray(image.Rect(0, 0, 800, 500))
	for i := range blank.Pix {
		blank.Pix[i] = 230
	}
	noise := image.NewGray(image.Rect(0, 0, 640, 480))
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
	}
	for name, img := range map[string]image.Image{
		"blank": blank, "noise": noise, "tiny": image.NewGray(image.Rect(0, 0, 3, 3)),
		"empty": image.NewGray(image.Rect(0, 0, 0, 0)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := r.Read(img, synth.Today)
			if err != nil {
				t.Fatal(err)
			}
			if got.Found && got.MRZ.Valid {
				t.Fatalf("a valid MRZ in %s: %q", name, got.Lines)
			}
			if !got.Found && got.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestMisprintNotValid: a printed MRZ with a wrong character in a checked field must
// not come back valid (the check digits must catch it, not be "repaired" around it).
func TestMisprintNotValid(t *testing.T) {
	r := newReader(t, ocr.Options{})
	rng := rand.New(rand.NewPCG(3, 3))
	n := 6
	if raceEnabled {
		n = 3
	}
	for i := 0; i < n; i++ {
		f := synth.Formats[i%3]
		lines := synth.RandomMRZ(rng, f, synth.Today)
		bad := slices.Clone(lines)
		// Change one digit of the birth date: line 2 (TD3/TD2 col 13, TD1 col 0).
		li, col := 1, 13
		if f == synth.TD1 {
			col = 0
		}
		b := []byte(bad[li])
		b[col] = '0' + (b[col]-'0'+1)%10
		bad[li] = string(b)
		img, err := synth.Render(rng, f, bad, synth.Options{DPI: 300})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Read(img, synth.Today)
		if err != nil {
			t.Fatal(err)
		}
		if got.MRZ.Valid {
			t.Errorf("%s: misprint %q read as valid %q", f, bad, got.Lines)
		}
	}
}
