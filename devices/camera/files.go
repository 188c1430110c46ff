package camera

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for Files
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
)

// Files is a source reading image files: one file, or every image in a folder in
// name order (a page scanner's output folder, or captured test cases).
type Files struct {
	paths []string
	next  int
	Loop  bool // start again after the last file instead of ErrNoMoreFrames
}

var _ FrameSource = (*Files)(nil)

var imageExt = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".bmp": true, ".tif": true, ".tiff": true}

// OpenFiles opens a file or a folder of images.
func OpenFiles(path string) (*Files, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	if !st.IsDir() {
		return &Files{paths: []string{path}}, nil
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	var ps []string
	for _, e := range ents {
		if !e.IsDir() && imageExt[strings.ToLower(filepath.Ext(e.Name()))] {
			ps = append(ps, filepath.Join(path, e.Name()))
		}
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("camera: no images in %s", path)
	}
	sort.Strings(ps)
	return &Files{paths: ps}, nil
}

// Frame decodes the next file.
func (f *Files) Frame(ctx context.Context) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	if f.next >= len(f.paths) {
		if !f.Loop || len(f.paths) == 0 {
			return Frame{}, ErrNoMoreFrames
		}
		f.next = 0
	}
	p := f.paths[f.next]
	f.next++
	data, err := os.ReadFile(p)
	if err != nil {
		return Frame{}, fmt.Errorf("camera: %w", err)
	}
	img, err := DecodeImage(data)
	if err != nil {
		return Frame{}, fmt.Errorf("camera: %s: %w", p, err)
	}
	return Frame{Image: img, At: time.Now(), Source: p}, nil
}

// Close does nothing: files are read whole.
func (f *Files) Close() error { return nil }

// MaxPixels bounds the pictures DecodeImage accepts (a 600-dpi A4 scan is 35 M).
const MaxPixels = 60_000_000

// MaxDecodedBytes bounds the memory a decoded picture takes: pixels times the
// bytes its colour model needs, so a small 16-bit PNG of many pixels (8 bytes
// each) cannot take half a gigabyte.
const MaxDecodedBytes = 256 << 20

// bytesPerPixel is what a decoded pixel of model m takes (8 for 16-bit
// colour, 4 by default).
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// DecodeImage decodes PNG, JPEG, GIF, BMP or TIFF bytes. It checks the declared
// size before decoding, so a crafted header cannot make it allocate gigabytes, and
// turns a decoder panic into an error.
func DecodeImage(data []byte) (img image.Image, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not an image (PNG, JPEG, GIF, BMP, TIFF): %v", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("%s image of %d×%d pixels is out of range", format, cfg.Width, cfg.Height)
	}
	if n := int64(cfg.Width) * int64(cfg.Height) * int64(bytesPerPixel(cfg.ColorModel)); n > MaxDecodedBytes {
		return nil, fmt.Errorf("%s image of %d×%d pixels would take %d MB decoded, more than %d", format, cfg.Width, cfg.Height, n>>20, MaxDecodedBytes>>20)
	}
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("damaged %s image", format)
		}
	}()
	img, _, err = image.Decode(io.Reader(bytes.NewReader(data)))
	if err != nil {
		return nil, fmt.Errorf("damaged %s image: %v", format, err)
	}
	return img, nil
}
