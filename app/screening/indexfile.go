package screening

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"time"
	"unsafe"

	"github.com/chekara/chekara/app"
)

// The index file is the booth's cache of a built Index, so it starts in a
// second instead of rebuilding from the list:
//
//	header   32 bytes: magic "CHKSCRN\x00", format (uint32), 0 (uint32),
//	         payload length (uint64), 0 (uint64)
//	payload  the Index's arrays in a fixed order; each array is its element
//	         count (uint64) then its elements, little-endian, padded to 8 bytes;
//	         then the bitset of entries changed since built, and a flag
//	         (uint64 array [0] or [1]) followed, when 1, by the delta layer's
//	         arrays in the same order (its own flag 0)
//	trailer  CRC-32C of the payload (uint32)
//
// Loading reads the payload into one buffer and, on little-endian machines,
// points the arrays into it without copying. The checksum and a consistency
// check of every array run before the Index is used; any mismatch is an
// EINVALID error and the booth rebuilds from its list file.

const (
	indexMagic  = "CHKSCRN\x00"
	indexFormat = 2
	headerLen   = 32
	maxPayload  = 1 << 40
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes the index file. It implements io.WriterTo.
func (x *Index) WriteTo(w io.Writer) (int64, error) {
	var size countWriter
	x.writePayload(&size)
	var hdr [headerLen]byte
	copy(hdr[:], indexMagic)
	binary.LittleEndian.PutUint32(hdr[8:], indexFormat)
	binary.LittleEndian.PutUint64(hdr[16:], uint64(size))
	n, err := w.Write(hdr[:])
	total := int64(n)
	if err != nil {
		return total, fmt.Errorf("write screening index: %w", err)
	}
	cw := &crcWriter{w: w}
	x.writePayload(cw)
	total += cw.n
	if cw.err != nil {
		return total, fmt.Errorf("write screening index: %w", cw.err)
	}
	var tr [4]byte
	binary.LittleEndian.PutUint32(tr[:], cw.crc)
	n, err = w.Write(tr[:])
	total += int64(n)
	if err != nil {
		return total, fmt.Errorf("write screening index: %w", err)
	}
	return total, nil
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

type crcWriter struct {
	w   io.Writer
	crc uint32
	n   int64
	err error
}

func (c *crcWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	c.n += int64(n)
	c.err = err
	return n, err
}

func (x *Index) writePayload(w io.Writer) {
	var pad [8]byte
	section := func(count int, b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(count))
		w.Write(n[:])
		w.Write(b)
		if r := len(b) % 8; r != 0 {
			w.Write(pad[:8-r])
		}
	}
	u8 := func(s []uint8) { section(len(s), s) }
	u32 := func(s []uint32) { section(len(s), le32(s)) }
	u64 := func(s []uint64) { section(len(s), le64(s)) }
	str := func(s strs) { u8(s.data); u32(s.off) }
	c := func(m csr) { u64(m.keys); u32(m.off); u32(m.vals) }

	u64([]uint64{uint64(x.version), uint64(x.published.Unix()), uint64(x.published.Nanosecond())})
	str(x.pID)
	str(x.pNote)
	str(x.pNat)
	u8(x.pCat)
	u8(x.pSex)
	u32(x.pBirth)
	u8(x.pMinReq)
	u32(x.pForm)
	str(x.formText)
	u32(x.formTok)
	u32(x.tokRef)
	str(x.tText)
	u32(x.tSpell)
	str(x.spelling)
	u32(x.tFold)
	str(x.folds)
	c(x.terms)
	c(x.neighbours)
	str(x.dID)
	str(x.dState)
	str(x.dNumber)
	str(x.dNote)
	u8(x.dStatus)
	c(x.docs)
	c(x.lookDoc)
	c(x.ids)
	u64(x.gone)
	if x.over == nil {
		u64([]uint64{0})
		return
	}
	u64([]uint64{1})
	x.over.writePayload(w)
}

var littleEndian = func() bool { v := uint16(1); return *(*byte)(unsafe.Pointer(&v)) == 1 }()

// le32 gives the little-endian bytes of s: a view on little-endian machines.
func le32(s []uint32) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
	}
	b := make([]byte, len(s)*4)
	for i, v := range s {
		binary.LittleEndian.PutUint32(b[i*4:], v)
	}
	return b
}

func le64(s []uint64) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8)
	}
	b := make([]byte, len(s)*8)
	for i, v := range s {
		binary.LittleEndian.PutUint64(b[i*8:], v)
	}
	return b
}

