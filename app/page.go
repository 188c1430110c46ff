package app

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	xdraw "golang.org/x/image/draw"
)

// pageWidth is the widest page image the booth records: at 1400 pixels a TD3
// data page (125 mm) keeps about 11 pixels a millimetre, enough for a
// supervisor to read the printed data and see the photo, at a few hundred KiB.
const pageWidth = 1400

// PageJPEG encodes a document page picture as the booth records it with the
// read (ReaderEvent.PageJPEG): at most pageWidth pixels wide, JPEG, and
// scaled down further until it fits MaxPageBytes. Present calls it for every
// source that gives a picture (camera OCR, a scanner, a training scenario), so
// no source can forget it; it costs some 10–30 ms, on reads that already took
// the OCR's hundreds.
func PageJPEG(img image.Image) ([]byte, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, fmt.Errorf("page image: empty picture")
	}
	if b := img.Bounds(); b.Dx() > pageWidth {
		img = scale(img, pageWidth, b.Dy()*pageWidth/b.Dx())
	}
	for {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
			return nil, fmt.Errorf("page image: %w", err)
		}
		if buf.Len() <= MaxPageBytes {
			return buf.Bytes(), nil
		}
		b := img.Bounds()
		if b.Dx() < 200 {
			return nil, fmt.Errorf("page image: %d bytes at %d pixels wide", buf.Len(), b.Dx())
		}
		img = scale(img, b.Dx()*7/10, b.Dy()*7/10)
	}
}

func scale(img image.Image, w, h int) image.Image {
	if h < 1 {
		h = 1
	}
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(small, small.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return small
}
