// Package xwd decodes X Window Dumps (what `xwd` writes) and captures the X
// root window with it: the booth's screenshots under Xvfb, where Mesa leaves the
// GL canvas's own capture blank. It reads a file format from outside, so it is
// fuzzed; it knows nothing of Fyne.
package xwd

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"io"
	"os/exec"
)

// CaptureRoot returns the X root window as an image, via `xwd -root -silent`.
func CaptureRoot() (image.Image, error) {
	out, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil {
		return nil, fmt.Errorf("xwd: %w", err)
	}
	return Decode(bytes.NewReader(out))
}

// Blank reports whether every pixel of img is the same (the black GL capture).
func Blank(img image.Image) bool {
	b := img.Bounds()
	if b.Empty() {
		return true
	}
	first := color.RGBAModel.Convert(img.At(b.Min.X, b.Min.Y))
	step := 1 + min(b.Dx(), b.Dy())/200 // a sample is enough for a screen
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			if color.RGBAModel.Convert(img.At(x, y)) != first {
				return false
			}
		}
	}
	return true
}

// xwdHeader is the fixed part of an X Window Dump (XWDFile.h, version 7).
type xwdHeader struct {
	HeaderSize, FileVersion, PixmapFormat, PixmapDepth, PixmapWidth, PixmapHeight uint32
	XOffset, ByteOrder, BitmapUnit, BitmapBitOrder, BitmapPad, BitsPerPixel       uint32
	BytesPerLine, VisualClass, RedMask, GreenMask, BlueMask, BitsPerRGB           uint32
	ColormapEntries, NColors, WindowWidth, WindowHeight, WindowX, WindowY         uint32
	WindowBdrWidth                                                                uint32
}

// Decode reads a 24- or 32-bit TrueColor ZPixmap X Window Dump, what xwd
// writes for an Xvfb screen. Anything else is an error, never a panic.
func Decode(r io.Reader) (image.Image, error) {
	var h xwdHeader
	if err := binary.Read(r, binary.BigEndian, &h); err != nil {
		return nil, fmt.Errorf("xwd header: %w", err)
	}
	const fixed = 100
	switch {
	case h.FileVersion != 7:
		return nil, fmt.Errorf("xwd version %d, want 7", h.FileVersion)
	case h.PixmapFormat != 2:
		return nil, fmt.Errorf("xwd pixmap format %d, want ZPixmap", h.PixmapFormat)
	case h.BitsPerPixel != 32 && h.BitsPerPixel != 24:
		return nil, fmt.Errorf("xwd %d bits per pixel, want 24 or 32", h.BitsPerPixel)
	case h.HeaderSize < fixed || h.HeaderSize > 1<<16:
		return nil, fmt.Errorf("xwd header size %d", h.HeaderSize)
	case h.PixmapWidth == 0 || h.PixmapHeight == 0 || h.PixmapWidth > 1<<14 || h.PixmapHeight > 1<<14:
		return nil, fmt.Errorf("xwd size %d×%d", h.PixmapWidth, h.PixmapHeight)
	case h.NColors > 1<<16:
		return nil, fmt.Errorf("xwd %d colours", h.NColors)
	}
	bpp := int(h.BitsPerPixel / 8)
	if uint64(h.BytesPerLine) < uint64(h.PixmapWidth)*uint64(bpp) || h.BytesPerLine > 1<<18 {
		return nil, fmt.Errorf("xwd %d bytes per line for %d pixels", h.BytesPerLine, h.PixmapWidth)
	}
	// The window name, then the colour map: neither is needed for TrueColor.
	if _, err := io.CopyN(io.Discard, r, int64(h.HeaderSize-fixed)+int64(h.NColors)*12); err != nil {
		return nil, fmt.Errorf("xwd colour map: %w", err)
	}
	w, ht := int(h.PixmapWidth), int(h.PixmapHeight)
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	line := make([]byte, h.BytesPerLine)
	shift := func(mask uint32) (uint, bool) {
		for s := uint(0); s < 32; s += 8 {
			if mask == 0xff<<s {
				return s, true
			}
		}
		return 0, false
	}
	rs, ok1 := shift(h.RedMask)
	gs, ok2 := shift(h.GreenMask)
	bs, ok3 := shift(h.BlueMask)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("xwd colour masks %#x %#x %#x", h.RedMask, h.GreenMask, h.BlueMask)
	}
	for y := 0; y < ht; y++ {
		if _, err := io.ReadFull(r, line); err != nil {
			return nil, fmt.Errorf("xwd pixels, line %d: %w", y, err)
		}
		for x := 0; x < w; x++ {
			p := line[x*bpp : x*bpp+bpp]
			var v uint32
			if h.ByteOrder == 0 { // LSBFirst
				for i := bpp - 1; i >= 0; i-- {
					v = v<<8 | uint32(p[i])
				}
			} else {
				for i := 0; i < bpp; i++ {
					v = v<<8 | uint32(p[i])
				}
			}
			img.SetRGBA(x, y, color.RGBA{uint8(v >> rs), uint8(v >> gs), uint8(v >> bs), 0xff})
		}
	}
	return img, nil
}
