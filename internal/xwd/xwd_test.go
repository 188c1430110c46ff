package xwd

// An internal test: it builds dumps from the unexported header type.

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"testing"
)

// xwdFile builds a small 32-bit TrueColor ZPixmap dump, as xwd writes for Xvfb.
func xwdFile(w, h int, byteOrder uint32, px func(x, y int) uint32) []byte {
	var buf bytes.Buffer
	name := []byte("xwdump\x00")
	hdr := xwdHeader{HeaderSize: uint32(100 + len(name)), FileVersion: 7, PixmapFormat: 2, PixmapDepth: 24,
		PixmapWidth: uint32(w), PixmapHeight: uint32(h), ByteOrder: byteOrder, BitmapUnit: 32, BitmapPad: 32,
		BitsPerPixel: 32, BytesPerLine: uint32(4 * w), VisualClass: 4, RedMask: 0xff0000, GreenMask: 0xff00,
		BlueMask: 0xff, BitsPerRGB: 8, ColormapEntries: 2, NColors: 2, WindowWidth: uint32(w), WindowHeight: uint32(h)}
	binary.Write(&buf, binary.BigEndian, hdr)
	buf.Write(name)
	buf.Write(make([]byte, 2*12)) // colour map
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var b [4]byte
			if byteOrder == 0 {
				binary.LittleEndian.PutUint32(b[:], px(x, y))
			} else {
				binary.BigEndian.PutUint32(b[:], px(x, y))
			}
			buf.Write(b[:])
		}
	}
	return buf.Bytes()
}

func TestDecode(t *testing.T) {
	px := func(x, y int) uint32 { return uint32(x*40)<<16 | uint32(y*60)<<8 | 0x33 }
	for _, order := range []uint32{0, 1} {
		img, err := Decode(bytes.NewReader(xwdFile(4, 3, order, px)))
		if err != nil {
			t.Fatalf("byte order %d: %v", order, err)
		}
		if got, want := img.At(3, 2), (color.RGBA{120, 120, 0x33, 0xff}); got != want {
			t.Errorf("byte order %d: pixel (3,2) = %v, want %v", order, got, want)
		}
		if Blank(img) {
			t.Errorf("a picture with several colours is blank")
		}
	}
	bad := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"short header", []byte{0, 0, 0, 0x6b}},
		{"truncated pixels", xwdFile(4, 3, 0, px)[:150]},
		{"wrong version", func() []byte { b := xwdFile(2, 2, 0, px); b[7] = 6; return b }()},
		{"huge size", func() []byte { b := xwdFile(2, 2, 0, px); binary.BigEndian.PutUint32(b[16:], 1<<30); return b }()},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(bytes.NewReader(tt.data)); err == nil {
				t.Errorf("decoded")
			}
		})
	}
}

// FuzzDecode: any bytes give a picture or an error, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(xwdFile(3, 2, 0, func(x, y int) uint32 { return uint32(x + y) }))
	f.Add(xwdFile(1, 1, 1, func(x, y int) uint32 { return 0xffffff }))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data))
		if err == nil && img.Bounds().Empty() {
			t.Errorf("an empty picture without an error")
		}
	})
}
