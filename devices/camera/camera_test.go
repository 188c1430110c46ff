package camera_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/devices/camera"
	"github.com/chekara/chekara/devices/ocr/synth"
)

func TestDecodeYUYV(t *testing.T) {
	// Two pixels per 4 bytes: Y0 U Y1 V.
	frame := []byte{
		10, 100, 20, 200, 30, 110, 40, 210,
		50, 120, 60, 220, 70, 130, 80, 230,
	}
	img, err := camera.DecodeYUYV(frame, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		x, y       int
		yy, cb, cr uint8
	}{
		{0, 0, 10, 100, 200}, {1, 0, 20, 100, 200}, {2, 0, 30, 110, 210}, {3, 0, 40, 110, 210},
		{0, 1, 50, 120, 220}, {3, 1, 80, 130, 230},
	} {
		got := img.YCbCrAt(tc.x, tc.y)
		if got != (color.YCbCr{Y: tc.yy, Cb: tc.cb, Cr: tc.cr}) {
			t.Errorf("(%d,%d) = %v, want Y%d Cb%d Cr%d", tc.x, tc.y, got, tc.yy, tc.cb, tc.cr)
		}
	}
	for name, args := range map[string]struct {
		data []byte
		w, h int
	}{
		"short": {frame[:15], 4, 2}, "odd width": {frame, 3, 2}, "zero": {frame, 0, 0}, "huge": {frame, 1 << 20, 1 << 20},
	} {
		if _, err := camera.DecodeYUYV(args.data, args.w, args.h); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// stripDHT removes the Huffman table segments, as MJPEG cameras send frames.
func stripDHT(t *testing.T, j []byte) []byte {
	t.Helper()
	out := append([]byte{}, j[:2]...)
	i := 2
	for i+4 <= len(j) {
		m := j[i+1]
		if m == 0xDA {
			return append(out, j[i:]...)
		}
		l := int(j[i+2])<<8 | int(j[i+3])
		if m != 0xC4 {
			out = append(out, j[i:i+2+l]...)
		}
		i += 2 + l
	}
	t.Fatal("no scan")
	return nil
}

func TestDecodeMJPEG(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 32, 16))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	full := buf.Bytes()
	bare := stripDHT(t, full)
	if _, err := jpeg.Decode(bytes.NewReader(bare)); err == nil {
		t.Fatal("test premise: Go's decoder should refuse a frame without DHT")
	}
	for name, data := range map[string][]byte{"with tables": full, "camera frame without tables": bare} {
		t.Run(name, func(t *testing.T) {
			img, err := camera.DecodeMJPEG(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(32, 16) {
				t.Errorf("size %v", got)
			}
		})
	}
	if _, err := camera.DecodeMJPEG([]byte("not a jpeg")); err == nil {
		t.Error("garbage decoded")
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"b.png", "a.png"} {
		img := image.NewGray(image.Rect(0, 0, 10+i, 10))
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	src, err := camera.OpenFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var got []string
	for {
		f, err := src.Frame(ctx)
		if errors.Is(err, camera.ErrNoMoreFrames) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.Base(f.Source))
	}
	if len(got) != 2 || got[0] != "a.png" || got[1] != "b.png" {
		t.Errorf("frames %v, want a.png b.png", got)
	}
	src.Loop = true
	if _, err := src.Frame(ctx); err != nil {
		t.Errorf("loop: %v", err)
	}
	if _, err := camera.OpenFiles(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing path opened")
	}
	bad, err := camera.OpenFiles(filepath.Join(dir, "notes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Frame(ctx); err == nil {
		t.Error("a text file decoded as a frame")
	}
}

func TestSyntheticAndCapture(t *testing.T) {
	c, _ := synth.ClassByName("clean-300dpi")
	src := camera.NewSynthetic(1, synth.TD3, c)
	ctx := context.Background()
	page, err := camera.CapturePage(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := synth.PageSize(synth.TD3, 300); page.Bounds().Dx() != w || page.Bounds().Dy() != h {
		t.Errorf("page %v, want %d×%d", page.Bounds(), w, h)
	}
	jpg, face, err := camera.CaptureFace(ctx, camera.Still{Image: image.NewRGBA(image.Rect(0, 0, 640, 480))})
	if err != nil {
		t.Fatal(err)
	}
	if got := face.Bounds().Size(); got != image.Pt(373, 480) {
		t.Errorf("face crop %v, want 373×480 (35:45 of a 640×480 frame)", got)
	}
	if _, err := jpeg.Decode(bytes.NewReader(jpg)); err != nil {
		t.Errorf("face JPEG: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := src.Frame(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled frame: %v", err)
	}
}

// TestV4L2Missing: without a camera, opening says which device and why.
func TestV4L2Missing(t *testing.T) {
	_, err := camera.OpenV4L2(camera.V4L2Config{Device: filepath.Join(t.TempDir(), "video9")})
	if err == nil {
		t.Fatal("opened a device that does not exist")
	}
}

func FuzzDecodeYUYV(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2)
	f.Add([]byte{}, 0, 0)
	f.Add(make([]byte, 64), 8, 4)
	f.Fuzz(func(t *testing.T, data []byte, w, h int) {
		img, err := camera.DecodeYUYV(data, w, h)
		if err == nil && (img.Bounds().Dx() != w || img.Bounds().Dy() != h) {
			t.Fatalf("size %v for %d×%d", img.Bounds(), w, h)
		}
	})
}

func FuzzDecodeMJPEG(f *testing.F) {
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	f.Add(buf.Bytes())
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		_, _ = camera.DecodeMJPEG(data)
	})
}

func FuzzDecodeImage(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3)))
	f.Add(buf.Bytes())
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := camera.DecodeImage(data)
		if err == nil && img == nil {
			t.Fatal("nil image without an error")
		}
	})
}