// ReadIndex loads an index file written by WriteTo. A file that is not an
// index, of another format, truncated, failing its checksum or inconsistent
// inside is EINVALID with a sentence saying which; the caller should rebuild
// from the list file.
func ReadIndex(r io.Reader) (*Index, error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, corrupt("too short for a header (%v)", err)
	}
	if string(hdr[:8]) != indexMagic {
		return nil, corrupt("not a screening index file")
	}
	if f := binary.LittleEndian.Uint32(hdr[8:]); f != indexFormat {
		return nil, corrupt("index format %d is not supported (this booth reads %d)", f, indexFormat)
	}
	size := binary.LittleEndian.Uint64(hdr[16:])
	if size > maxPayload || size%8 != 0 {
		return nil, corrupt("payload length %d is impossible", size)
	}
	if l, ok := r.(interface{ Len() int }); ok && uint64(l.Len()) < size {
		// An in-memory reader says how much is left: no need to allocate first.
		return nil, corrupt("truncated: payload of %d bytes announced, %d left", size, l.Len())
	}
	// Read into uint64s so the buffer is 8-byte aligned for the array views.
	// Up to 256 MB is allocated at once (a lying header then costs at most
	// that, briefly); past that, only once the data has proved the file big.
	const firstAlloc, chunk = 256 << 20, 64 << 20
	words := make([]uint64, 0, min(size, firstAlloc)/8)
	crc := uint32(0)
	for uint64(len(words))*8 < size {
		n := min(chunk, size-uint64(len(words))*8)
		if need := len(words) + int(n/8); need > cap(words) {
			grown := make([]uint64, len(words), size/8)
			copy(grown, words)
			words = grown
		}
		part := words[len(words) : len(words)+int(n/8)]
		view := unsafe.Slice((*byte)(unsafe.Pointer(&part[0])), n)
		if _, err := io.ReadFull(r, view); err != nil {
			return nil, corrupt("truncated: payload ends after %d of %d bytes", uint64(len(words))*8, size)
		}
		crc = crc32.Update(crc, castagnoli, view)
		words = words[:len(words)+len(part)]
	}
	var tr [4]byte
	if _, err := io.ReadFull(r, tr[:]); err != nil {
		return nil, corrupt("truncated: checksum missing")
	}
	if got := binary.LittleEndian.Uint32(tr[:]); got != crc {
		return nil, corrupt("checksum mismatch (file %08x, content %08x): the file is damaged", got, crc)
	}
	d := &decoder{words: words}
	x, err := d.index(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(d.words) {
		return nil, corrupt("%d bytes after the last section", (len(d.words)-d.pos)*8)
	}
	return x, nil
}

// index decodes one layer; depth 1 is the delta layer, which has none below.
func (d *decoder) index(depth int) (*Index, error) {
	x := &Index{free: make(chan *scratch, scratchKept)}
	hd := d.u64()
	if d.err == nil && len(hd) != 3 {
		return nil, corrupt("bad header section")
	}
	if d.err == nil {
		x.version = int64(hd[0])
		x.published = time.Unix(int64(hd[1]), int64(hd[2])).UTC()
	}
	x.pID = d.strs()
	x.pNote = d.strs()
	x.pNat = d.strs()
	x.pCat = d.u8()
	x.pSex = d.u8()
	x.pBirth = d.u32()
	x.pMinReq = d.u8()
	x.pForm = d.u32()
	x.formText = d.strs()
	x.formTok = d.u32()
	x.tokRef = d.u32()
	x.tText = d.strs()
	x.tSpell = d.u32()
	x.spelling = d.strs()
	x.tFold = d.u32()
	x.folds = d.strs()
	x.terms = d.csr()
	x.neighbours = d.csr()
	x.dID = d.strs()
	x.dState = d.strs()
	x.dNumber = d.strs()
	x.dNote = d.strs()
	x.dStatus = d.u8()
	x.docs = d.csr()
	x.lookDoc = d.csr()
	x.ids = d.csr()
	x.gone = d.u64()
	flag := d.u64()
	if d.err != nil {
		return nil, d.err
	}
	if err := x.check(); err != nil {
		return nil, corrupt("%v", err)
	}
	switch {
	case len(flag) != 1 || flag[0] > 1 || flag[0] == 1 && depth > 0:
		return nil, corrupt("bad delta layer flag")
	case flag[0] == 1:
		over, err := d.index(depth + 1)
		if err != nil {
			return nil, err
		}
		x.over = over
	}
	return x, nil
}

func corrupt(format string, args ...any) error {
	return app.Errorf(app.EINVALID, "screening index file unusable: "+format, args...)
}

type decoder struct {
	words []uint64 // the payload's bytes as read (uint64 only for alignment)
	pos   int      // in words
	err   error
}

// raw returns the next section's count and its bytes (count*size of them).
func (d *decoder) raw(size int) (int, []byte) {
	if d.err != nil {
		return 0, nil
	}
	if d.pos >= len(d.words) {
		d.err = corrupt("section missing at byte %d", d.pos*8)
		return 0, nil
	}
	n := d.words[d.pos]
	d.pos++
	left := uint64(len(d.words)-d.pos) * 8
	if n > left/uint64(size) {
		d.err = corrupt("section at byte %d claims %d elements, more than the file holds", d.pos*8, n)
		return 0, nil
	}
	nb := int(n) * size
	if nb == 0 {
		return 0, nil
	}
	all := unsafe.Slice((*byte)(unsafe.Pointer(&d.words[d.pos])), nb)
	d.pos += (nb + 7) / 8
	return int(n), all
}

func (d *decoder) u8() []uint8 {
	_, b := d.raw(1)
	return b
}

