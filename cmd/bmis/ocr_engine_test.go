package main

import (
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
)

// TestOCRReportsTheEngineItUsed: with Tesseract unable to start (no language
// data), `bmis ocr` reads with the glyph classifier alone and says so in
// "engine" (issue 14, item 11: it claimed ocrb+tesseract).
func TestOCRReportsTheEngineItUsed(t *testing.T) {
	t.Setenv("OMP_THREAD_LIMIT", "1") // no re-execution under the test binary
	t.Setenv("TESSDATA_PREFIX", t.TempDir())
	if r, err := ocr.NewReader(ocr.Options{}); err == nil {
		r.Close()
		t.Skip("Tesseract starts even without language data here")
	}
	rng := rand.New(rand.NewPCG(5, 5))
	page, err := synth.Render(rng, synth.TD3, synth.RandomMRZ(rng, synth.TD3, synth.Today), synth.Options{DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "passport.png")
	f, _ := os.Create(file)
	png.Encode(f, page)
	f.Close()
	_, out, errs := runBMIS(t, "ocr", file)
	if !strings.Contains(errs, "glyph classifier alone") {
		t.Fatalf("stderr: %s", errs)
	}
	if strings.Contains(out, `"engine":"ocrb+tesseract"`) || !strings.Contains(out, `"engine":"ocrb"`) {
		t.Fatalf("output names the wrong engine: %s", out)
	}
}
