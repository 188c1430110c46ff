package chip

import (
	"errors"
	"fmt"
)

// ErrTLV is wrapped by every BER-TLV decoding error: the chip's bytes do not
// form the structure the standard says.
var ErrTLV = errors.New("malformed TLV")

// maxTLVLength bounds a length field: no ePassport file is larger than a few
// hundred kilobytes, so anything past 16 MiB is an absurd length, not data.
const maxTLVLength = 1 << 24

// TLV is one BER-TLV data object (ISO/IEC 7816-4): its tag as the bytes read
// (0x5F1F for a two-byte tag), the value, and the bytes the whole object took.
type TLV struct {
	Tag   uint32
	Value []byte
	Raw   []byte
}

// Constructed reports whether the object holds further objects.
func (t TLV) Constructed() bool {
	b := t.Tag
	for b > 0xFF {
		b >>= 8
	}
	return b&0x20 != 0
}

// ParseTLV decodes the first data object in b and returns it with the bytes
// after it. Errors wrap ErrTLV.
func ParseTLV(b []byte) (TLV, []byte, error) {
	tag, n, err := parseTag(b)
	if err != nil {
		return TLV{}, nil, err
	}
	l, m, err := parseLength(b[n:])
	if err != nil {
		return TLV{}, nil, err
	}
	start := n + m
	if l > len(b)-start {
		return TLV{}, nil, fmt.Errorf("%w: tag %X says %d bytes, %d follow", ErrTLV, tag, l, len(b)-start)
	}
	end := start + l
	return TLV{Tag: tag, Value: b[start:end], Raw: b[:end]}, b[end:], nil
}

// HeaderLength returns how many bytes a data object takes in all from its first
// bytes (tag and length), so a file can be read in full once its start is known.
func HeaderLength(b []byte) (int, error) {
	_, n, err := parseTag(b)
	if err != nil {
		return 0, err
	}
	l, m, err := parseLength(b[n:])
	if err != nil {
		return 0, err
	}
	return n + m + l, nil
}

func parseTag(b []byte) (uint32, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("%w: no tag", ErrTLV)
	}
	tag := uint32(b[0])
	n := 1
	if b[0]&0x1F == 0x1F {
		for {
			if n >= len(b) {
				return 0, 0, fmt.Errorf("%w: tag cut short", ErrTLV)
			}
			if n >= 4 {
				return 0, 0, fmt.Errorf("%w: tag longer than 4 bytes", ErrTLV)
			}
			tag = tag<<8 | uint32(b[n])
			n++
			if b[n-1]&0x80 == 0 {
				break
			}
		}
	}
	return tag, n, nil
}

func parseLength(b []byte) (int, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("%w: no length", ErrTLV)
	}
	if b[0] < 0x80 {
		return int(b[0]), 1, nil
	}
	k := int(b[0] & 0x7F)
	if k == 0 || k > 4 {
		return 0, 0, fmt.Errorf("%w: length of %d bytes", ErrTLV, k)
	}
	if len(b) < 1+k {
		return 0, 0, fmt.Errorf("%w: length cut short", ErrTLV)
	}
	l := 0
	for _, c := range b[1 : 1+k] {
		l = l<<8 | int(c)
	}
	if l > maxTLVLength {
		return 0, 0, fmt.Errorf("%w: absurd length %d", ErrTLV, l)
	}
	return l, 1 + k, nil
}

// ParseTLVs decodes all data objects in b, one after another.
func ParseTLVs(b []byte) ([]TLV, error) {
	var out []TLV
	for len(b) > 0 {
		t, rest, err := ParseTLV(b)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		b = rest
	}
	return out, nil
}

// Find returns the first object with the tag among the objects in b (one level).
func Find(b []byte, tag uint32) (TLV, bool, error) {
	ts, err := ParseTLVs(b)
	if err != nil {
		return TLV{}, false, err
	}
	for _, t := range ts {
		if t.Tag == tag {
			return t, true, nil
		}
	}
	return TLV{}, false, nil
}

// AppendTLV appends the object tag with value v, encoding the length in DER form.
func AppendTLV(dst []byte, tag uint32, v []byte) []byte {
	switch {
	case tag > 0xFFFFFF:
		dst = append(dst, byte(tag>>24), byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFFFF:
		dst = append(dst, byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFF:
		dst = append(dst, byte(tag>>8), byte(tag))
	default:
		dst = append(dst, byte(tag))
	}
	dst = appendLength(dst, len(v))
	return append(dst, v...)
}

func appendLength(dst []byte, l int) []byte {
	switch {
	case l < 0x80:
		return append(dst, byte(l))
	case l <= 0xFF:
		return append(dst, 0x81, byte(l))
	case l <= 0xFFFF:
		return append(dst, 0x82, byte(l>>8), byte(l))
	default:
		return append(dst, 0x83, byte(l>>16), byte(l>>8), byte(l))
	}
}
