package store_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chekara/chekara/store"
)

// boothSizedPhoto is a 560 × 720 JPEG (quality 85), the booth's 35:45 crop of
// a 1280 × 720 frame, with enough texture (smooth shading plus sensor-like
// noise) that it does not compress like a flat test card.
func boothSizedPhoto(tb testing.TB) []byte {
	tb.Helper()
	r := rand.New(rand.NewPCG(3, 3))
	img := image.NewRGBA(image.Rect(0, 0, 560, 720))
	for y := range 720 {
		for x := range 560 {
			n := uint8(r.IntN(24))
			img.Set(x, y, color.RGBA{uint8(x/3) + n, uint8(y/4) + n, uint8((x+y)/6) + n, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkRecordInspectionPhoto measures the swipe-to-screen write with and
// without the traveller's photo: one durable transaction either way.
func BenchmarkRecordInspectionPhoto(b *testing.B) {
	photo := boothSizedPhoto(b)
	for _, bc := range []struct {
		name string
		jpg  []byte
	}{{"none", nil}, {"photo", photo}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s, _ := openStore(b, store.Options{})
			d := make([]time.Duration, 0, b.N)
			for range b.N {
				in := readWithPhoto(s, bc.jpg, time.Now())
				t0 := time.Now()
				if err := s.RecordInspection(ctx, in); err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(t0))
			}
			b.StopTimer()
			reportDurations(b, d)
			b.ReportMetric(float64(len(bc.jpg))/1024, "photo_KiB")
		})
	}
}
