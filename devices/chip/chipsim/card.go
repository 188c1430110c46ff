// Package chipsim is a simulated ePassport chip for tests, the demo and training:
// an issuing state made at run time (CSCA → document signer → EF.SOD), a chip that
// answers APDUs with BAC or PACE and secure messaging, and a client of vsmartcard's
// vpcd socket so the chip appears in pcscd's virtual reader and the booth's PC/SC
// code runs as with hardware. It imports devices/chip for the shared cryptography;
// it must not be linked into the booth except for the demo.
package chipsim

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/asn1"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/chekara/chekara/devices/chip"
	"github.com/chekara/chekara/devices/chip/pa"
)

// Variants the simulator plays, as `bmis chip-sim --variant` names them.
const (
	Valid       = "valid"        // PACE (NIST P-256) and BAC, everything signed and in order
	TamperedDG1 = "tampered-dg1" // DG1 rewritten after signing: the SOD's hash no longer matches
	WrongSigner = "wrong-signer" // the SOD is signed by a key other than its certificate's
	ExpiredDS   = "expired-ds"   // the document signer's certificate has expired
	UnknownCSCA = "unknown-csca" // signed under a CSCA other than the one written out
	BACOnly     = "bac-only"     // an older chip: no EF.CardAccess, short reads only
	PACEOnly    = "pace"         // PACE on brainpoolP256r1 only; BAC refused
	Clone       = "clone"        // a copy: every file as signed, but not the active-authentication key
	JPEG2000    = "jpeg2000"     // as valid, its face in JPEG 2000 (as many states issue it)
)

// faceJP2 is the JPEG 2000 face of the jpeg2000 variant: synth.Face(3, 240,
// 320) compressed by OpenJPEG's opj_compress (Go has no encoder), as in
// devices/chip/jp2/testdata.
//
//go:embed face.jp2
var faceJP2 []byte

// Variants lists every variant.
var Variants = []string{Valid, TamperedDG1, WrongSigner, ExpiredDS, UnknownCSCA, BACOnly, PACEOnly, Clone, JPEG2000}

// Chip is one simulated ePassport. Its Transmit answers a command APDU as the
// chip would; it is a chip.Card in-process and the card behind Serve.
type Chip struct {
	Variant string
	// Authority is the state whose CSCA the booth should trust (for unknown-csca
	// the chip's signer was issued by another one).
	Authority *Authority
	key       chip.Key
	files     map[int][]byte
	pace      *chip.PACEInfo
	bac       bool
	extended  bool
	aaKey     *ecdsa.PrivateKey // signs INTERNAL AUTHENTICATE; nil: no active authentication

	mu    sync.Mutex
	st    state
	reads int
}

type state struct {
	app      bool
	file     []byte
	sm       *chip.SM
	rndIC    []byte
	paceStep int
	nonce    []byte // PACE's s, between steps 1 and 2
	pcdKey   []byte // the terminal's ephemeral public key, for the chip's token
	gx, gy   *big.Int
	eph      *chip.ECKey
	kMAC     []byte
	kEnc     []byte
}

