package chip

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
)

// ErrSM is wrapped when a secure-messaging response fails its checks: a wrong
// MAC, missing data objects or bad padding. A chip that answers garbage ends here.
var ErrSM = errors.New("secure messaging check failed")

// SM is a secure-messaging session (9303 part 11, section 9.8): session keys and
// the send sequence counter, with 3DES and retail MAC after BAC or AES and CMAC
// after PACE. The reader side wraps commands and unwraps responses; the card side
// (the simulator) does the reverse with the same code.
type SM struct {
	kEnc, kMAC []byte
	aes        bool
	ssc        []byte
	blk        cipher.Block
}

// NewSM starts a session. For 3DES the SSC is 8 bytes, for AES 16.
func NewSM(kEnc, kMAC, ssc []byte, useAES bool) *SM {
	s := &SM{kEnc: kEnc, kMAC: kMAC, aes: useAES, ssc: append([]byte(nil), ssc...)}
	if useAES {
		s.blk, _ = aes.NewCipher(kEnc)
	} else {
		s.blk = tdes(kEnc)
	}
	return s
}

func (s *SM) bs() int { return s.blk.BlockSize() }

func (s *SM) inc() {
	for i := len(s.ssc) - 1; i >= 0; i-- {
		s.ssc[i]++
		if s.ssc[i] != 0 {
			return
		}
	}
}

func (s *SM) iv() []byte {
	iv := make([]byte, s.bs())
	if s.aes {
		s.blk.Encrypt(iv, s.ssc)
	}
	return iv
}

func (s *SM) mac(data []byte) []byte {
	in := pad(append(append([]byte(nil), s.ssc...), data...), s.bs())
	if s.aes {
		return cmac(s.kMAC, in)[:8]
	}
	return retailMAC(s.kMAC, in)
}

func (s *SM) encrypt(data []byte) []byte {
	return cbcEncrypt(s.blk, s.iv(), pad(data, s.bs()))
}

func (s *SM) decrypt(data []byte) ([]byte, error) {
	p, err := cbcDecrypt(s.blk, s.iv(), data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSM, err)
	}
	out, err := unpad(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSM, err)
	}
	return out, nil
}

func appendLe(dst []byte, ne int, ext bool) []byte {
	if ext || ne > 256 {
		return AppendTLV(dst, 0x97, []byte{byte(ne >> 8), byte(ne)})
	}
	return AppendTLV(dst, 0x97, []byte{byte(ne)})
}

// Wrap protects a command (reader side).
func (s *SM) Wrap(c Command) Command {
	s.inc()
	hdr := []byte{c.CLA | 0x0C, c.INS, c.P1, c.P2}
	var body []byte
	if len(c.Data) > 0 {
		body = AppendTLV(body, 0x87, append([]byte{0x01}, s.encrypt(c.Data)...))
	}
	if c.Ne > 0 {
		body = appendLe(body, c.Ne, c.Ne > 256)
	}
	m := s.mac(append(pad(hdr, s.bs()), body...))
	body = AppendTLV(body, 0x8E, m)
	ne := 256
	if c.Ne > 231 || len(body) > 255 {
		ne = 65536
	}
	return Command{CLA: hdr[0], INS: c.INS, P1: c.P1, P2: c.P2, Data: body, Ne: ne}
}

