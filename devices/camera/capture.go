package camera

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
)

// The photo ICAO asks for is 35 × 45 mm: the booth stores the face at this aspect.
const faceAspect = 35.0 / 45.0

// CaptureFace takes the next frame and returns the traveller's photo for the
// record: the largest centred 35:45 crop of the frame, as JPEG (quality 85), and
// the cropped image for display. Face detection is not done: the officer frames
// the traveller, the booth shows the crop outline.
func CaptureFace(ctx context.Context, src FrameSource) ([]byte, image.Image, error) {
	f, err := src.Frame(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("face photo: %w", err)
	}
	crop := FaceCrop(f.Image)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, crop, &jpeg.Options{Quality: 85}); err != nil {
		return nil, nil, fmt.Errorf("face photo: %w", err)
	}
	return buf.Bytes(), crop, nil
}

// FaceCrop cuts the largest centred 35:45 rectangle out of img.
func FaceCrop(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cw, ch := w, int(float64(w)/faceAspect)
	if ch > h {
		ch, cw = h, int(float64(h)*faceAspect)
	}
	r := image.Rect(0, 0, cw, ch).Add(image.Pt(b.Min.X+(w-cw)/2, b.Min.Y+(h-ch)/2))
	out := image.NewRGBA(image.Rect(0, 0, cw, ch))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// CapturePage takes the next frame as the document page for OCR (whole frame:
// devices/ocr finds the MRZ itself).
func CapturePage(ctx context.Context, src FrameSource) (image.Image, error) {
	f, err := src.Frame(ctx)
	if err != nil {
		return nil, fmt.Errorf("document page: %w", err)
	}
	return f.Image, nil
}