// New makes a chip for the MRZ lines in the variant, its certificates made now.
func New(lines []string, variant string, now time.Time) (*Chip, error) {
	key, country, err := keyOf(lines)
	if err != nil {
		return nil, err
	}
	known := false
	for _, v := range Variants {
		known = known || v == variant
	}
	if !known {
		return nil, fmt.Errorf("chipsim: unknown variant %q (one of %s)", variant, strings.Join(Variants, ", "))
	}
	auth, err := NewAuthority(country, now, variant == ExpiredDS)
	if err != nil {
		return nil, err
	}
	signer := auth
	if variant == UnknownCSCA {
		if signer, err = NewAuthority(country, now, false); err != nil {
			return nil, err
		}
	}
	c := &Chip{Variant: variant, Authority: auth, key: key, files: map[int][]byte{}, bac: true, extended: true}
	switch variant {
	case BACOnly:
		c.extended = false
	case PACEOnly:
		p := chip.NewPACEInfo(chip.ParamBP256r1)
		c.pace, c.bac = &p, false
	default:
		p := chip.NewPACEInfo(chip.ParamP256)
		c.pace = &p
	}
	dg1 := chip.EncodeDG1(lines)
	face := chip.Face{Format: "jpeg", Width: 240, Height: 320, Image: FaceJPEG(key.Document)}
	if variant == JPEG2000 {
		face = chip.Face{Format: "jpeg2000", Width: 240, Height: 320, Image: faceJP2}
	}
	dg2 := chip.EncodeDG2(face)
	signed := map[int][]byte{1: dg1, 2: dg2}
	if variant == TamperedDG1 {
		// The chip of another passport, its DG1 rewritten to match this page: the
		// SOD holds the hash of what was there before.
		other := append([]byte(nil), dg1...)
		other[len(other)-1] ^= 0x01
		signed[1] = other
	}
	// Every chip but the old BAC-only one offers active authentication (DG14,
	// DG15); a clone holds DG15 as signed but another private key.
	if variant != BACOnly {
		aa, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		spki, err := x509.MarshalPKIXPublicKey(&aa.PublicKey)
		if err != nil {
			return nil, err
		}
		signed[14], signed[15] = pa.EncodeDG14AA(), chip.AppendTLV(nil, 0x6F, spki)
		c.aaKey = aa
		if variant == Clone {
			if c.aaKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
				return nil, err
			}
		}
	}
	var wrong *ecdsa.PrivateKey
	if variant == WrongSigner {
		if wrong, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, err
		}
	}
	var sod []byte
	if wrong != nil {
		sod, err = signer.SOD(signed, wrong)
	} else {
		sod, err = signer.SOD(signed, nil)
	}
	if err != nil {
		return nil, err
	}
	c.files[chip.FileCOM] = chip.EncodeCOM(1, 2)
	if c.aaKey != nil {
		c.files[chip.FileCOM] = chip.EncodeCOM(1, 2, 14, 15)
		c.files[0x010E], c.files[0x010F] = signed[14], signed[15]
	}
	c.files[chip.FileSOD] = sod
	c.files[chip.FileDG1] = dg1
	c.files[chip.FileDG2] = dg2
	if c.pace != nil {
		c.files[chip.FileCardAccess] = chip.EncodeCardAccess(*c.pace)
	}
	return c, nil
}

// keyOf takes the access key and the issuing state from MRZ lines.
func keyOf(lines []string) (chip.Key, string, error) {
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	k, err := chip.KeyFromMRZ(lines)
	if err != nil {
		return chip.Key{}, "", err
	}
	return k, lines[0][2:5], nil
}

// Reset is the chip leaving the field: every session ends.
func (c *Chip) Reset() {
	c.mu.Lock()
	c.st = state{}
	c.mu.Unlock()
}

// ATR is the answer to reset of a contactless ISO 14443 card (PC/SC part 3).
var ATR = []byte{0x3B, 0x88, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x09}

func sw(code uint16) []byte { return []byte{byte(code >> 8), byte(code)} }

// Transmit answers one command APDU.
func (c *Chip) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.process(apdu), nil
}

func (c *Chip) process(apdu []byte) []byte {
	cmd, err := chip.ParseCommand(apdu)
	if err != nil {
		return sw(0x6700)
	}
	if cmd.CLA&0x0C == 0x0C {
		if c.st.sm == nil {
			return sw(0x6988)
		}
		plain, err := c.st.sm.UnwrapCommand(cmd)
		if err != nil {
			c.st = state{} // a wrong MAC ends the session, as on a real chip
			return sw(0x6988)
		}
		data, code := c.exec(plain, true)
		if c.st.sm == nil {
			return sw(code)
		}
		return c.st.sm.WrapResponse(data, code)
	}
	if c.st.sm != nil && cmd.INS != 0x84 && cmd.INS != 0x82 {
		c.st.sm = nil // a plain command ends secure messaging
	}
	data, code := c.exec(cmd, false)
	return append(append(make([]byte, 0, len(data)+2), data...), sw(code)...)
}

