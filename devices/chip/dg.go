package chip

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrDG is wrapped when a data group is not what 9303 part 10 says.
var ErrDG = errors.New("chip: malformed data group")

// ParseDG1 returns the MRZ lines stored in DG1.
func ParseDG1(b []byte) ([]string, error) {
	t, _, err := ParseTLV(b)
	if err != nil {
		return nil, err
	}
	if t.Tag != 0x61 {
		return nil, fmt.Errorf("%w: DG1 tag %X", ErrDG, t.Tag)
	}
	m, ok, err := Find(t.Value, 0x5F1F)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: DG1 without MRZ", ErrDG)
	}
	s := string(m.Value)
	for _, c := range m.Value {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<') {
			return nil, fmt.Errorf("%w: DG1 MRZ has the byte %#x", ErrDG, c)
		}
	}
	var n int
	switch len(s) {
	case 90:
		n = 30
	case 72:
		n = 36
	case 88:
		n = 44
	default:
		return nil, fmt.Errorf("%w: DG1 MRZ of %d characters", ErrDG, len(s))
	}
	var lines []string
	for i := 0; i < len(s); i += n {
		lines = append(lines, s[i:i+n])
	}
	return lines, nil
}

// EncodeDG1 writes DG1 holding the MRZ lines (for the simulator).
func EncodeDG1(lines []string) []byte {
	var m []byte
	for _, l := range lines {
		m = append(m, l...)
	}
	return AppendTLV(nil, 0x61, AppendTLV(nil, 0x5F1F, m))
}

// Face is the facial image in DG2 and what its header says about it.
type Face struct {
	Format        string // "jpeg" or "jpeg2000"
	Width, Height int
	Image         []byte
}

// ParseDG2 returns the first face in DG2 (ISO/IEC 19794-5 inside the biometric
// information template).
func ParseDG2(b []byte) (*Face, error) {
	t, _, err := ParseTLV(b)
	if err != nil {
		return nil, err
	}
	if t.Tag != 0x75 {
		return nil, fmt.Errorf("%w: DG2 tag %X", ErrDG, t.Tag)
	}
	group, ok, err := Find(t.Value, 0x7F61)
	if err != nil || !ok {
		return nil, fmt.Errorf("%w: DG2 without a biometric group (%v)", ErrDG, err)
	}
	objs, err := ParseTLVs(group.Value)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if o.Tag != 0x7F60 {
			continue
		}
		inner, err := ParseTLVs(o.Value)
		if err != nil {
			return nil, err
		}
		for _, i := range inner {
			if i.Tag == 0x5F2E || i.Tag == 0x7F2E {
				return parseFaceRecord(i.Value)
			}
		}
	}
	return nil, fmt.Errorf("%w: DG2 without a face", ErrDG)
}

func parseFaceRecord(b []byte) (*Face, error) {
	// General header: "FAC\0", version, record length (4), number of faces (2).
	if len(b) < 14 || !bytes.Equal(b[:4], []byte("FAC\x00")) {
		return nil, fmt.Errorf("%w: no ISO 19794-5 face record", ErrDG)
	}
	if binary.BigEndian.Uint16(b[12:14]) == 0 {
		return nil, fmt.Errorf("%w: face record with no faces", ErrDG)
	}
	r := b[14:]
	// Facial information: block length (4), landmark count (2), then 14 bytes.
	if len(r) < 20 {
		return nil, fmt.Errorf("%w: face header cut short", ErrDG)
	}
	block := int(binary.BigEndian.Uint32(r[:4]))
	landmarks := int(binary.BigEndian.Uint16(r[4:6]))
	off := 20 + 8*landmarks
	if len(r) < off+12 {
		return nil, fmt.Errorf("%w: face image header cut short", ErrDG)
	}
	img := r[off : off+12]
	f := &Face{Width: int(binary.BigEndian.Uint16(img[2:4])), Height: int(binary.BigEndian.Uint16(img[4:6]))}
	data := r[off+12:]
	if block >= off+12 && block <= len(r) {
		data = r[off+12 : block]
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		f.Format = "jpeg"
	case bytes.HasPrefix(data, []byte{0, 0, 0, 0x0C, 'j', 'P', ' ', ' '}), bytes.HasPrefix(data, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		f.Format = "jpeg2000"
	default:
		return nil, fmt.Errorf("%w: face image is neither JPEG nor JPEG 2000 (header says type %d)", ErrDG, img[1])
	}
	f.Image = data
	return f, nil
}

// EncodeDG2 writes DG2 with one face image (for the simulator).
func EncodeDG2(f Face) []byte {
	typ := byte(0)
	if f.Format == "jpeg2000" {
		typ = 1
	}
	var rec []byte
	rec = binary.BigEndian.AppendUint32(rec, uint32(20+12+len(f.Image)))
	rec = append(rec, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) // no landmarks, unspecified features
	rec = append(rec, 1, typ)                                         // full frontal
	rec = binary.BigEndian.AppendUint16(rec, uint16(f.Width))
	rec = binary.BigEndian.AppendUint16(rec, uint16(f.Height))
	rec = append(rec, 1, 0, 0, 0, 0, 0)
	rec = append(rec, f.Image...)
	hdr := []byte("FAC\x00010\x00")
	hdr = binary.BigEndian.AppendUint32(hdr, uint32(14+len(rec)))
	hdr = append(hdr, 0, 1)
	bdb := append(hdr, rec...)
	var bht []byte
	bht = AppendTLV(bht, 0x80, []byte{1, 1})
	bht = AppendTLV(bht, 0x87, []byte{1, 1})
	bht = AppendTLV(bht, 0x88, []byte{0, 8})
	var tmpl []byte
	tmpl = AppendTLV(tmpl, 0xA1, bht)
	tmpl = AppendTLV(tmpl, 0x5F2E, bdb)
	var grp []byte
	grp = AppendTLV(grp, 0x02, []byte{1})
	grp = AppendTLV(grp, 0x7F60, tmpl)
	return AppendTLV(nil, 0x75, AppendTLV(nil, 0x7F61, grp))
}

// ParseCOM returns the data groups EF.COM lists.
func ParseCOM(b []byte) ([]int, error) {
	t, _, err := ParseTLV(b)
	if err != nil {
		return nil, err
	}
	if t.Tag != 0x60 {
		return nil, fmt.Errorf("%w: EF.COM tag %X", ErrDG, t.Tag)
	}
	l, ok, err := Find(t.Value, 0x5C)
	if err != nil || !ok {
		return nil, fmt.Errorf("%w: EF.COM without a tag list (%v)", ErrDG, err)
	}
	var out []int
	for _, tag := range l.Value {
		if n := dgOfTag(tag); n > 0 {
			out = append(out, n)
		}
	}
	return out, nil
}

var dgTags = [...]byte{0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70}

func dgOfTag(tag byte) int {
	for i, t := range dgTags {
		if t == tag {
			return i + 1
		}
	}
	return 0
}

// EncodeCOM writes EF.COM listing the data groups (for the simulator).
func EncodeCOM(dgs ...int) []byte {
	var list []byte
	for _, n := range dgs {
		list = append(list, dgTags[n-1])
	}
	var v []byte
	v = AppendTLV(v, 0x5F01, []byte("0107"))
	v = AppendTLV(v, 0x5F36, []byte("040000"))
	v = AppendTLV(v, 0x5C, list)
	return AppendTLV(nil, 0x60, v)
}
