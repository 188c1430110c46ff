package synth_test

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/chekara/chekara/devices/ocr/synth"
)

// TestFace: a seed is one person, always drawn the same; two seeds are two
// people (an impostor must look like someone else).
func TestFace(t *testing.T) {
	a, again, b := synth.Face(501, 70, 90), synth.Face(501, 70, 90), synth.Face(551, 70, 90)
	if !bytes.Equal(a.Pix, again.Pix) {
		t.Error("the same seed drew two faces")
	}
	if diff := differ(a, b); diff < 0.05 {
		t.Errorf("two seeds differ in %.1f %% of pixels, want a different person", 100*diff)
	}
}

func differ(a, b *image.RGBA) float64 {
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		if a.Pix[i] != b.Pix[i] || a.Pix[i+1] != b.Pix[i+1] || a.Pix[i+2] != b.Pix[i+2] {
			n++
		}
	}
	return float64(n) / float64(len(a.Pix)/4)
}

// TestHolderPage: a printed page with a photo prints the holder's face, so two
// holders' pages differ where the photo is, and render the same each time.
func TestHolderPage(t *testing.T) {
	lines := []string{"P<KGZASANOV<<TALANT<<<<<<<<<<<<<<<<<<<<<<<<<", "AC12345674KGZ9001012M3001015<<<<<<<<<<<<<<02"}
	page := func(face uint64) *image.Gray {
		img, err := synth.Render(rand.New(rand.NewPCG(1, 2)), synth.TD3, lines, synth.Options{DPI: 100,
			Printed: &synth.Printed{Title: "KYRGYZSTAN   PASSPORT", Surname: "ASANOV", GivenNames: "TALANT", Nationality: "KYRGYZSTAN", Sex: "M",
				BirthDate: "01 JAN 1990", Expiry: "01 JAN 2030", Number: "AC1234567", Photo: face}})
		if err != nil {
			t.Fatal(err)
		}
		return img.(*image.Gray)
	}
	if !bytes.Equal(page(3).Pix, page(3).Pix) {
		t.Error("the same page rendered twice differs")
	}
	if bytes.Equal(page(3).Pix, page(4).Pix) {
		t.Error("another holder's photo left the page unchanged")
	}
}
