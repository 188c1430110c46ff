package screening

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/chekara/chekara/app"
)

// Index is a list built for screening. It is immutable once built, so any
// number of goroutines may query it; a new list version is a new Index.
//
// It is laid out in flat arrays rather than one struct per person: a million
// persons then cost tens of megabytes instead of hundreds, and the arrays are
// written to and loaded from the index file as they are.
type Index struct {
	version   int64
	published time.Time

	// Persons, by position p.
	pID     strs
	pNote   strs
	pNat    strs     // nationalities joined with ","
	pCat    []uint8  // index into Categories
	pSex    []uint8  // 0 unknown, 'M', 'F'
	pBirth  []uint32 // Date.pack()
	pMinReq []uint8  // fewest required tokens of any of the person's names
	pForm   []uint32 // person p's names are forms pForm[p]..pForm[p+1]
	// Names as written, by form f, and their tokens: tokRef[formTok[f]:formTok[f+1]]
	// holds token ids with optBit set on the patronymic.
	formText strs
	formTok  []uint32
	tokRef   []uint32

	// Distinct name tokens, by id t: the token as written (upper case), its
	// Latin spellings (ICAO first) and their folded keys.
	tText    strs
	tSpell   []uint32 // token t's spellings are spell[tSpell[t]:tSpell[t+1]]
	spelling strs
	tFold    []uint32
	folds    strs

	// Candidate finding: a folded key's hash → the persons with a token that
	// folds to it (terms), and the hash of a key or of the key with one letter
	// deleted → the terms (neighbours), which finds one-edit typos without a scan.
	terms      csr
	neighbours csr

	// Documents, by position d.
	dID     strs
	dState  strs
	dNumber strs
	dNote   strs
	dStatus []uint8 // index into Statuses
	docs    csr     // hash(state, number) → d
	lookDoc csr     // hash(state, look-alike key of number) → d

	// ids finds an entry by id: hash(id) → e, a person p or a document
	// np()+d. Deltas need it.
	ids csr

	// Changes since the arrays above were built, so a delta costs work in
	// proportion to its size: entries removed or changed are marked in gone
	// (a bitset over e), added and changed entries are in over, an index of
	// their own. Both are nil straight after Build.
	gone         []uint64
	goneP, goneD int
	over         *Index

	free chan *scratch // per-query working memory, reused
}

// scratchKept is how many queries' working memory an index keeps for reuse.
const scratchKept = 8

const optBit = 1 << 31

// Version is the list version the index was built from.
func (x *Index) Version() int64 { return x.version }

// Published is when HQ published that list version.
func (x *Index) Published() time.Time { return x.published }

// Persons is the number of listed persons.
func (x *Index) Persons() int {
	if x == nil {
		return 0
	}
	return x.np() - x.goneP + x.over.Persons()
}

// Documents is the number of listed documents.
func (x *Index) Documents() int {
	if x == nil {
		return 0
	}
	return x.nd() - x.goneD + x.over.Documents()
}

// np and nd count the persons and documents in the built arrays, gone or not.
func (x *Index) np() int {
	if x == nil {
		return 0
	}
	return len(x.pCat)
}

func (x *Index) nd() int {
	if x == nil {
		return 0
	}
	return len(x.dStatus)
}

func (x *Index) isGone(e int) bool { return x.gone != nil && x.gone[e/64]&(1<<(e%64)) != 0 }

// strs is many strings in one byte slice: string i is data[off[i]:off[i+1]].
type strs struct {
	data []byte
	off  []uint32
}

func (s *strs) add(v string) {
	if s.off == nil {
		s.off = []uint32{0}
	}
	s.data = append(s.data, v...)
	s.off = append(s.off, uint32(len(s.data)))
}

