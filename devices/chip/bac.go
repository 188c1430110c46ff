package chip

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"errors"
	"fmt"
	"strings"
)

// Key is the access key printed in the MRZ: document number, date of birth and
// date of expiry (YYMMDD), as on the data page.
type Key struct {
	Document, Birth, Expiry string
}

// ErrKey is returned for a key that cannot be an MRZ's (empty fields, wrong dates).
var ErrKey = errors.New("chip: the MRZ key is incomplete")

// Info is the MRZ information the keys derive from: each field with its check digit.
func (k Key) Info() ([]byte, error) {
	doc := strings.ToUpper(strings.TrimRight(k.Document, "<"))
	if doc == "" || len(k.Birth) != 6 || len(k.Expiry) != 6 {
		return nil, ErrKey
	}
	for len(doc) < 9 {
		doc += "<"
	}
	var b strings.Builder
	for _, f := range []string{doc, k.Birth, k.Expiry} {
		b.WriteString(f)
		b.WriteByte(checkDigit(f))
	}
	return []byte(b.String()), nil
}

// Seed is SHA-1 of the MRZ information: K_seed for BAC is its first 16 bytes, and
// PACE's password key is derived from all 20.
func (k Key) Seed() ([]byte, error) {
	info, err := k.Info()
	if err != nil {
		return nil, err
	}
	h := sha1.Sum(info)
	return h[:], nil
}

func checkDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i, c := range s {
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

// BACKeys returns K_enc and K_mac derived from the key (9303 part 11, 9.7.2).
func BACKeys(k Key) (kEnc, kMAC []byte, err error) {
	seed, err := k.Seed()
	if err != nil {
		return nil, nil, err
	}
	return kdf(seed[:16], 1, true), kdf(seed[:16], 2, true), nil
}

// ErrAccessDenied is returned when the chip refuses the key: the MRZ read does not
// match the chip, or the chip is not this passport's.
var ErrAccessDenied = errors.New("chip: the chip refused the MRZ key")

// BAC runs Basic Access Control and returns the secure-messaging session.
func BAC(ctx context.Context, card Card, k Key) (*SM, error) {
	kEnc, kMAC, err := BACKeys(k)
	if err != nil {
		return nil, err
	}
	rndIC, err := transmit(ctx, card, Command{CLA: 0x00, INS: 0x84, Ne: 8})
	if err != nil {
		return nil, fmt.Errorf("get challenge: %w", err)
	}
	if len(rndIC) != 8 {
		return nil, fmt.Errorf("get challenge: %w: %d bytes", ErrAPDU, len(rndIC))
	}
	rnd := make([]byte, 24)
	if _, err := rand.Read(rnd); err != nil {
		return nil, err
	}
	rndIFD, kIFD := rnd[:8], rnd[8:]
	s := append(append(append([]byte(nil), rndIFD...), rndIC...), kIFD...)
	eIFD := cbcEncrypt(tdes(kEnc), make([]byte, 8), s)
	mIFD := retailMAC(kMAC, pad(eIFD, 8))
	rsp, err := transmit(ctx, card, Command{CLA: 0x00, INS: 0x82, Data: append(eIFD, mIFD...), Ne: 40})
	if err != nil {
		if IsStatus(err, 0x6300) || IsStatus(err, 0x6982) {
			return nil, ErrAccessDenied
		}
		return nil, fmt.Errorf("external authenticate: %w", err)
	}
	if len(rsp) != 40 {
		return nil, fmt.Errorf("external authenticate: %w: %d bytes", ErrAPDU, len(rsp))
	}
	if !bytes.Equal(retailMAC(kMAC, pad(rsp[:32], 8)), rsp[32:]) {
		return nil, fmt.Errorf("external authenticate: %w: wrong MAC", ErrSM)
	}
	r, _ := cbcDecrypt(tdes(kEnc), make([]byte, 8), rsp[:32])
	if !bytes.Equal(r[:8], rndIC) || !bytes.Equal(r[8:16], rndIFD) {
		return nil, fmt.Errorf("external authenticate: %w: challenge not returned", ErrSM)
	}
	seed := make([]byte, 16)
	for i := range seed {
		seed[i] = kIFD[i] ^ r[16+i]
	}
	ssc := append(append([]byte(nil), rndIC[4:]...), rndIFD[4:]...)
	return NewSM(kdf(seed, 1, true), kdf(seed, 2, true), ssc, false), nil
}

// BACCard is the chip's side of BAC, for the simulator: given the terminal's
// EXTERNAL AUTHENTICATE data and the challenge the chip sent, it returns the
// response and the session, or ErrAccessDenied.
func BACCard(k Key, rndIC, data []byte) ([]byte, *SM, error) {
	kEnc, kMAC, err := BACKeys(k)
	if err != nil {
		return nil, nil, err
	}
	if len(data) != 40 || len(rndIC) != 8 || !bytes.Equal(retailMAC(kMAC, pad(data[:32], 8)), data[32:]) {
		return nil, nil, ErrAccessDenied
	}
	s, _ := cbcDecrypt(tdes(kEnc), make([]byte, 8), data[:32])
	if !bytes.Equal(s[8:16], rndIC) {
		return nil, nil, ErrAccessDenied
	}
	rndIFD, kIFD := s[:8], s[16:32]
	kIC := make([]byte, 16)
	if _, err := rand.Read(kIC); err != nil {
		return nil, nil, err
	}
	r := append(append(append([]byte(nil), rndIC...), rndIFD...), kIC...)
	eIC := cbcEncrypt(tdes(kEnc), make([]byte, 8), r)
	rsp := append(eIC, retailMAC(kMAC, pad(eIC, 8))...)
	seed := make([]byte, 16)
	for i := range seed {
		seed[i] = kIFD[i] ^ kIC[i]
	}
	ssc := append(append([]byte(nil), rndIC[4:]...), rndIFD[4:]...)
	return rsp, NewSM(kdf(seed, 1, true), kdf(seed, 2, true), ssc, false), nil
}