func (c *Chip) exec(cmd chip.Command, protected bool) ([]byte, uint16) {
	switch cmd.INS {
	case 0xA4:
		return c.selectFile(cmd, protected)
	case 0xB0:
		return c.readBinary(cmd, protected)
	case 0x84:
		if !c.bac {
			return nil, 0x6D00
		}
		c.st.rndIC = make([]byte, 8)
		rand.Read(c.st.rndIC)
		return c.st.rndIC, 0x9000
	case 0x82:
		if !c.bac || c.st.rndIC == nil || !c.st.app {
			return nil, 0x6985
		}
		rsp, sm, err := chip.BACCard(c.key, c.st.rndIC, cmd.Data)
		c.st.rndIC = nil
		if err != nil {
			return nil, 0x6300
		}
		c.st.sm = sm
		return rsp, 0x9000
	case 0x22:
		return c.setAT(cmd)
	case 0x88:
		if c.aaKey == nil || !protected {
			return nil, 0x6D00
		}
		h := sha256.Sum256(cmd.Data)
		r, s, err := ecdsa.Sign(rand.Reader, c.aaKey, h[:])
		if err != nil {
			return nil, 0x6F00
		}
		return append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...), 0x9000
	case 0x86:
		return c.generalAuthenticate(cmd)
	}
	return nil, 0x6D00
}

func (c *Chip) selectFile(cmd chip.Command, protected bool) ([]byte, uint16) {
	switch cmd.P1 {
	case 0x04:
		if !bytes.Equal(cmd.Data, []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}) {
			return nil, 0x6A82
		}
		c.st.app, c.st.file = true, nil
		return nil, 0x9000
	case 0x00:
		c.st.app, c.st.file = false, nil
		return nil, 0x9000
	case 0x02:
		if len(cmd.Data) != 2 {
			return nil, 0x6700
		}
		fid := int(cmd.Data[0])<<8 | int(cmd.Data[1])
		f, ok := c.files[fid]
		if !ok {
			return nil, 0x6A82
		}
		if fid != chip.FileCardAccess && !protected {
			return nil, 0x6982
		}
		c.st.file = f
		return nil, 0x9000
	}
	return nil, 0x6A86
}

func (c *Chip) readBinary(cmd chip.Command, protected bool) ([]byte, uint16) {
	if c.st.file == nil {
		return nil, 0x6986
	}
	if cmd.Ne > 256 && !c.extended {
		return nil, 0x6700
	}
	off := int(cmd.P1&0x7F)<<8 | int(cmd.P2)
	if off > len(c.st.file) {
		return nil, 0x6B00
	}
	end := min(off+cmd.Ne, len(c.st.file))
	c.reads++
	return c.st.file[off:end], 0x9000
}

// Reads counts READ BINARY commands answered, so tests see chunking happen.
func (c *Chip) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

func (c *Chip) setAT(cmd chip.Command) ([]byte, uint16) {
	if cmd.P1 != 0xC1 || cmd.P2 != 0xA4 || c.pace == nil {
		return nil, 0x6A86
	}
	objs, err := chip.ParseTLVs(cmd.Data)
	if err != nil {
		return nil, 0x6A80
	}
	oid, _ := asn1.Marshal(c.pace.OID)
	ok := 0
	for _, o := range objs {
		switch {
		case o.Tag == 0x80 && bytes.Equal(o.Value, oid[2:]):
			ok++
		case o.Tag == 0x83 && bytes.Equal(o.Value, []byte{1}):
			ok++
		case o.Tag == 0x84 && len(o.Value) == 1 && int(o.Value[0]) == c.pace.Param:
			ok++
		}
	}
	if ok != 3 {
		return nil, 0x6A80
	}
	c.st = state{paceStep: 1}
	return nil, 0x9000
}