// at returns string i without copying: the index never changes its bytes.
func (s *strs) at(i int) string {
	b := s.data[s.off[i]:s.off[i+1]]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (s *strs) len() int {
	if len(s.off) == 0 {
		return 0
	}
	return len(s.off) - 1
}

// csr maps 64-bit keys to runs of 32-bit values: keys sorted, values of
// keys[i] at vals[off[i]:off[i+1]].
type csr struct {
	keys []uint64
	off  []uint32
	vals []uint32
}

func (c *csr) get(k uint64) []uint32 {
	i, ok := slices.BinarySearch(c.keys, k)
	if !ok {
		return nil
	}
	return c.vals[c.off[i]:c.off[i+1]]
}

// find returns the position of k in keys, or -1.
func (c *csr) find(k uint64) int {
	i, ok := slices.BinarySearch(c.keys, k)
	if !ok {
		return -1
	}
	return i
}

// buildCSR builds a csr from key-value pairs (sorted here, duplicates dropped).
func buildCSR(pairs []kv) csr {
	sortPairs(pairs)
	var c csr
	c.keys = make([]uint64, 0, len(pairs)/2+1)
	c.vals = make([]uint32, 0, len(pairs))
	c.off = make([]uint32, 0, len(pairs)/2+2)
	for i, p := range pairs {
		if i > 0 && p == pairs[i-1] {
			continue
		}
		if len(c.keys) == 0 || c.keys[len(c.keys)-1] != p.k {
			c.keys = append(c.keys, p.k)
			c.off = append(c.off, uint32(len(c.vals)))
		}
		c.vals = append(c.vals, p.v)
	}
	c.off = append(c.off, uint32(len(c.vals)))
	c.keys = slices.Clip(c.keys)
	c.off = slices.Clip(c.off)
	c.vals = slices.Clip(c.vals)
	return c
}

type kv struct {
	k uint64
	v uint32
}

// sortPairs sorts by key then value with an LSD radix sort: ten million
// document keys sort in a fraction of the time a comparison sort takes.
func sortPairs(p []kv) {
	if len(p) < 256 {
		slices.SortFunc(p, func(a, b kv) int {
			if a.k != b.k {
				if a.k < b.k {
					return -1
				}
				return 1
			}
			return int(int64(a.v) - int64(b.v))
		})
		return
	}
	tmp := make([]kv, len(p))
	src, dst := p, tmp
	// values first (4 passes of 8 bits), then keys (8 passes): stable passes
	// leave the pairs sorted by key, then value.
	pass := func(shift uint, key bool) {
		var count [257]int
		for _, e := range src {
			var b uint64
			if key {
				b = e.k >> shift & 0xff
			} else {
				b = uint64(e.v) >> shift & 0xff
			}
			count[b+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, e := range src {
			var b uint64
			if key {
				b = e.k >> shift & 0xff
			} else {
				b = uint64(e.v) >> shift & 0xff
			}
			dst[count[b]] = e
			count[b]++
		}
		src, dst = dst, src
	}
	for s := uint(0); s < 32; s += 8 {
		pass(s, false)
	}
	for s := uint(0); s < 64; s += 8 {
		pass(s, true)
	}
	// 12 passes: an even number, so the result is back in p.
}

// hash is FNV-1a, 64 bits: stable across runs and machines, as the index file needs.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func hash2(a, b string) uint64 {
	h := hash(a)
	h ^= '|'
	h *= 1099511628211
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= 1099511628211
	}
	return h
}

// lookAlike maps the characters a reader, an OCR engine or a clerk confuses
// (O/0, I/1, S/5, B/8) to one of each pair.
func lookAlike(num string) string {
	b := []byte(num)
	for i, c := range b {
		switch c {
		case 'O':
			b[i] = '0'
		case 'I':
			b[i] = '1'
		case 'S':
			b[i] = '5'
		case 'B':
			b[i] = '8'
		}
	}
	return string(b)
}

// minTypoLen and maxTypoLen bound the keys for which one-letter typos are
// looked for. No name token is longer than an MRZ name field (39); the upper
// bound keeps garbage input from costing the square of its length.
const (
	minTypoLen = 3
	maxTypoLen = 40
)

// Build indexes a list. Entries are checked as ReadFile checks them; the first
// bad one is EINVALID naming its id.
func Build(l *List) (*Index, error) {
	x := &Index{version: l.Version, published: l.Published, free: make(chan *scratch, scratchKept)}
	for _, s := range []*strs{&x.pID, &x.pNote, &x.pNat, &x.formText, &x.tText, &x.spelling, &x.folds,
		&x.dID, &x.dState, &x.dNumber, &x.dNote} {
		s.off = []uint32{0}
	}
	x.tSpell, x.tFold = []uint32{0}, []uint32{0}
	np := len(l.Persons)
	x.pCat = make([]uint8, 0, np)
	x.pSex = make([]uint8, 0, np)
	x.pBirth = make([]uint32, 0, np)
	x.pMinReq = make([]uint8, 0, np)
	x.pForm = make([]uint32, 1, np+1)
	x.formTok = []uint32{0}
	tokID := map[string]uint32{}
	foldID := map[string]uint32{}             // folded key → term number while building
	var termPersons [][]uint32                // term number → persons (ascending, unique)
	var foldsOf [][]uint32                    // token id → term numbers
	ids := make([]kv, 0, np+len(l.Documents)) // hash(id) → entry, to find ids listed twice
	for i := range l.Persons {
		p := l.Persons[i] // a copy: checkPerson tidies it
		if err := checkPerson(&p); err != nil {
			return nil, app.Errorf(app.EINVALID, "person %q: %v", p.ID, err)
		}
		pi := uint32(len(x.pCat))
		ids = append(ids, kv{hash(p.ID), pi})
		x.pID.add(p.ID)
		x.pNote.add(p.Note)
		x.pNat.add(strings.Join(p.Nationalities, ","))
		x.pCat = append(x.pCat, uint8(slices.Index(Categories, p.Category)))
		var sex uint8
		if p.Sex != "" {
			sex = p.Sex[0]
		}
		x.pSex = append(x.pSex, sex)
		d, _ := ParseDate(p.BirthDate)
		x.pBirth = append(x.pBirth, d.pack())
		minReq := 255
		var personTerms []uint32
		for _, name := range p.Names {
			toks := tokens(name)
			if len(toks) > 32 {
				toks = toks[:32] // no real name has more; keeps the scorer's arrays fixed
			}
			opt := optionalTokens(toks)
			req := 0
			for j, t := range toks {
				id, ok := tokID[t]
				if !ok {
					id = uint32(x.tText.len())
					tokID[t] = id
					x.tText.add(t)
					var fs []uint32
					have := map[string]bool{}
					sp := spell(t)
					// Terms: every folded spelling, and the ICAO spelling itself,
					// whose one-letter neighbours catch typos inside letter
					// groups (SHCHERBAKOV/HCHERBAKOV) that folding hides.
					keys := make([]string, 0, len(sp)+1)
					for _, s := range sp {
						x.spelling.add(s)
						keys = append(keys, fold(s))
					}
					keys = append(keys, sp[0])
					for i, f := range keys {
						if i < len(sp) {
							x.folds.add(f)
						}
						if have[f] {
							continue
						}
						have[f] = true
						n, ok := foldID[f]
						if !ok {
							n = uint32(len(termPersons))
							foldID[f] = n
							termPersons = append(termPersons, nil)
						}
						fs = append(fs, n)
					}
					x.tSpell = append(x.tSpell, uint32(x.spelling.len()))
					x.tFold = append(x.tFold, uint32(x.folds.len()))
					foldsOf = append(foldsOf, fs)
				}
				ref := id
				if opt[j] {
					ref |= optBit
				} else {
					req++
				}
				x.tokRef = append(x.tokRef, ref)
				personTerms = append(personTerms, foldsOf[id]...)
			}
			x.formText.add(name)
			x.formTok = append(x.formTok, uint32(len(x.tokRef)))
			minReq = min(minReq, req)
		}
		x.pMinReq = append(x.pMinReq, uint8(minReq))
		x.pForm = append(x.pForm, uint32(x.formText.len()))
		slices.Sort(personTerms)
		for _, n := range slices.Compact(personTerms) {
			termPersons[n] = append(termPersons[n], pi)
		}
	}

	// Terms: postings per folded key, and the one-deletion neighbourhood of
	// every key, both keyed by hash.
	termKey := make([]string, len(termPersons))
	for f, n := range foldID {
		termKey[n] = f
	}
	var tp []kv
	for n, ps := range termPersons {
		h := hash(termKey[n])
		for _, p := range ps {
			tp = append(tp, kv{h, p})
		}
	}
	x.terms = buildCSR(tp)
	var np2 []kv
	for _, f := range termKey {
		t := uint32(x.terms.find(hash(f)))
		np2 = append(np2, kv{hash(f), t})
		if len(f) >= minTypoLen && len(f) <= maxTypoLen {
			for _, del := range deletions(f) {
				np2 = append(np2, kv{hash(del), t})
			}
		}
	}
	x.neighbours = buildCSR(np2)

	// Documents.
	nd := len(l.Documents)
	x.dStatus = make([]uint8, 0, nd)
	for _, s := range []*strs{&x.dID, &x.dState, &x.dNumber, &x.dNote} {
		s.off = slices.Grow(s.off, nd)
	}
	exact := make([]kv, 0, nd)
	look := make([]kv, 0, nd)
	for i := range l.Documents {
		d := l.Documents[i]
		if err := checkDocument(&d); err != nil {
			return nil, app.Errorf(app.EINVALID, "document %q: %v", d.ID, err)
		}
		di := uint32(len(x.dStatus))
		ids = append(ids, kv{hash(d.ID), uint32(np) + di})
		x.dID.add(d.ID)
		x.dState.add(d.IssuingState)
		x.dNumber.add(d.DocumentNumber)
		x.dNote.add(d.Note)
		x.dStatus = append(x.dStatus, uint8(slices.Index(Statuses, d.Status)))
		exact = append(exact, kv{hash2(d.IssuingState, d.DocumentNumber), di})
		look = append(look, kv{hash2(d.IssuingState, lookAlike(d.DocumentNumber)), di})
	}
	// Ids listed twice: sorting hashes needs a fraction of a map's memory at
	// ten million documents.
	sortPairs(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i].k == ids[i-1].k && x.entryID(ids[i].v) == x.entryID(ids[i-1].v) {
			return nil, app.Errorf(app.EINVALID, "id %q listed twice", x.entryID(ids[i].v))
		}
	}
	x.ids = buildCSR(ids)
	x.docs = buildCSR(exact)
	x.lookDoc = buildCSR(look)
	return x, nil
}

