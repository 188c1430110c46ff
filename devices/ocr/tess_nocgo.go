//go:build !cgo || windows

package ocr

import "errors"

// Without cgo there is no Tesseract: NewReader reports ErrTesseract and callers may
// fall back to the glyph classifier (Options.NoTesseract).
func newTess() (tessClient, error) {
	return nil, errors.New("built without cgo")
}
