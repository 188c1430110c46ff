package chip_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
)

// Seeds: the files a simulated chip holds.
func seeds(f *testing.F) map[int][]byte {
	f.Helper()
	c, err := chipsim.New(slices.Clone(td3), chipsim.Valid, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	sod, groups := c.Groups()
	groups[0] = sod
	return groups
}

func FuzzParseTLV(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b)
	}
	f.Add([]byte{0x5F, 0x1F, 0x84, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := chip.ParseTLVs(b)
		if err != nil {
			return
		}
		n := 0
		for _, x := range ts {
			n += len(x.Raw)
		}
		if n != len(b) {
			t.Fatalf("objects cover %d of %d bytes", n, len(b))
		}
	})
}

func FuzzParseDG1(f *testing.F) {
	f.Add(seeds(f)[1])
	f.Fuzz(func(t *testing.T, b []byte) {
		lines, err := chip.ParseDG1(b)
		if err == nil && (len(lines) < 2 || len(lines) > 3) {
			t.Fatalf("%d lines", len(lines))
		}
	})
}

func FuzzParseDG2(f *testing.F) {
	f.Add(seeds(f)[2])
	f.Fuzz(func(t *testing.T, b []byte) {
		face, err := chip.ParseDG2(b)
		if err == nil && face.Format == "" {
			t.Fatal("a face without a format")
		}
	})
}

func FuzzParseCOMAndCardAccess(f *testing.F) {
	f.Add(chip.EncodeCOM(1, 2, 14, 15))
	f.Add(chip.EncodeCardAccess(chip.NewPACEInfo(chip.ParamBP256r1)))
	f.Fuzz(func(t *testing.T, b []byte) {
		chip.ParseCOM(b)
		chip.ParseCardAccess(b)
		chip.ParseCommand(b)
	})
}

// garbage is a chip that answers each command with the next piece of the input.
type garbage struct{ b []byte }

func (g *garbage) Transmit(context.Context, []byte) ([]byte, error) {
	if len(g.b) == 0 {
		return []byte{0x6A, 0x82}, nil
	}
	n := int(g.b[0])
	g.b = g.b[1:]
	n = min(n, len(g.b))
	out := g.b[:n]
	g.b = g.b[n:]
	return out, nil
}

// A chip that answers garbage makes ReadPassport return an error, never panic.
func FuzzReadPassportGarbage(f *testing.F) {
	f.Add([]byte{2, 0x90, 0x00, 10, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00, 42})
	f.Add([]byte{2, 0x6A, 0x82, 2, 0x90, 0x00, 10, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		k := chip.Key{Document: "AC1234567", Birth: "850615", Expiry: "310630"}
		d, err := chip.ReadPassport(context.Background(), &garbage{b}, k, chip.Options{})
		if err == nil && d == nil {
			t.Fatal("no error and no dump")
		}
	})
}

// Secure-messaging responses from a chip that answers garbage are rejected.
func FuzzUnwrap(f *testing.F) {
	f.Add([]byte{0x99, 0x02, 0x90, 0x00, 0x8E, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, aes := range []bool{false, true} {
			n := 8
			if aes {
				n = 16
			}
			s := chip.NewSM(make([]byte, 16), make([]byte, 16), make([]byte, n), aes)
			data, sw, err := s.Unwrap(b)
			if err == nil && sw == 0x9000 && len(b) < 12 {
				t.Fatalf("accepted %X as %X", b, data)
			}
		}
	})
}
