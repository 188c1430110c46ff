package synth_test

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/ocr/synth"
)

func TestCheckDigit(t *testing.T) {
	// ICAO 9303 part 3 examples.
	for _, tc := range []struct {
		in   string
		want byte
	}{{"L898902C3", '6'}, {"740812", '2'}, {"120415", '9'}, {"ZE184226B", '1'}, {"<<<<<<<<<<<<<<", '0'}} {
		if got := synth.CheckDigit(tc.in); got != tc.want {
			t.Errorf("CheckDigit(%q) = %c, want %c", tc.in, got, tc.want)
		}
	}
}

// TestRandomMRZValid: the generator's documents are valid for the MRZ engine, in
// the right shape — otherwise the OCR figures would measure the generator.
func TestRandomMRZValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shape := map[synth.Format][2]int{synth.TD1: {3, 30}, synth.TD2: {2, 36}, synth.TD3: {2, 44}}
	for i := 0; i < 300; i++ {
		f := synth.Formats[i%3]
		lines := synth.RandomMRZ(rng, f, synth.Today)
		if len(lines) != shape[f][0] {
			t.Fatalf("%s: %d lines", f, len(lines))
		}
		for _, l := range lines {
			if len(l) != shape[f][1] {
				t.Fatalf("%s: line %q has %d characters", f, l, len(l))
			}
		}
		if res := mrz.Parse(lines, synth.Today); !res.Valid || string(res.Format) != string(f) {
			t.Fatalf("%s %q: format %s valid %v errors %+v", f, lines, res.Format, res.Valid, res.Errors)
		}
	}
}

// TestRenderDeterministic: one seed, one picture; sizes follow the layout and dpi.
func TestRenderDeterministic(t *testing.T) {
	for _, c := range synth.Classes {
		t.Run(c.Name, func(t *testing.T) {
			a, err := synth.Generate(rand.New(rand.NewPCG(9, 9)), c)
			if err != nil {
				t.Fatal(err)
			}
			b, err := synth.Generate(rand.New(rand.NewPCG(9, 9)), c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pix(a.Image), pix(b.Image)) {
				t.Error("same seed, different pictures")
			}
			if a.Image.Bounds().Dx() < 300 || a.Image.Bounds().Dy() < 50 {
				t.Errorf("picture of %v", a.Image.Bounds())
			}
		})
	}
	if w, h := synth.PageSize(synth.TD3, 300); w != 1476 || h != 1039 {
		t.Errorf("TD3 at 300 dpi = %d×%d, want 1476×1039", w, h)
	}
}

func pix(img image.Image) []byte {
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			out = append(out, byte(r>>8))
		}
	}
	return out
}
