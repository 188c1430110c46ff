package pa_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/chekara/chekara/devices/chip/pa"
)

// RSA active authentication: an ISO/IEC 9796-2 scheme 1 signature with message
// recovery and SHA-1 (trailer BC) verifies; a signature by another key fails.
func TestActiveAuthRSA(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	spki, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	dg15, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 15, IsCompound: true, Bytes: spki})
	challenge := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	sign := func(k *rsa.PrivateKey) []byte {
		size := k.Size()
		m1 := make([]byte, size-2-sha1.Size)
		rand.Read(m1)
		h := sha1.Sum(append(append([]byte(nil), m1...), challenge...))
		m := append(append(append([]byte{0x6A}, m1...), h[:]...), 0xBC)
		return new(big.Int).Exp(new(big.Int).SetBytes(m), k.D, k.N).FillBytes(make([]byte, size))
	}
	if got, err := pa.ActiveAuth(nil, dg15, challenge, sign(key)); got != pa.AAValid {
		t.Errorf("genuine chip: %s (%v)", got, err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 1024)
	if got, _ := pa.ActiveAuth(nil, dg15, challenge, sign(other)); got != pa.AAFailed {
		t.Errorf("clone: %s", got)
	}
	if got, _ := pa.ActiveAuth(nil, []byte{0x6F, 0x01, 0x00}, challenge, nil); got != pa.AAFailed {
		t.Errorf("garbage DG15: %s", got)
	}
}