func (c *Chip) generalAuthenticate(cmd chip.Command) ([]byte, uint16) {
	if c.pace == nil || c.st.paceStep == 0 {
		return nil, 0x6985
	}
	curve := chip.PACECurve(c.pace.Param)
	fail := func() ([]byte, uint16) { c.st = state{}; return nil, 0x6300 }
	switch c.st.paceStep {
	case 1:
		kPi, err := chip.PasswordKey(c.key, c.pace.KeyLength())
		if err != nil {
			return fail()
		}
		c.st.nonce = make([]byte, 16)
		rand.Read(c.st.nonce)
		c.st.paceStep = 2
		return chip.AppendTLV(nil, 0x7C, chip.AppendTLV(nil, 0x80, chip.EncryptNonce(kPi, c.st.nonce))), 0x9000
	case 2:
		v, err := chip.GAValue(cmd.Data, 0x81)
		if err != nil {
			return fail()
		}
		px, py, err := chip.DecodePoint(curve, v)
		if err != nil {
			return fail()
		}
		k, err := chip.GenerateKey(curve, nil, nil)
		if err != nil {
			return fail()
		}
		hx, hy := k.Shared(px, py)
		c.st.gx, c.st.gy = chip.MapGeneric(curve, c.st.nonce, hx, hy)
		c.st.paceStep = 3
		return chip.AppendTLV(nil, 0x7C, chip.AppendTLV(nil, 0x82, k.Public())), 0x9000
	case 3:
		v, err := chip.GAValue(cmd.Data, 0x83)
		if err != nil {
			return fail()
		}
		px, py, err := chip.DecodePoint(curve, v)
		if err != nil {
			return fail()
		}
		eph, err := chip.GenerateKey(curve, c.st.gx, c.st.gy)
		if err != nil {
			return fail()
		}
		sx, _ := eph.Shared(px, py)
		c.st.kEnc, c.st.kMAC = chip.SessionKeys(chip.XBytes(curve, sx), c.pace.KeyLength())
		c.st.eph = eph
		c.st.pcdKey = v
		c.st.paceStep = 4
		return chip.AppendTLV(nil, 0x7C, chip.AppendTLV(nil, 0x84, eph.Public())), 0x9000
	case 4:
		v, err := chip.GAValue(cmd.Data, 0x85)
		if err != nil || !bytes.Equal(v, chip.AuthToken(c.st.kMAC, c.pace.OID, c.st.eph.Public())) {
			return fail()
		}
		tIC := chip.AuthToken(c.st.kMAC, c.pace.OID, c.st.pcdKey)
		sm := chip.NewSM(c.st.kEnc, c.st.kMAC, make([]byte, 16), true)
		c.st = state{sm: sm}
		return chip.AppendTLV(nil, 0x7C, chip.AppendTLV(nil, 0x86, tIC)), 0x9000
	}
	return fail()
}

// Groups returns the data groups the chip holds, for tests that check PA alone.
func (c *Chip) Groups() (sod []byte, groups map[int][]byte) {
	groups = map[int][]byte{1: c.files[chip.FileDG1], 2: c.files[chip.FileDG2]}
	for _, n := range []int{14, 15} {
		if f, ok := c.files[0x0100|n]; ok {
			groups[n] = f
		}
	}
	return c.files[chip.FileSOD], groups
}

// FaceJPEG draws a plain portrait (head, shoulders, a tint from the seed) as JPEG;
// the simulator's DG2 needs a real image, not a person.
func FaceJPEG(seed string) []byte {
	const w, h = 240, 320
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var s uint32
	for _, r := range seed {
		s = s*31 + uint32(r)
	}
	bg := color.RGBA{200, 210, 225, 255}
	skin := color.RGBA{uint8(190 + s%40), uint8(150 + s%30), uint8(120 + s%25), 255}
	coat := color.RGBA{uint8(40 + s%60), uint8(50 + s%50), uint8(80 + s%70), 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := bg
			dx, dy := float64(x-w/2)/62, float64(y-130)/82
			switch {
			case dx*dx+dy*dy <= 1:
				c = skin
				if ex, ey := float64(abs(x-w/2)-24)/8, float64(y-115)/5; ex*ex+ey*ey <= 1 {
					c = color.RGBA{40, 30, 30, 255}
				}
				if mx, my := float64(x-w/2)/22, float64(y-170)/5; mx*mx+my*my <= 1 {
					c = color.RGBA{150, 70, 70, 255}
				}
			case y > 230 && float64(abs(x-w/2)) < 40+float64(y-230)*1.4:
				c = coat
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	return b.Bytes()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