func (d *decoder) u32() []uint32 {
	n, b := d.raw(4)
	if n == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), n)
	}
	s := make([]uint32, n)
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[i*4:])
	}
	return s
}

func (d *decoder) u64() []uint64 {
	n, b := d.raw(8)
	if n == 0 {
		return nil
	}
	if littleEndian {
		return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
	}
	s := make([]uint64, n)
	for i := range s {
		s[i] = binary.LittleEndian.Uint64(b[i*8:])
	}
	return s
}

func (d *decoder) strs() strs { return strs{data: d.u8(), off: d.u32()} }

func (d *decoder) csr() csr { return csr{keys: d.u64(), off: d.u32(), vals: d.u32()} }

// check verifies that every offset and reference in the index points inside
// its arrays, so that no query can index out of range, whatever the file held.
func (x *Index) check() error {
	np := len(x.pCat)
	nd := len(x.dStatus)
	for _, c := range []struct {
		name string
		s    strs
		n    int
	}{{"person ids", x.pID, np}, {"person notes", x.pNote, np}, {"nationalities", x.pNat, np},
		{"document ids", x.dID, nd}, {"issuing states", x.dState, nd}, {"document numbers", x.dNumber, nd}, {"document notes", x.dNote, nd},
		{"names", x.formText, -1}, {"tokens", x.tText, -1}, {"spellings", x.spelling, -1}, {"folds", x.folds, -1}} {
		if err := checkOffsets(c.name, c.s.off, len(c.s.data)); err != nil {
			return err
		}
		if c.n >= 0 && c.s.len() != c.n {
			return fmt.Errorf("%s: %d entries for %d", c.name, c.s.len(), c.n)
		}
	}
	if len(x.pSex) != np || len(x.pBirth) != np || len(x.pMinReq) != np || len(x.pForm) != np+1 {
		return errors.New("person arrays differ in length")
	}
	for p := range np {
		if int(x.pCat[p]) >= len(Categories) {
			return fmt.Errorf("person %d: unknown category", p)
		}
		if s := x.pSex[p]; s != 0 && s != 'M' && s != 'F' {
			return fmt.Errorf("person %d: unknown sex", p)
		}
	}
	for d := range nd {
		if int(x.dStatus[d]) >= len(Statuses) {
			return fmt.Errorf("document %d: unknown status", d)
		}
	}
	nforms := x.formText.len()
	ntok := x.tText.len()
	if err := checkOffsets("person names", x.pForm, nforms); err != nil {
		return err
	}
	if len(x.formTok) != nforms+1 {
		return errors.New("name token offsets differ in length")
	}
	if err := checkOffsets("name tokens", x.formTok, len(x.tokRef)); err != nil {
		return err
	}
	for f := range nforms {
		if x.formTok[f+1]-x.formTok[f] > 32 {
			return fmt.Errorf("name %d has more than 32 tokens", f)
		}
	}
	for _, r := range x.tokRef {
		if int(r&^optBit) >= ntok {
			return errors.New("name token out of range")
		}
	}
	if len(x.tSpell) != ntok+1 || len(x.tFold) != ntok+1 {
		return errors.New("token arrays differ in length")
	}
	if err := checkOffsets("token spellings", x.tSpell, x.spelling.len()); err != nil {
		return err
	}
	if err := checkOffsets("token folds", x.tFold, x.folds.len()); err != nil {
		return err
	}
	switch {
	case x.gone == nil:
	case len(x.gone) != (np+nd+63)/64:
		return errors.New("changed-entry bitset has the wrong length")
	default:
		x.gone = slices.Clone(x.gone) // Apply copies it anyway; keep the file buffer read-only
		for e := range np + nd {
			if x.isGone(e) {
				if e < np {
					x.goneP++
				} else {
					x.goneD++
				}
			}
		}
	}
	for _, c := range []struct {
		name string
		m    csr
		max  int
	}{{"terms", x.terms, np}, {"neighbours", x.neighbours, len(x.terms.keys)}, {"documents", x.docs, nd}, {"look-alike documents", x.lookDoc, nd},
		{"ids", x.ids, np + nd}} {
		if len(c.m.off) != len(c.m.keys)+1 {
			return fmt.Errorf("%s: offsets differ in length", c.name)
		}
		if err := checkOffsets(c.name, c.m.off, len(c.m.vals)); err != nil {
			return err
		}
		if !slices.IsSorted(c.m.keys) {
			return fmt.Errorf("%s: keys out of order", c.name)
		}
		for _, v := range c.m.vals {
			if int(v) >= c.max {
				return fmt.Errorf("%s: value out of range", c.name)
			}
		}
	}
	return nil
}

func checkOffsets(name string, off []uint32, end int) error {
	if len(off) == 0 || off[0] != 0 || int(off[len(off)-1]) != end {
		return fmt.Errorf("%s: offsets do not span the data", name)
	}
	for i := 1; i < len(off); i++ {
		if off[i] < off[i-1] {
			return fmt.Errorf("%s: offsets out of order", name)
		}
	}
	return nil
}