// entryID is the id of person e, or of document e-Persons().
func (x *Index) entryID(e uint32) string {
	if int(e) < x.np() {
		return x.pID.at(int(e))
	}
	return x.dID.at(int(e) - x.np())
}

// deletions returns s with each one letter removed, doubled letters then
// written once as fold writes them (DODOLOT → DOOLOT → DOLOT).
func deletions(s string) []string {
	out := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue // deleting either of a doubled letter gives the same key
		}
		d := s[:i] + s[i+1:]
		if i > 0 && i < len(s)-1 && s[i-1] == s[i+1] {
			d = s[:i] + s[i+2:]
		}
		out = append(out, d)
	}
	return out
}

// List gives back the list the index holds (names as written, with spacing
// tidied), so a delta can be applied to an index loaded from a file.
func (x *Index) List() *List {
	l := &List{Version: x.version, Published: x.published}
	l.Persons = make([]Person, 0, x.Persons())
	for p := range x.np() {
		if x.isGone(p) {
			continue
		}
		per := Person{ID: x.pID.at(p), Note: x.pNote.at(p), Category: Categories[x.pCat[p]],
			BirthDate: unpackDate(x.pBirth[p]).String()}
		if s := x.pSex[p]; s != 0 {
			per.Sex = string(rune(s))
		}
		if n := x.pNat.at(p); n != "" {
			per.Nationalities = strings.Split(n, ",")
		}
		for f := x.pForm[p]; f < x.pForm[p+1]; f++ {
			per.Names = append(per.Names, x.formText.at(int(f)))
		}
		l.Persons = append(l.Persons, per)
	}
	l.Documents = make([]Document, 0, x.Documents())
	for d := range x.nd() {
		if x.isGone(x.np() + d) {
			continue
		}
		l.Documents = append(l.Documents, Document{ID: x.dID.at(d), IssuingState: x.dState.at(d), DocumentNumber: x.dNumber.at(d),
			Status: Statuses[x.dStatus[d]], Note: x.dNote.at(d)})
	}
	if x.over != nil {
		o := x.over.List()
		l.Persons = append(l.Persons, o.Persons...)
		l.Documents = append(l.Documents, o.Documents...)
	}
	return l
}