// Unwrap checks and decrypts a protected response (reader side) and returns its
// plain data and status word.
func (s *SM) Unwrap(rsp []byte) ([]byte, uint16, error) {
	s.inc()
	data, sw, err := split(rsp)
	if err != nil {
		return nil, 0, err
	}
	if len(data) == 0 {
		// A chip may answer an error status in plain; it carries no data to trust.
		if sw == 0x9000 {
			return nil, 0, fmt.Errorf("%w: success without a MAC", ErrSM)
		}
		return nil, sw, nil
	}
	objs, err := ParseTLVs(data)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrSM, err)
	}
	var do87, do99, do8e []byte
	var macIn []byte
	for _, o := range objs {
		switch o.Tag {
		case 0x87:
			do87 = o.Value
			macIn = append(macIn, o.Raw...)
		case 0x99:
			do99 = o.Value
			macIn = append(macIn, o.Raw...)
		case 0x8E:
			do8e = o.Value
		default:
			return nil, 0, fmt.Errorf("%w: unexpected object %X", ErrSM, o.Tag)
		}
	}
	if do8e == nil || len(do99) != 2 {
		return nil, 0, fmt.Errorf("%w: MAC or status object missing", ErrSM)
	}
	if subtle.ConstantTimeCompare(s.mac(macIn), do8e) != 1 {
		return nil, 0, fmt.Errorf("%w: wrong MAC", ErrSM)
	}
	inner := uint16(do99[0])<<8 | uint16(do99[1])
	if do87 == nil {
		return nil, inner, nil
	}
	if len(do87) < 1 || do87[0] != 0x01 {
		return nil, 0, fmt.Errorf("%w: encrypted data without padding indicator", ErrSM)
	}
	plain, err := s.decrypt(do87[1:])
	if err != nil {
		return nil, 0, err
	}
	return plain, inner, nil
}

// UnwrapCommand checks and decrypts a protected command (card side).
func (s *SM) UnwrapCommand(c Command) (Command, error) {
	s.inc()
	objs, err := ParseTLVs(c.Data)
	if err != nil {
		return Command{}, fmt.Errorf("%w: %v", ErrSM, err)
	}
	out := Command{CLA: c.CLA &^ 0x0C, INS: c.INS, P1: c.P1, P2: c.P2}
	var body, do87, do8e []byte
	for _, o := range objs {
		switch o.Tag {
		case 0x87:
			do87 = o.Value
			body = append(body, o.Raw...)
		case 0x97:
			for _, b := range o.Value {
				out.Ne = out.Ne<<8 | int(b)
			}
			if out.Ne == 0 {
				out.Ne = 256
				if len(o.Value) == 2 {
					out.Ne = 65536
				}
			}
			body = append(body, o.Raw...)
		case 0x8E:
			do8e = o.Value
		default:
			return Command{}, fmt.Errorf("%w: unexpected object %X", ErrSM, o.Tag)
		}
	}
	hdr := []byte{c.CLA, c.INS, c.P1, c.P2}
	if do8e == nil || !bytes.Equal(s.mac(append(pad(hdr, s.bs()), body...)), do8e) {
		return Command{}, fmt.Errorf("%w: wrong MAC", ErrSM)
	}
	if do87 != nil {
		if len(do87) < 1 || do87[0] != 0x01 {
			return Command{}, fmt.Errorf("%w: no padding indicator", ErrSM)
		}
		if out.Data, err = s.decrypt(do87[1:]); err != nil {
			return Command{}, err
		}
	}
	return out, nil
}

// WrapResponse protects a response (card side).
func (s *SM) WrapResponse(data []byte, sw uint16) []byte {
	s.inc()
	var body []byte
	if len(data) > 0 {
		body = AppendTLV(body, 0x87, append([]byte{0x01}, s.encrypt(data)...))
	}
	body = AppendTLV(body, 0x99, []byte{byte(sw >> 8), byte(sw)})
	body = AppendTLV(body, 0x8E, s.mac(body))
	return append(body, 0x90, 0x00)
}

// transmitSM sends c through the session and returns the data of a 9000 response.
func transmitSM(ctx context.Context, card Card, s *SM, c Command) ([]byte, error) {
	rsp, err := card.Transmit(ctx, s.Wrap(c).Bytes())
	if err != nil {
		return nil, err
	}
	data, sw, err := s.Unwrap(rsp)
	if err != nil {
		return nil, err
	}
	if sw != 0x9000 {
		return data, &StatusError{SW: sw}
	}
	return data, nil
}
