package chip

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/osanderson/brainpool"
)

// PACE with generic mapping on elliptic curves (9303 part 11, section 4.4). The
// curve arithmetic uses crypto/elliptic's generic interface because the Brainpool
// curves most European chips use exist only in that form; the keys are ephemeral
// and the chip is the only party who sees the timing.

// OIDs of PACE ECDH generic mapping with AES (BSI TR-03110, 9303 part 11, 9.2.3).
var (
	oidPACEECDHGMAES128 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}
	oidPACEECDHGMAES192 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 3}
	oidPACEECDHGMAES256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 4}
)

// PACEInfo is one PACE protocol a chip offers in EF.CardAccess that this package
// can run: the protocol OID and the standardized domain parameter ID.
type PACEInfo struct {
	OID   asn1.ObjectIdentifier
	Param int
}

// Standardized domain parameter IDs (9303 part 11, 9.5.1) this package knows.
const (
	ParamP256    = 12
	ParamBP256r1 = 13
	ParamBP320r1 = 14
	ParamP384    = 15
	ParamBP384r1 = 16
	ParamBP512r1 = 17
	ParamP521    = 18
)

// PACECurve returns the curve of a standardized parameter ID, or nil.
func PACECurve(param int) elliptic.Curve {
	switch param {
	case ParamP256:
		return elliptic.P256()
	case ParamBP256r1:
		return brainpool.P256r1()
	case ParamBP320r1:
		return brainpool.P320r1()
	case ParamP384:
		return elliptic.P384()
	case ParamBP384r1:
		return brainpool.P384r1()
	case ParamBP512r1:
		return brainpool.P512r1()
	case ParamP521:
		return elliptic.P521()
	}
	return nil
}

// KeyLength returns the AES key length of the protocol in bytes, or 0.
func (p PACEInfo) KeyLength() int {
	switch {
	case p.OID.Equal(oidPACEECDHGMAES128):
		return 16
	case p.OID.Equal(oidPACEECDHGMAES192):
		return 24
	case p.OID.Equal(oidPACEECDHGMAES256):
		return 32
	}
	return 0
}

// NewPACEInfo returns the ECDH-GM-AES-128 protocol on a curve (for the simulator).
func NewPACEInfo(param int) PACEInfo { return PACEInfo{OID: oidPACEECDHGMAES128, Param: param} }

// ErrCardAccess is wrapped when EF.CardAccess cannot be decoded.
var ErrCardAccess = errors.New("chip: EF.CardAccess malformed")

