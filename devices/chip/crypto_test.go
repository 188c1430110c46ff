package chip_test

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/chekara/chekara/devices/chip"
)

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// The worked example of 9303 part 11, appendix D (BAC).
func TestBACKeysWorkedExample(t *testing.T) {
	k := chip.Key{Document: "L898902C", Birth: "690806", Expiry: "940623"}
	info, err := k.Info()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(info), "L898902C<369080619406236"; got != want {
		t.Fatalf("MRZ information %q, want %q", got, want)
	}
	seed, _ := k.Seed()
	if got, want := seed[:16], unhex(t, "239AB9CB282DAF66231DC5A4DF6BFBAE"); !bytes.Equal(got, want) {
		t.Errorf("K_seed %X, want %X", got, want)
	}
	enc, mac, err := chip.BACKeys(k)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := enc, unhex(t, "AB94FDECF2674FDFB9B391F85D7F76F2"); !bytes.Equal(got, want) {
		t.Errorf("K_enc %X, want %X", got, want)
	}
	if got, want := mac, unhex(t, "7962D9ECE03D1ACD4C76089DCE131543"); !bytes.Equal(got, want) {
		t.Errorf("K_mac %X, want %X", got, want)
	}
	eIFD := unhex(t, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
	if got, want := chip.RetailMAC(mac, chip.Pad(eIFD, 8)), unhex(t, "5F1448EEA8AD90A7"); !bytes.Equal(got, want) {
		t.Errorf("M_IFD %X, want %X", got, want)
	}
}

// RFC 4493's test vectors for AES-CMAC.
func TestCMACVectors(t *testing.T) {
	key := unhex(t, "2b7e151628aed2a6abf7158809cf4f3c")
	for _, c := range []struct{ name, msg, mac string }{
		{"empty", "", "bb1d6929e95937287fa37d129b756746"},
		{"one block", "6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c"},
		{"40 bytes", "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", "dfa66747de9ae63030ca32611497c827"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, want := chip.CMAC(key, unhex(t, c.msg)), unhex(t, c.mac); !bytes.Equal(got, want) {
				t.Errorf("CMAC %x, want %x", got, want)
			}
		})
	}
}