// lookup finds a built entry by id, gone or not.
func (x *Index) lookup(id string) (int, bool) {
	for _, e := range x.ids.get(hash(id)) {
		if x.entryID(e) == id {
			return int(e), true
		}
	}
	return 0, false
}

// compactAt is how many entries the delta layer may hold before Apply
// rebuilds the whole index: queries pay for two layers, so it stays small.
func compactAt(entries int) int { return max(20_000, entries/20) }

// Apply returns the index of the list that d makes of this one; x itself is
// unchanged and stays usable. The built arrays are shared: only the changed
// entries are indexed anew, so a delta of a hundred changes to a million
// persons takes milliseconds. When the changes since the last full build
// exceed compactAt, the whole index is rebuilt instead (seconds).
//
// Errors are those of (*List).Apply: ECONFLICT for a delta of another base or
// an op on an id that is (add) or is not (change, remove) listed; EINVALID for
// a bad entry or a change of kind.
func (x *Index) Apply(d *Delta) (*Index, error) {
	if d.Base != x.version {
		return nil, app.Errorf(app.ECONFLICT, "delta %d→%d does not apply to list version %d", d.Base, d.Version, x.version)
	}
	if d.Version <= d.Base {
		return nil, app.Errorf(app.EINVALID, "delta version %d must be above its base %d", d.Base, d.Version)
	}
	ov := &List{Version: d.Version, Published: d.Published}
	if x.over != nil {
		ov = x.over.List()
		ov.Version, ov.Published = d.Version, d.Published
	}
	n := x.np() + x.nd()
	gone := make([]uint64, (n+63)/64)
	copy(gone, x.gone)
	type where struct {
		kind Kind
		i    int
	}
	at := map[string]where{}
	for i, p := range ov.Persons {
		at[p.ID] = where{KindPerson, i}
	}
	for i, doc := range ov.Documents {
		at[doc.ID] = where{KindDocument, i}
	}
	dropped := map[where]bool{}
	for k, op := range d.Ops {
		if err := opEntryID(k, op); err != nil {
			return nil, err
		}
		w, inOver := at[op.ID]
		e, inBase := x.lookup(op.ID)
		inBase = inBase && gone[e/64]&(1<<(e%64)) == 0
		kind := w.kind
		if inBase {
			kind = KindPerson
			if e >= x.np() {
				kind = KindDocument
			}
		}
		switch op.Action {
		case Add:
			if inOver || inBase {
				return nil, app.Errorf(app.ECONFLICT, "op %d: add %s: id already listed", k+1, op.ID)
			}
		case Change, Remove:
			if !inOver && !inBase {
				return nil, app.Errorf(app.ECONFLICT, "op %d: %s %s: id not listed", k+1, op.Action, op.ID)
			}
			if op.Action == Change && (op.Person != nil) != (kind == KindPerson) {
				return nil, app.Errorf(app.EINVALID, "op %d: change %s: an entry cannot change its kind (remove and add it)", k+1, op.ID)
			}
			if inOver {
				dropped[w] = true
				delete(at, op.ID)
			} else {
				gone[e/64] |= 1 << (e % 64)
			}
		default:
			return nil, app.Errorf(app.EINVALID, "op %d: unknown action %q", k+1, op.Action)
		}
		if op.Action == Remove {
			continue
		}
		switch {
		case op.Person != nil:
			at[op.ID] = where{KindPerson, len(ov.Persons)}
			ov.Persons = append(ov.Persons, *op.Person)
		case op.Document != nil:
			at[op.ID] = where{KindDocument, len(ov.Documents)}
			ov.Documents = append(ov.Documents, *op.Document)
		default:
			return nil, app.Errorf(app.EINVALID, "op %d: %s %s without an entry", k+1, op.Action, op.ID)
		}
	}
	kept := &List{Version: d.Version, Published: d.Published}
	for i, p := range ov.Persons {
		if !dropped[where{KindPerson, i}] {
			kept.Persons = append(kept.Persons, p)
		}
	}
	for i, doc := range ov.Documents {
		if !dropped[where{KindDocument, i}] {
			kept.Documents = append(kept.Documents, doc)
		}
	}
	nx := *x
	nx.version, nx.published = d.Version, d.Published
	nx.gone, nx.goneP, nx.goneD = gone, 0, 0
	for e := range n {
		if nx.isGone(e) {
			if e < x.np() {
				nx.goneP++
			} else {
				nx.goneD++
			}
		}
	}
	if len(kept.Persons)+len(kept.Documents)+nx.goneP+nx.goneD > compactAt(n) {
		nx.over = nil
		merged := nx.List()
		merged.Persons = append(merged.Persons, kept.Persons...)
		merged.Documents = append(merged.Documents, kept.Documents...)
		return Build(merged)
	}
	nx.over = nil
	if len(kept.Persons)+len(kept.Documents) > 0 {
		over, err := Build(kept)
		if err != nil {
			return nil, err
		}
		nx.over = over
	}
	return &nx, nil
}

func (x *Index) String() string {
	return fmt.Sprintf("watchlist v%d: %d persons, %d documents (%d changed since built)", x.version, x.Persons(), x.Documents(),
		x.goneP+x.goneD+x.over.Persons()+x.over.Documents())
}
