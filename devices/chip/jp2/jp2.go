// Package jp2 decodes the JPEG 2000 face images ePassport chips carry in DG2
// (ICAO 9303 part 10 allows JPEG or JPEG 2000; many states chose the latter).
// Go has no decoder of its own, so this one links Debian's OpenJPEG
// (libopenjp2) through cgo; a build without cgo, and the Windows booth, has
// none and says so (nocgo.go). The bytes come from a chip: a picture is
// bounded in pixels before it is decoded, and a broken one is an error.
package jp2

import (
	"errors"
	"fmt"
	"image"
)

// MaxPixels bounds what Decode will decode: a chip's face is 480 × 640 or
// thereabouts; 16 megapixels is far beyond any, and a header claiming more
// is refused before memory is spent on it.
const MaxPixels = 16 << 20

// ErrNotSupported says this build has no JPEG 2000 decoder.
var ErrNotSupported = errors.New("jp2: this build has no JPEG 2000 decoder (built without cgo, or for Windows)")

// Decode decodes a JPEG 2000 picture, a JP2 file or a bare codestream (J2K),
// into an image the screen can draw. Errors: a picture that is neither, that
// is larger than MaxPixels, or that does not decode.
func Decode(data []byte) (image.Image, error) {
	jp2, ok := kind(data)
	if !ok {
		return nil, fmt.Errorf("jp2: not a JPEG 2000 picture")
	}
	return decode(data, jp2)
}

// kind tells a JP2 file (its signature box) from a bare codestream (SOC and
// SIZ markers).
func kind(data []byte) (jp2, ok bool) {
	switch {
	case len(data) >= 12 && string(data[:12]) == "\x00\x00\x00\x0cjP  \r\n\x87\n":
		return true, true
	case len(data) >= 4 && string(data[:4]) == "\xff\x4f\xff\x51":
		return false, true
	}
	return false, false
}
