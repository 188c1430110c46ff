package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chekara/chekara/devices/ocr"
	"github.com/chekara/chekara/devices/ocr/synth"
	"github.com/chekara/chekara/internal/testenv"
)

func writeImage(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(path, ".jpg") {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
	} else {
		err = png.Encode(&buf, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOCRCommand holds bmis ocr to its contract: one JSON object per argument, in
// order; found documents carry lines, the bmis mrz object and ms; pages without an
// MRZ say found:false with a reason; missing and non-image files get an error
// object and exit status 1, never a crash.
func TestOCRCommand(t *testing.T) {
	r, err := ocr.NewReader(ocr.Options{})
	testenv.Require(t, "Tesseract", err)
	r.Close()

	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(11, 11))
	td3 := synth.RandomMRZ(rng, synth.TD3, synth.Today)
	page, err := synth.Render(rng, synth.TD3, td3, synth.Options{DPI: 300})
	if err != nil {
		t.Fatal(err)
	}
	writeImage(t, filepath.Join(dir, "passport.png"), page)
	td1 := synth.RandomMRZ(rng, synth.TD1, synth.Today)
	card, err := synth.Render(rng, synth.TD1, td1, synth.Options{DPI: 300, RotateDeg: 3, Margin: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	writeImage(t, filepath.Join(dir, "card.jpg"), card)
	blank := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range blank.Pix {
		blank.Pix[i] = 240
	}
	writeImage(t, filepath.Join(dir, "blank.png"), blank)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("P<UTO not an image\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "cut.png"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), 0o644)

	files := []string{"passport.png", "card.jpg", "blank.png", "notes.txt", "missing.png", "cut.png"}
	var args []string
	for _, f := range files {
		args = append(args, filepath.Join(dir, f))
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"ocr", "--as-of", "2026-11-25"}, args...), strings.NewReader(""), &out, &errb)
	if code != 1 {
		t.Errorf("exit status %d, want 1 (some files unreadable); stderr %s", code, errb.String())
	}
	var got []map[string]any
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		got = append(got, m)
	}
	if len(got) != len(files) {
		t.Fatalf("%d objects for %d files:\n%s", len(got), len(files), out.String())
	}
	for i, f := range files {
		if got[i]["file"] != args[i] {
			t.Errorf("object %d is for %v, want %s", i, got[i]["file"], args[i])
		}
		_ = f
	}
	for i, want := range [][]string{td3, td1} {
		m := got[i]
		if m["found"] != true {
			t.Fatalf("%s: found = %v (%v)", files[i], m["found"], m["reason"])
		}
		var lines []string
		for _, l := range m["lines"].([]any) {
			lines = append(lines, l.(string))
		}
		if !slices.Equal(lines, want) {
			t.Errorf("%s: lines %q, want %q", files[i], lines, want)
		}
		mz, ok := m["mrz"].(map[string]any)
		if !ok || mz["valid"] != true {
			t.Errorf("%s: mrz %v, want a valid bmis mrz object", files[i], m["mrz"])
		}
		if _, ok := m["ms"].(float64); !ok {
			t.Errorf("%s: no ms", files[i])
		}
	}
	if got[2]["found"] != false || got[2]["reason"] == "" || got[2]["reason"] == nil {
		t.Errorf("blank page: %v, want found:false with a reason", got[2])
	}
	for _, i := range []int{3, 4, 5} {
		if e, _ := got[i]["error"].(string); e == "" {
			t.Errorf("%s: %v, want an error object", files[i], got[i])
		}
		if _, has := got[i]["found"]; has {
			t.Errorf("%s: error object also says found", files[i])
		}
	}
}

func TestOCRCommandUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"no images": {"ocr"},
		"bad date":  {"ocr", "--as-of", "25.11.2026", "x.png"},
		"bad flag":  {"ocr", "--nope"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
}

// FuzzDecodeImage: whatever bytes a file holds, decoding returns an image or an
// error, never a panic or a huge allocation.
func FuzzDecodeImage(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3)))
	f.Add(buf.Bytes())
	buf.Reset()
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	f.Add(buf.Bytes())
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("BM"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xff\xff\xff\xff\xff\xff\xff\x08\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := decodeImage(data)
		if err == nil && img == nil {
			t.Fatal("nil image without an error")
		}
	})
}
