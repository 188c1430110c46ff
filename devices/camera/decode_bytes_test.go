package camera_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"testing"

	"github.com/chekara/chekara/devices/camera"
)

// pngOfZeros writes a real PNG of w×h black pixels of 16-bit RGBA: tiny on
// disk (zeros compress), 8 bytes a pixel when decoded.
func pngOfZeros(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(kind))
		c.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6 // 16 bits, RGBA
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	row := make([]byte, 1+8*w) // filter byte 0, then zeros
	for range h {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// TestDecodeBoundsBytesNotPixels: a 16-bit PNG of 7740×7740 pixels, under a
// megabyte on disk, is refused before decoding instead of taking half a
// gigabyte (issue 14, item 11: 543 MB).
func TestDecodeBoundsBytesNotPixels(t *testing.T) {
	data := pngOfZeros(t, 7740, 7740)
	if len(data) > 1<<20 {
		t.Fatalf("the test file is %d bytes", len(data))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := camera.DecodeImage(data)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("decoded a picture of 480 MB")
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 32<<20 {
		t.Fatalf("allocated %d MB to refuse it", got>>20)
	}
	// A 16-bit picture of a photo's size still decodes.
	small := pngOfZeros(t, 1200, 800)
	if _, err := camera.DecodeImage(small); err != nil {
		t.Fatalf("a 1200×800 picture: %v", err)
	}
}
