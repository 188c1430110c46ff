package pa

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// Active authentication (9303 part 11, section 6.1): the chip signs the booth's
// random challenge with a private key that cannot be read out, whose public key
// is DG15 (itself covered by the SOD). A copied chip has the data but not the
// key, so its signature fails: clone detection.

// Outcomes of active authentication.
const (
	AANotOffered = "not_offered"
	AAValid      = "valid"
	AAFailed     = "failed"
)

var (
	oidAA         = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 5}
	oidECDSAPlain = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}
)

// ErrActiveAuth is wrapped when DG14/DG15 cannot be used or the signature fails.
var ErrActiveAuth = errors.New("pa: active authentication failed")

// AAHash returns the hash DG14's ActiveAuthenticationInfo names for ECDSA, or
// SHA-1 when DG14 is absent or names none.
func AAHash(dg14 []byte) crypto.Hash {
	if len(dg14) < 2 || dg14[0] != 0x6E {
		return crypto.SHA1
	}
	var wrap asn1.RawValue
	if _, err := asn1.Unmarshal(dg14, &wrap); err != nil {
		return crypto.SHA1
	}
	var infos []asn1.RawValue
	if _, err := asn1.UnmarshalWithParams(wrap.Bytes, &infos, "set"); err != nil {
		return crypto.SHA1
	}
	for _, raw := range infos {
		var ai struct {
			Protocol asn1.ObjectIdentifier
			Version  int
			SigAlg   asn1.ObjectIdentifier
		}
		if _, err := asn1.Unmarshal(raw.FullBytes, &ai); err != nil || !ai.Protocol.Equal(oidAA) {
			continue
		}
		if len(ai.SigAlg) == len(oidECDSAPlain)+1 && ai.SigAlg[:len(oidECDSAPlain)].Equal(oidECDSAPlain) {
			switch ai.SigAlg[len(oidECDSAPlain)] {
			case 2:
				return crypto.SHA224
			case 3:
				return crypto.SHA256
			case 4:
				return crypto.SHA384
			case 5:
				return crypto.SHA512
			}
		}
	}
	return crypto.SHA1
}

// EncodeDG14AA writes DG14 holding an ActiveAuthenticationInfo for ECDSA with
// SHA-256 (for the simulator).
func EncodeDG14AA() []byte {
	info := struct {
		Protocol asn1.ObjectIdentifier
		Version  int
		SigAlg   asn1.ObjectIdentifier
	}{oidAA, 1, append(append(asn1.ObjectIdentifier(nil), oidECDSAPlain...), 3)}
	set, _ := asn1.MarshalWithParams([]any{info}, "set")
	b, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 14, IsCompound: true, Bytes: set})
	return b
}

// DG15Key returns the active-authentication public key in DG15.
func DG15Key(dg15 []byte) (crypto.PublicKey, error) {
	var wrap asn1.RawValue
	if _, err := asn1.Unmarshal(dg15, &wrap); err != nil || wrap.Class != asn1.ClassApplication || wrap.Tag != 15 {
		return nil, fmt.Errorf("%w: DG15 is not tag 6F (%v)", ErrActiveAuth, err)
	}
	var k spki
	if _, err := asn1.Unmarshal(wrap.Bytes, &k); err != nil {
		return nil, fmt.Errorf("%w: DG15: %v", ErrActiveAuth, err)
	}
	return parsePublicKey(k)
}

// ActiveAuth checks the chip's answer to the challenge with the DG15 key (ECDSA
// in plain r||s format with the hash of DG14, or RSA with ISO/IEC 9796-2
// message recovery). It returns AAValid or AAFailed with the reason.
func ActiveAuth(dg14, dg15, challenge, answer []byte) (string, error) {
	pub, err := DG15Key(dg15)
	if err != nil {
		return AAFailed, err
	}
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		n := (k.Curve.Params().N.BitLen() + 7) / 8
		if len(answer) != 2*n {
			return AAFailed, fmt.Errorf("%w: an ECDSA answer of %d bytes", ErrActiveAuth, len(answer))
		}
		h := AAHash(dg14).New()
		h.Write(challenge)
		r, s := new(big.Int).SetBytes(answer[:n]), new(big.Int).SetBytes(answer[n:])
		if !ecdsa.Verify(k, h.Sum(nil), r, s) {
			return AAFailed, fmt.Errorf("%w: the chip's signature does not verify (a clone?)", ErrActiveAuth)
		}
		return AAValid, nil
	case *rsa.PublicKey:
		return rsaAA(k, challenge, answer)
	}
	return AAFailed, fmt.Errorf("%w: key of type %T", ErrActiveAuth, pub)
}

// rsaAA verifies an ISO/IEC 9796-2 scheme 1 signature with message recovery.
func rsaAA(k *rsa.PublicKey, challenge, answer []byte) (string, error) {
	size := k.Size()
	if len(answer) != size {
		return AAFailed, fmt.Errorf("%w: an RSA answer of %d bytes for a %d-byte key", ErrActiveAuth, len(answer), size)
	}
	s := new(big.Int).SetBytes(answer)
	if s.Cmp(k.N) >= 0 {
		return AAFailed, fmt.Errorf("%w: signature out of range", ErrActiveAuth)
	}
	m := new(big.Int).Exp(s, big.NewInt(int64(k.E)), k.N).FillBytes(make([]byte, size))
	var h crypto.Hash
	tl := 1
	switch {
	case m[size-1] == 0xBC:
		h = crypto.SHA1
	case m[size-1] == 0xCC:
		tl = 2
		switch m[size-2] {
		case 0x33:
			h = crypto.SHA1
		case 0x34:
			h = crypto.SHA256
		case 0x35:
			h = crypto.SHA512
		case 0x36:
			h = crypto.SHA384
		case 0x38:
			h = crypto.SHA224
		}
	}
	if h == 0 || m[0]&0xC0 != 0x40 {
		return AAFailed, fmt.Errorf("%w: the recovered message has no ISO 9796-2 frame (a clone?)", ErrActiveAuth)
	}
	hl := h.Size()
	if size < 1+hl+tl {
		return AAFailed, fmt.Errorf("%w: RSA key too small", ErrActiveAuth)
	}
	m1 := m[1 : size-hl-tl]
	digest := m[size-hl-tl : size-tl]
	hh := h.New()
	hh.Write(m1)
	hh.Write(challenge)
	if !bytes.Equal(hh.Sum(nil), digest) {
		return AAFailed, fmt.Errorf("%w: the chip's signature does not verify (a clone?)", ErrActiveAuth)
	}
	return AAValid, nil
}