// ParseCardAccess returns the PACE protocols in EF.CardAccess that this package
// supports, in the chip's order; other security infos are skipped.
func ParseCardAccess(b []byte) ([]PACEInfo, error) {
	var infos []asn1.RawValue
	rest, err := asn1.UnmarshalWithParams(b, &infos, "set")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCardAccess, err)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after the set", ErrCardAccess, len(rest))
	}
	var out []PACEInfo
	for _, raw := range infos {
		var pi struct {
			Protocol asn1.ObjectIdentifier
			Version  int
			Param    int `asn1:"optional,default:-1"`
		}
		if _, err := asn1.Unmarshal(raw.FullBytes, &pi); err != nil {
			continue // another kind of SecurityInfo
		}
		p := PACEInfo{OID: pi.Protocol, Param: pi.Param}
		if pi.Version == 2 && p.KeyLength() > 0 && PACECurve(p.Param) != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// EncodeCardAccess writes EF.CardAccess offering the protocols (for the simulator).
func EncodeCardAccess(ps ...PACEInfo) []byte {
	type info struct {
		Protocol asn1.ObjectIdentifier
		Version  int
		Param    int
	}
	set := make([]info, len(ps))
	for i, p := range ps {
		set[i] = info{p.OID, 2, p.Param}
	}
	b, _ := asn1.MarshalWithParams(set, "set")
	return b
}

// kdfAES derives an AES key of n bytes with counter c (SHA-1 for 128 bits, SHA-256 above).
func kdfAES(k []byte, c uint32, n int) []byte {
	var cb [4]byte
	binary.BigEndian.PutUint32(cb[:], c)
	in := append(append([]byte(nil), k...), cb[:]...)
	if n <= 16 {
		h := sha1.Sum(in)
		return h[:n]
	}
	h := sha256.Sum256(in)
	return h[:n]
}

// PasswordKey is K_π, derived from the MRZ key's seed.
func PasswordKey(k Key, n int) ([]byte, error) {
	seed, err := k.Seed()
	if err != nil {
		return nil, err
	}
	return kdfAES(seed, 3, n), nil
}

// EncodePoint writes an uncompressed point.
func EncodePoint(c elliptic.Curve, x, y *big.Int) []byte {
	n := (c.Params().BitSize + 7) / 8
	out := make([]byte, 1+2*n)
	out[0] = 4
	x.FillBytes(out[1 : 1+n])
	y.FillBytes(out[1+n:])
	return out
}

// DecodePoint reads an uncompressed point and checks it is on the curve.
func DecodePoint(c elliptic.Curve, b []byte) (*big.Int, *big.Int, error) {
	n := (c.Params().BitSize + 7) / 8
	if len(b) != 1+2*n || b[0] != 4 {
		return nil, nil, fmt.Errorf("chip: point of %d bytes", len(b))
	}
	x, y := new(big.Int).SetBytes(b[1:1+n]), new(big.Int).SetBytes(b[1+n:])
	if !c.IsOnCurve(x, y) {
		return nil, nil, errors.New("chip: point not on the curve")
	}
	return x, y, nil
}

// ECKey is an ephemeral key pair on a curve with generator (gx, gy).
type ECKey struct {
	D      []byte
	X, Y   *big.Int
	Curve  elliptic.Curve
	Gx, Gy *big.Int
}

// GenerateKey makes a key pair on c with the generator (gx, gy); nil means the curve's own.
func GenerateKey(c elliptic.Curve, gx, gy *big.Int) (*ECKey, error) {
	p := c.Params()
	if gx == nil {
		gx, gy = p.Gx, p.Gy
	}
	for {
		d, err := rand.Int(rand.Reader, p.N)
		if err != nil {
			return nil, err
		}
		if d.Sign() == 0 {
			continue
		}
		db := d.FillBytes(make([]byte, (p.N.BitLen()+7)/8))
		x, y := c.ScalarMult(gx, gy, db)
		return &ECKey{D: db, X: x, Y: y, Curve: c, Gx: gx, Gy: gy}, nil
	}
}

// Public returns the encoded public point.
func (k *ECKey) Public() []byte { return EncodePoint(k.Curve, k.X, k.Y) }

// Shared multiplies the peer's point by the private key.
func (k *ECKey) Shared(px, py *big.Int) (*big.Int, *big.Int) { return k.Curve.ScalarMult(px, py, k.D) }

// MapGeneric returns the mapped generator G' = s·G + H.
func MapGeneric(c elliptic.Curve, s []byte, hx, hy *big.Int) (*big.Int, *big.Int) {
	sx, sy := c.ScalarBaseMult(s)
	return c.Add(sx, sy, hx, hy)
}

// DecryptNonce recovers the chip's nonce s from z under K_π.
func DecryptNonce(kPi, z []byte) ([]byte, error) {
	b, err := aes.NewCipher(kPi)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(b, make([]byte, 16), z)
}

// EncryptNonce encrypts s under K_π (the chip's side).
func EncryptNonce(kPi, s []byte) []byte {
	b, _ := aes.NewCipher(kPi)
	return cbcEncrypt(b, make([]byte, 16), s)
}

// SessionKeys derives PACE's session keys from the shared x-coordinate.
func SessionKeys(shared []byte, n int) (kEnc, kMAC []byte) {
	return kdfAES(shared, 1, n), kdfAES(shared, 2, n)
}

// AuthToken is the authentication token over the peer's ephemeral public key.
func AuthToken(kMAC []byte, oid asn1.ObjectIdentifier, point []byte) []byte {
	o, _ := asn1.Marshal(oid)
	var inner []byte
	inner = append(inner, o...)
	inner = AppendTLV(inner, 0x86, point)
	return cmac(kMAC, AppendTLV(nil, 0x7F49, inner))[:8]
}

// XBytes is the x-coordinate in the curve's field length.
func XBytes(c elliptic.Curve, x *big.Int) []byte {
	return x.FillBytes(make([]byte, (c.Params().BitSize+7)/8))
}

// gaData wraps one data object in the dynamic authentication data template 7C.
func gaData(tag uint32, v []byte) []byte {
	if tag == 0 {
		return []byte{0x7C, 0x00}
	}
	return AppendTLV(nil, 0x7C, AppendTLV(nil, tag, v))
}

// GAValue returns the object tag inside a 7C template (both sides use it).
func GAValue(b []byte, tag uint32) ([]byte, error) {
	t, _, err := ParseTLV(b)
	if err != nil {
		return nil, err
	}
	if t.Tag != 0x7C {
		return nil, fmt.Errorf("%w: template %X instead of 7C", ErrTLV, t.Tag)
	}
	in, ok, err := Find(t.Value, tag)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: no object %X in 7C", ErrTLV, tag)
	}
	return in.Value, nil
}

