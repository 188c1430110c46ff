package jp2_test

import (
	"errors"
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/chekara/chekara/devices/chip/jp2"
	"github.com/chekara/chekara/internal/testenv"
)

// The testdata pictures are synth.Face(3, 240, 320) (face.png) compressed by
// OpenJPEG's opj_compress at 20:1 (the JP2 file and the bare codestream) and,
// grey (face-gray.png, ImageMagick's grey), at 10:1.
func TestDecodeFace(t *testing.T) {
	if _, err := jp2.Decode([]byte("\xff\x4f\xff\x51")); errors.Is(err, jp2.ErrNotSupported) {
		testenv.Require(t, "OpenJPEG (libopenjp2-7-dev, cgo)", err)
	}
	for _, name := range []string{"face.jp2", "face.j2k", "face-gray.j2k"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			original := "testdata/face.png"
			if name == "face-gray.j2k" {
				original = "testdata/face-gray.png"
			}
			want := readPNG(t, original)
			got, err := jp2.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			if _, grey := got.(*image.Gray); grey != (name == "face-gray.j2k") {
				t.Errorf("decoded as %T", got)
			}
			// Lossy at 20:1, so close, not equal: the mean difference of
			// the grey levels stays small.
			if d := meanDiff(got, want); d > 6 {
				t.Errorf("mean difference %.1f grey levels from the original", d)
			}
		})
	}
}

func TestDecodeRefusesWhatIsNotAPicture(t *testing.T) {
	face, err := os.ReadFile("testdata/face.jp2")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":           nil,
		"a JPEG":          {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10},
		"signature only":  face[:12],
		"cut in the half": face[:len(face)/2],
		"codestream head": {0xFF, 0x4F, 0xFF, 0x51, 0, 0x29, 0, 0},
	} {
		if img, err := jp2.Decode(data); err == nil && name != "cut in the half" {
			t.Errorf("%s: decoded %v without an error", name, img.Bounds())
		}
	}
}

// FuzzDecode: a chip's bytes never crash the booth; what decodes is within
// MaxPixels.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"face.jp2", "face.j2k", "face-gray.j2k"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/3])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := jp2.Decode(data)
		if err == nil && img.Bounds().Dx()*img.Bounds().Dy() > jp2.MaxPixels {
			t.Fatalf("decoded %v, over MaxPixels", img.Bounds())
		}
	})
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func meanDiff(a, b image.Image) float64 {
	var sum, n float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ga := greyOf(a, x, y)
			gb := greyOf(b, x, y)
			if ga > gb {
				sum += ga - gb
			} else {
				sum += gb - ga
			}
			n++
		}
	}
	return sum / n
}

func greyOf(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
}
