// Package ocrb embeds the OCR-B font, the one font every MRZ is printed in, and
// makes faces of it at a given character pitch.
//
// The file is OCRBS.otf from Debian's fonts-ocr-b (Matthew Skala's OCR fonts,
// https://tsukurimashou.osdn.jp/ocr.php, public domain; derived from Norbert
// Schwarz's MetaFont sources, "you may freely use, modify and/or distribute this
// file, without limitation"). We ship the "S" (sharp) cut, not the regular OCRB.otf:
// golang.org/x/image/font/sfnt cannot draw the regular cut's '8' and '<' (they use
// the CFF flex1 operator, 12 37), and the sharp cut has the same letterforms.
//
// It is embedded here, not read from /usr/share/fonts, so the booth and bmis do not
// depend on the font being installed.
package ocrb

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

//go:embed OCRBS.otf
var otf []byte

// Advance is OCR-B's advance width as a fraction of the em: every glyph is 723/1000.
const Advance = 0.723

var (
	once   sync.Once
	parsed *opentype.Font
	err    error
)

// Font returns the parsed OCR-B font.
func Font() (*opentype.Font, error) {
	once.Do(func() {
		parsed, err = opentype.Parse(otf)
		if err != nil {
			err = fmt.Errorf("ocrb: parse font: %w", err)
		}
	})
	return parsed, err
}

// Face returns an unhinted OCR-B face whose character pitch is pitch pixels.
func Face(pitch float64) (font.Face, error) {
	f, err := Font()
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: pitch / Advance, DPI: 72, Hinting: font.HintingNone})
}