// PACE runs PACE with the MRZ as password and returns the secure-messaging session.
func PACE(ctx context.Context, card Card, k Key, p PACEInfo) (*SM, error) {
	n := p.KeyLength()
	c := PACECurve(p.Param)
	if n == 0 || c == nil {
		return nil, fmt.Errorf("chip: PACE protocol %v with parameters %d is not supported", p.OID, p.Param)
	}
	kPi, err := PasswordKey(k, n)
	if err != nil {
		return nil, err
	}
	oid, _ := asn1.Marshal(p.OID)
	var set []byte
	set = AppendTLV(set, 0x80, oid[2:])
	set = AppendTLV(set, 0x83, []byte{0x01}) // the password is the MRZ
	set = AppendTLV(set, 0x84, []byte{byte(p.Param)})
	if _, err := transmit(ctx, card, Command{CLA: 0x00, INS: 0x22, P1: 0xC1, P2: 0xA4, Data: set}); err != nil {
		return nil, fmt.Errorf("pace: set protocol: %w", err)
	}
	ga := func(last bool, tag uint32, v []byte, want uint32) ([]byte, error) {
		cla := byte(0x10)
		if last {
			cla = 0x00
		}
		rsp, err := transmit(ctx, card, Command{CLA: cla, INS: 0x86, Data: gaData(tag, v), Ne: 256})
		if err != nil {
			return nil, err
		}
		return GAValue(rsp, want)
	}
	z, err := ga(false, 0, nil, 0x80)
	if err != nil {
		return nil, fmt.Errorf("pace: nonce: %w", err)
	}
	s, err := DecryptNonce(kPi, z)
	if err != nil {
		return nil, fmt.Errorf("pace: nonce: %w", err)
	}
	mapKey, err := GenerateKey(c, nil, nil)
	if err != nil {
		return nil, err
	}
	pkMapIC, err := ga(false, 0x81, mapKey.Public(), 0x82)
	if err != nil {
		return nil, fmt.Errorf("pace: mapping: %w", err)
	}
	mx, my, err := DecodePoint(c, pkMapIC)
	if err != nil {
		return nil, fmt.Errorf("pace: mapping: %w", err)
	}
	hx, hy := mapKey.Shared(mx, my)
	gx, gy := MapGeneric(c, s, hx, hy)
	eph, err := GenerateKey(c, gx, gy)
	if err != nil {
		return nil, err
	}
	pkIC, err := ga(false, 0x83, eph.Public(), 0x84)
	if err != nil {
		return nil, fmt.Errorf("pace: key agreement: %w", err)
	}
	if bytes.Equal(pkIC, eph.Public()) {
		return nil, errors.New("pace: the chip returned our own key")
	}
	ex, ey, err := DecodePoint(c, pkIC)
	if err != nil {
		return nil, fmt.Errorf("pace: key agreement: %w", err)
	}
	sx, _ := eph.Shared(ex, ey)
	kEnc, kMAC := SessionKeys(XBytes(c, sx), n)
	tIC, err := ga(true, 0x85, AuthToken(kMAC, p.OID, pkIC), 0x86)
	if err != nil {
		if IsStatus(err, 0x6300) || IsStatus(err, 0x6982) {
			return nil, ErrAccessDenied
		}
		return nil, fmt.Errorf("pace: mutual authentication: %w", err)
	}
	if !bytes.Equal(tIC, AuthToken(kMAC, p.OID, eph.Public())) {
		return nil, errors.New("pace: the chip's token is wrong")
	}
	return NewSM(kEnc, kMAC, make([]byte, 16), true), nil
}
