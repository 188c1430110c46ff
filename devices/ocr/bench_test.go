package ocr_test

import (
	"image"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
)

// benchRead reads pre-generated samples round-robin and reports the median and
// 95th-percentile CPU milliseconds per picture (CPU time, not wall: the figure must
// not depend on what else the machine runs), plus the share read exactly.
func benchRead(b *testing.B, opt ocr.Options, class string, f synth.Format) {
	r := newReader(b, opt)
	c, ok := synth.ClassByName(class)
	if !ok {
		b.Fatalf("no class %s", class)
	}
	rng := rand.New(rand.NewPCG(42, 42))
	var imgs []image.Image
	var want [][]string
	for i := 0; i < 8; i++ {
		s, err := synth.GenerateFormat(rng, c, f)
		if err != nil {
			b.Fatal(err)
		}
		imgs, want = append(imgs, s.Image), append(want, s.Lines)
	}
	var cpu []time.Duration
	exact := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := ocr.CPUTime()
		rd, err := r.Read(imgs[i%len(imgs)], synth.Today)
		cpu = append(cpu, ocr.CPUTime()-c0)
		if err != nil {
			b.Fatal(err)
		}
		if slices.Equal(rd.Lines, want[i%len(want)]) {
			exact++
		}
	}
	b.StopTimer()
	sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "median-cpu-ms")
	b.ReportMetric(float64(cpu[len(cpu)*95/100].Microseconds())/1000, "p95-cpu-ms")
	b.ReportMetric(100*float64(exact)/float64(b.N), "%exact")
}

// A passport data page, 1476 × 1039 at 300 dpi (the 1500 × 1050 page).
func BenchmarkPageTD3(b *testing.B) { benchRead(b, ocr.Options{}, "clean-300dpi", synth.TD3) }

// The same page, Tesseract run on every band (the upper bound of the default).
func BenchmarkPageTD3TesseractAlways(b *testing.B) {
	benchRead(b, ocr.Options{TesseractAlways: true}, "clean-300dpi", synth.TD3)
}

// A cropped MRZ band of a passport (1476 × ~240), as a band reader delivers it.
func BenchmarkBandTD3(b *testing.B) { benchRead(b, ocr.Options{}, "band-300dpi", synth.TD3) }

func BenchmarkBandTD3TesseractAlways(b *testing.B) {
	benchRead(b, ocr.Options{TesseractAlways: true}, "band-300dpi", synth.TD3)
}

// A degraded page (rotation ≤ 5°, blur, noise, JPEG 50).
func BenchmarkPageDegraded(b *testing.B) { benchRead(b, ocr.Options{}, "degraded-all", synth.TD3) }

// The locator alone on a page.
func BenchmarkLocate(b *testing.B) {
	c, _ := synth.ClassByName("clean-300dpi")
	s, err := synth.GenerateFormat(rand.New(rand.NewPCG(1, 1)), c, synth.TD3)
	if err != nil {
		b.Fatal(err)
	}
	g := ocr.Gray(s.Image)
	b.ResetTimer()
	c0 := ocr.CPUTime()
	for i := 0; i < b.N; i++ {
		if _, ok := ocr.Locate(g); !ok {
			b.Fatal("not found")
		}
	}
	b.ReportMetric(float64((ocr.CPUTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
