package sync

import (
	"bytes"
	"hash/maphash"
	"path/filepath"
	"slices"
	gosync "sync"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// OpenStaysFile is the open stays HQ publishes (wire.KindOpenStays), in the
// booth's data dir.
const OpenStaysFile = "open_stays.txt"

// OpenStaysIndex is the booth's copy of HQ's open stays (app.OpenStays): the
// file as it is on disk, held in memory, and two sorted arrays of 64-bit key
// hashes → line offsets, one by person and one by document, so a look-up is
// two binary searches and the parse of a line or two — no allocation per
// stay at load, 24 bytes of index per stay and document.
type OpenStaysIndex struct {
	mu  gosync.RWMutex
	cur *stayIndex
}

type stayIndex struct {
	data     []byte
	version  int64
	byPerson []stayRef
	byDoc    []stayRef
}

type stayRef struct {
	hash uint64
	off  uint64
}

var staySeed = maphash.MakeSeed()

func docHash(d app.DocumentKey) uint64 {
	var h maphash.Hash
	h.SetSeed(staySeed)
	h.WriteString(d.IssuingState)
	h.WriteByte(0)
	h.WriteString(d.Number)
	return h.Sum64()
}

// Load replaces the index with the file data (wire.ReadOpenStays' format);
// the index keeps data. It reads only what it indexes — each line's key and
// the documents of its crossings — without parsing whole lines: the file was
// checked whole when it was built and is verified at rest against its seal
// before it is loaded, and a line that does not parse is never answered.
// Returns EINVALID for a file without the open-stays header (the index is
// then unchanged).
func (x *OpenStaysIndex) Load(data []byte) error {
	v, err := wire.OpenStaysVersion(data)
	if err != nil {
		return err
	}
	n := &stayIndex{data: data, version: v}
	off := bytes.IndexByte(data, '\n') + 1
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			break
		}
		line := data[off : off+end]
		fields := 0
		start := 0
		var last []byte
		for i := 0; i <= len(line); i++ {
			if i < len(line) && line[i] != '\t' {
				continue
			}
			fields++
			switch {
			case fields == 4:
				n.byPerson = append(n.byPerson, stayRef{maphash.Bytes(staySeed, line[:i]), uint64(off)})
			case fields > 4:
				// ID,TIME,E|X,POST,BOOTH,STATE,NUMBER: the document is the last two.
				f := line[start:i]
				c2 := bytes.LastIndexByte(f, ',')
				c1 := -1
				if c2 > 0 {
					c1 = bytes.LastIndexByte(f[:c2], ',')
				}
				if c1 >= 0 && c2 < len(f)-1 && !bytes.Equal(f[c1+1:], last) {
					last = f[c1+1:]
					n.byDoc = append(n.byDoc, stayRef{docHashBytes(f[c1+1:c2], f[c2+1:]), uint64(off)})
				}
			}
			start = i + 1
		}
		off += end + 1
	}
	cmp := func(a, b stayRef) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return int(a.off) - int(b.off)
	}
	slices.SortFunc(n.byPerson, cmp)
	slices.SortFunc(n.byDoc, cmp)
	n.byDoc = slices.Compact(n.byDoc)
	x.mu.Lock()
	x.cur = n
	x.mu.Unlock()
	return nil
}

func docHashBytes(state, number []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(staySeed)
	h.Write(state)
	h.WriteByte(0)
	h.Write(number)
	return h.Sum64()
}

// Version is the version of the open stays held, 0 for none.
func (x *OpenStaysIndex) Version() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return 0
	}
	return x.cur.version
}

// Len is the number of open stays held.
func (x *OpenStaysIndex) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.cur == nil {
		return 0
	}
	return len(x.cur.byPerson)
}

// OpenStay implements app.OpenStays: the admitted crossings HQ published for
// the person's open stay and for any open stay the document was used in,
// newest first, each once.
func (x *OpenStaysIndex) OpenStay(doc app.DocumentKey, person app.TravellerKey) []app.Crossing {
	x.mu.RLock()
	n := x.cur
	x.mu.RUnlock()
	if n == nil {
		return nil
	}
	var out []app.Crossing
	seen := map[uint64]bool{}
	add := func(off uint64, match func(wire.OpenStay) bool) {
		if seen[off] {
			return
		}
		seen[off] = true
		line := n.data[off:]
		if i := slices.Index(line, '\n'); i >= 0 {
			line = line[:i]
		}
		s, err := wire.ParseOpenStay(line)
		if err != nil || !match(s) {
			return // a hash collision, or a line that no longer reads
		}
		out = append(out, s.AppCrossings()...)
	}
	if person.Surname != "" && person.BirthDate != "" {
		for _, off := range find(n.byPerson, maphash.String(staySeed, wire.StayKey(person))) {
			add(off, func(s wire.OpenStay) bool { return s.Person == person })
		}
	}
	if doc.Number != "" {
		for _, off := range find(n.byDoc, docHash(doc)) {
			add(off, func(s wire.OpenStay) bool {
				return slices.ContainsFunc(s.Crossings, func(c wire.StayCrossing) bool { return c.Document == doc })
			})
		}
	}
	if len(seen) > 1 {
		slices.SortStableFunc(out, func(a, b app.Crossing) int { return b.BoothTime.Compare(a.BoothTime) })
		out = slices.CompactFunc(out, func(a, b app.Crossing) bool { return a.ID == b.ID })
	}
	return out
}

func find(refs []stayRef, h uint64) []uint64 {
	i, _ := slices.BinarySearchFunc(refs, h, func(r stayRef, h uint64) int {
		switch {
		case r.hash < h:
			return -1
		case r.hash > h:
			return 1
		}
		return 0
	})
	var out []uint64
	for ; i < len(refs) && refs[i].hash == h; i++ {
		out = append(out, refs[i].off)
	}
	return out
}

// OpenStaysDataset is the puller's dataset for the open stays: deltas applied
// to the file held, every version loaded into idx.
func OpenStaysDataset(dataDir string, idx *OpenStaysIndex) Dataset {
	return Dataset{Kind: wire.KindOpenStays, File: filepath.Join(dataDir, OpenStaysFile), Build: wire.BuildOpenStays,
		MaxBytes: 512 << 20,
		Load:     func(data []byte, _ DataVersion) error { return idx.Load(data) }}
}

var _ app.OpenStays = (*OpenStaysIndex)(nil)
