package ocrb_test

import (
	"testing"

	"golang.org/x/image/math/fixed"

	"github.com/chekara/chekara/devices/ocr/ocrb"
)

// TestEveryMRZGlyph: each character of the MRZ alphabet has a glyph this package
// can draw (the regular OCR-B cut fails on '8' and '<' in x/image), one pitch wide.
func TestEveryMRZGlyph(t *testing.T) {
	const pitch = 20
	face, err := ocrb.Face(pitch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<" {
		_, mask, _, adv, ok := face.Glyph(fixed.P(0, 30), r)
		if !ok || mask == nil {
			t.Errorf("%c: no glyph", r)
			continue
		}
		if got := adv.Round(); got != pitch {
			t.Errorf("%c: advance %d, want %d", r, got, pitch)
		}
	}
}
