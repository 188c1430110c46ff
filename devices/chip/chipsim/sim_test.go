package chipsim_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/devices/chip/pa"
)

var td3 = []string{
	"P<KGZABDYLDAEV<<ASKAR<<<<<<<<<<<<<<<<<<<<<<<",
	"AC12345674KGZ8506151M3106305<<<<<<<<<<<<<<00",
}

func key() chip.Key { return chip.Key{Document: "AC1234567", Birth: "850615", Expiry: "310630"} }

// Every variant read in-process and checked: the access, the face and the verdict.
func TestVariantsReadAndCheck(t *testing.T) {
	for _, c := range []struct {
		variant, access, sig, chain, dg1 string
		ok                               bool
	}{
		{chipsim.Valid, chip.AccessPACE, pa.Valid, pa.Valid, pa.Match, true},
		{chipsim.PACEOnly, chip.AccessPACE, pa.Valid, pa.Valid, pa.Match, true},
		{chipsim.BACOnly, chip.AccessBAC, pa.Valid, pa.Valid, pa.Match, true},
		{chipsim.TamperedDG1, chip.AccessPACE, pa.Valid, pa.Valid, pa.Mismatch, false},
		{chipsim.WrongSigner, chip.AccessPACE, pa.Invalid, pa.Valid, pa.Match, false},
		{chipsim.ExpiredDS, chip.AccessPACE, pa.Valid, pa.Expired, pa.Match, false},
		{chipsim.UnknownCSCA, chip.AccessPACE, pa.Valid, pa.UnknownCSCA, pa.Match, false},
		{chipsim.Clone, chip.AccessPACE, pa.Valid, pa.Valid, pa.Match, true},
		{chipsim.JPEG2000, chip.AccessPACE, pa.Valid, pa.Valid, pa.Match, true},
	} {
		t.Run(c.variant, func(t *testing.T) {
			now := time.Now()
			sim, err := chipsim.New(slices.Clone(td3), c.variant, now)
			if err != nil {
				t.Fatal(err)
			}
			d, err := chip.ReadPassport(context.Background(), sim, key(), chip.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := d.Access, c.access; got != want {
				t.Errorf("access %q, want %q", got, want)
			}
			lines, err := chip.ParseDG1(d.DG[1])
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(lines, td3) {
				t.Errorf("DG1 %q, want %q", lines, td3)
			}
			face, err := chip.ParseDG2(d.DG[2])
			if err != nil {
				t.Fatal(err)
			}
			wantFormat := "jpeg"
			if c.variant == chipsim.JPEG2000 {
				wantFormat = "jpeg2000"
			}
			if face.Format != wantFormat || face.Width != 240 || face.Height != 320 {
				t.Errorf("face %s %dx%d", face.Format, face.Width, face.Height)
			}
			trust, err := pa.ParseTrust(sim.Authority.CSCAPEM())
			if err != nil {
				t.Fatal(err)
			}
			in, err := chip.Inspect(context.Background(), chip.CardReader{Card: sim}, td3, trust, now, chip.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantAA := pa.AAValid
			switch c.variant {
			case chipsim.Clone:
				wantAA = pa.AAFailed
			case chipsim.BACOnly:
				wantAA = pa.AANotOffered
			}
			if in.ActiveAuth != wantAA {
				t.Errorf("active authentication %s (%s), want %s", in.ActiveAuth, in.AAProblem, wantAA)
			}
			r := pa.Check(d.SOD, d.DG, trust, now)
			if r.SODSignature != c.sig || r.DSChain != c.chain || r.DGHashes["DG1"] != c.dg1 || r.DGHashes["DG2"] != pa.Match || r.OK() != c.ok {
				t.Errorf("passive authentication %+v, want signature %s, chain %s, DG1 %s", r, c.sig, c.chain, c.dg1)
			}
		})
	}
}

func TestWrongKeyIsRefused(t *testing.T) {
	for _, v := range []string{chipsim.Valid, chipsim.BACOnly, chipsim.PACEOnly} {
		t.Run(v, func(t *testing.T) {
			sim, err := chipsim.New(slices.Clone(td3), v, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			k := key()
			k.Birth = "850616"
			_, err = chip.ReadPassport(context.Background(), sim, k, chip.Options{})
			if !errors.Is(err, chip.ErrAccessDenied) {
				t.Fatalf("err %v, want ErrAccessDenied", err)
			}
		})
	}
}

// Short reads only (a reader without extended length) take many more commands
// and give the same bytes.
func TestChunkedReadsMatchExtended(t *testing.T) {
	sim, err := chipsim.New(slices.Clone(td3), chipsim.Valid, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ext, err := chip.ReadPassport(context.Background(), sim, key(), chip.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := sim.Reads()
	short, err := chip.ReadPassport(context.Background(), sim, key(), chip.Options{NoExtended: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.Reads() - n; got <= n {
		t.Errorf("short reads took %d READ BINARY, extended %d", got, n)
	}
	if !slices.Equal(ext.DG[2], short.DG[2]) || len(ext.DG[2]) < 5000 {
		t.Errorf("DG2 of %d and %d bytes", len(ext.DG[2]), len(short.DG[2]))
	}
}
