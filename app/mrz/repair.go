package mrz

import (
	"slices"
	"strings"
)

// The repair search (policy 12). OCR misreads a few characters for others of the
// other type: O/0, I/1, B/8, S/5, Z/2, G/6, and the filler '<' as K, S, E or C.
// A field's type proves some repairs on its own (a digit in a name, a letter in a
// date); inside fields that hold both letters and digits (document numbers,
// optional data) only check digits can decide. The search therefore
//
//  1. applies every repair the field type forces;
//  2. for each field with its own check digit that still fails, tries the
//     confusable characters' alternatives and keeps the readings that pass; a
//     field whose check digit passes as read stays as read;
//  3. combines the survivors, keeping the documents that parse valid; where
//     the composite still fails, it may vouch for one change among the
//     characters only it covers (several changes could always make it up).
//
// Alternatives that no check digit can see (G and 6, K and '<': their values
// differ by a multiple of 10) are never tried. A suggestion is made only when
// exactly one document survives: two readings that both pass are not proof.
// Every step is capped, so garbage costs at most a few thousand parses.
// TestRepairQuality measures the result on random documents.

const (
	maxGroupTries = 1 << 10 // combinations tried inside one field
	maxSurvivors  = 1 << 8  // combinations of surviving fields tried together
	maxParses     = 1 << 11 // parses per repair search, whatever happens (a few ms)
)

// kind is what a position may hold, which decides its repair candidates.
type kind uint8

const (
	kNone           kind = iota // nothing provable (visa optional data)
	kAlpha                      // letters and '<': a confusable digit is forced to its letter
	kDigits                     // digits only: a confusable letter is forced to its digit
	kDigitsOrFiller             // digits or '<' (birth date, check digits)
	kAlnum                      // letters, digits, '<': check digits decide
	kSex                        // M, F or '<'
)

var letterFor = map[byte]byte{'0': 'O', '1': 'I', '8': 'B', '5': 'S', '2': 'Z', '6': 'G'}
var digitFor = map[byte]byte{'O': '0', 'I': '1', 'B': '8', 'S': '5', 'Z': '2', 'G': '6'}

func isFillerMisread(c byte) bool { return c == 'K' || c == 'S' || c == 'E' || c == 'C' }

// candidates lists what c, at a position of kind k, may really be; the first
// entry is c itself unless the type rules c out.
func candidates(k kind, c byte) []byte {
	switch k {
	case kAlpha:
		if l, ok := letterFor[c]; ok {
			return []byte{l}
		}
	case kDigits:
		if d, ok := digitFor[c]; ok {
			return []byte{d}
		}
	case kDigitsOrFiller:
		d, ok := digitFor[c]
		switch {
		case ok && isFillerMisread(c):
			return []byte{d, '<'}
		case ok:
			return []byte{d}
		case isFillerMisread(c):
			return []byte{'<'}
		}
	case kAlnum:
		// An alternative whose value differs from c's by a multiple of 10 (G/6,
		// K/<) leaves every check digit unchanged: nothing could ever prove it, so
		// the character stays as read rather than making the reading ambiguous.
		out := []byte{c}
		for _, alt := range [3]byte{digitFor[c], letterFor[c], '<'} {
			if alt == 0 || alt == '<' && !isFillerMisread(c) {
				continue
			}
			if (int(charValue[alt])-int(charValue[c]))%10 != 0 {
				out = append(out, alt)
			}
		}
		return out
	case kSex:
		if isFillerMisread(c) {
			return []byte{'<'}
		}
	}
	return []byte{c}
}

// group is a set of positions that one check (or the composite) decides.
type group struct {
	pos   []span // single positions
	codes []string
}

type pos struct{ line, col int }

// kinds maps every position of a layout to its kind.
func (l *layout) kinds() [3][44]kind {
	var k [3][44]kind
	mark := func(s span, v kind) {
		if s.ok() {
			for i := s.start; i < s.end; i++ {
				k[s.line][i] = v
			}
		}
	}
	mark(l.code, kAlpha)
	mark(l.state, kAlpha)
	mark(l.nat, kAlpha)
	mark(l.name, kAlpha)
	mark(l.given, kAlpha)
	mark(l.docNum, kAlnum)
	mark(l.docCheck, kDigitsOrFiller)
	mark(l.birth, kDigitsOrFiller)
	mark(l.birthCheck, kDigitsOrFiller)
	mark(l.sex, kSex)
	mark(l.expiry, kDigits)
	mark(l.expiryCheck, kDigitsOrFiller)
	if l.optCheck.ok() || l.composite.ok() {
		mark(l.opt1, kAlnum)
		mark(l.opt2, kAlnum)
	} else {
		// Visas: optional data under no check digit; nothing could prove a repair.
		mark(l.opt1, kNone)
	}
	mark(l.optCheck, kDigitsOrFiller)
	mark(l.composite, kDigitsOrFiller)
	return k
}

// search holds one repair search.
type search struct {
	lay    *layout
	today  day
	kind   [3][44]kind
	parses int
}

func (s *search) parse(b [][]byte) (Result, bool) {
	if s.parses >= maxParses {
		return Result{}, false
	}
	s.parses++
	lines := make([]string, len(b))
	for i := range b {
		lines[i] = string(b[i])
	}
	// Candidates are read with the layout being searched: a repaired document
	// code must not switch the rules (TD2 vs the French card) under the search.
	return parseAs(s.lay, lines, s.today), true
}

// fails reports whether r has an error with one of codes.
func fails(r Result, codes []string) bool {
	for _, p := range r.Errors {
		for _, c := range codes {
			if p.Code == c {
				return true
			}
		}
	}
	return false
}

// repairs returns the single reading of lines that OCR confusions explain and
// check digits prove, or nothing.
func repairs(lay *layout, lines []string, today day) []Suggestion {
	// A misread document code can hide the French card's layout ("1DFRA"): its
	// forced repair decides which layout's field types to search with.
	if lay.lines == 2 && lay.width == 36 && lay != layoutFRA && len(lines[0]) >= 5 {
		head := []byte(lines[0][:5])
		for i, c := range head {
			if cs := candidates(kAlpha, c); len(cs) == 1 {
				head[i] = cs[0]
			}
		}
		if string(head) == "IDFRA" {
			if s := repairsAs(layoutFRA, lines, today); s != nil {
				return s
			}
		}
	}
	return repairsAs(lay, lines, today)
}

// repairsAs is the search with the field types of one layout.
func repairsAs(lay *layout, lines []string, today day) []Suggestion {
	s := &search{lay: lay, today: today, kind: lay.kinds()}
	b := make([][]byte, len(lines))
	for i, l := range lines {
		b[i] = []byte(l)
	}
	// 1. Repairs the field types force.
	for i := range b {
		for j, c := range b[i] {
			if cs := candidates(s.kind[i][j], c); len(cs) == 1 {
				b[i][j] = cs[0]
			}
		}
	}
	r, ok := s.parse(b)
	if !ok {
		return nil
	}
	if !r.Valid {
		// 2. Each checked field that still fails: keep the readings that pass.
		var groups []group
		var free []pos // positions only the composite covers
		covered := map[pos]bool{}
		add := func(codes []string, spans ...span) {
			g := group{codes: codes}
			for _, sp := range spans {
				if !sp.ok() {
					continue
				}
				for c := sp.start; c < sp.end; c++ {
					g.pos = append(g.pos, at(sp.line, c))
					covered[pos{sp.line, c}] = true
				}
			}
			if len(g.pos) > 0 {
				groups = append(groups, g)
			}
		}
		docSpans := []span{lay.docNum, lay.docCheck}
		if lay.longNumber && (b[lay.docCheck.line][lay.docCheck.start] == '<' || isFillerMisread(b[lay.docCheck.line][lay.docCheck.start])) {
			docSpans = append(docSpans, lay.opt1)
		}
		add([]string{CodeDocumentNumber, CodeDocumentNumberCheck}, docSpans...)
		add([]string{CodeBirthDate, CodeBirthDateCheck}, lay.birth, lay.birthCheck)
		if lay.expiry.ok() {
			add([]string{CodeExpiryDate, CodeExpiryDateCheck}, lay.expiry, lay.expiryCheck)
		}
		if lay.optCheck.ok() {
			add([]string{CodeOptionalDataCheck}, lay.opt1, lay.optCheck)
		}
		if lay.composite.ok() {
			for _, p := range append(append([]span{}, lay.parts...), lay.composite) {
				for c := p.start; c < p.end; c++ {
					if !covered[pos{p.line, c}] {
						covered[pos{p.line, c}] = true
						free = append(free, pos{p.line, c})
					}
				}
			}
		}

		// choices[g] are the surviving assignments of group g's ambiguous positions.
		type choice struct {
			at  []pos
			val [][]byte
		}
		var choices []choice
		product := 1
		for _, g := range groups {
			var amb []pos
			var alts [][]byte
			for _, p := range g.pos {
				if cs := candidates(s.kind[p.line][p.start], b[p.line][p.start]); len(cs) > 1 {
					amb = append(amb, pos{p.line, p.start})
					alts = append(alts, cs)
				}
			}
			if !fails(r, g.codes) || len(amb) == 0 {
				continue // passes as read (a check digit confirms it), or nothing to try
			}
			vals, ok := s.enumerate(b, amb, alts, func(r Result) bool { return !fails(r, g.codes) })
			if !ok || len(vals) == 0 {
				return nil
			}
			choices = append(choices, choice{amb, vals})
			if product *= len(vals); product > maxSurvivors {
				return nil
			}
		}

		// 3. Combine the survivors with what only the composite decides.
		var famb []pos
		var falts [][]byte
		for _, p := range free {
			if cs := candidates(s.kind[p.line][p.col], b[p.line][p.col]); len(cs) > 1 {
				famb = append(famb, p)
				falts = append(falts, cs)
			}
		}
		if product*(len(famb)+1) > maxSurvivors*maxSurvivors/16 {
			famb, falts = nil, nil // too many to prove anything; keep them as read
		}
		var found [][]string
		freeAsRead := make([]byte, len(famb))
		for k, p := range famb {
			freeAsRead[k] = b[p.line][p.col]
		}
		idx := make([]int, len(choices))
		for {
			for k, p := range famb {
				b[p.line][p.col] = freeAsRead[k]
			}
			for i, ch := range choices {
				for k, p := range ch.at {
					b[p.line][p.col] = ch.val[idx[i]][k]
				}
			}
			r, ok := s.parse(b)
			if !ok {
				return nil
			}
			var vals [][]byte
			switch {
			case r.Valid:
				// The composite confirms the free characters as read.
				found = appendUnique(found, b)
			case len(famb) > 0 && fails(r, []string{CodeCompositeCheck}):
				// The composite alone is a weak proof: several changes can always
				// make it up, so it may vouch for one change only.
				if vals, ok = s.enumerateOne(b, famb, falts); !ok {
					return nil
				}
			}
			for _, v := range vals {
				for k, p := range famb {
					b[p.line][p.col] = v[k]
				}
				found = appendUnique(found, b)
			}
			if len(found) > 1 {
				return nil // two readings pass: not proof
			}
			// next combination
			i := 0
			for ; i < len(choices); i++ {
				if idx[i]++; idx[i] < len(choices[i].val) {
					break
				}
				idx[i] = 0
			}
			if i == len(choices) {
				break
			}
		}
		if len(found) != 1 {
			return nil
		}
		return s.suggestion(lines, found[0])
	}
	out := make([]string, len(b))
	for i := range b {
		out[i] = string(b[i])
	}
	return s.suggestion(lines, out)
}

// enumerateOne tries each single change of one position in amb to one of its
// alternatives, returning the full assignments that parse valid; b is left as
// it was. ok is false when the parse cap was hit.
func (s *search) enumerateOne(b [][]byte, amb []pos, alts [][]byte) (vals [][]byte, ok bool) {
	orig := make([]byte, len(amb))
	for k, p := range amb {
		orig[k] = b[p.line][p.col]
	}
	for k, p := range amb {
		for _, alt := range alts[k] {
			if alt == orig[k] {
				continue
			}
			b[p.line][p.col] = alt
			r, ok := s.parse(b)
			b[p.line][p.col] = orig[k]
			if !ok {
				return nil, false
			}
			if r.Valid {
				v := slices.Clone(orig)
				v[k] = alt
				vals = append(vals, v)
			}
		}
	}
	return vals, true
}

func combinations(alts [][]byte) int {
	n := 1
	for _, a := range alts {
		if n *= len(a); n > maxGroupTries {
			return n
		}
	}
	return n
}

// enumerate tries every assignment of alts to amb in b and returns the ones pass
// accepts; b is left as it was. ok is false when the caps were hit.
func (s *search) enumerate(b [][]byte, amb []pos, alts [][]byte, pass func(Result) bool) (vals [][]byte, ok bool) {
	if combinations(alts) > maxGroupTries {
		return nil, false
	}
	orig := make([]byte, len(amb))
	for k, p := range amb {
		orig[k] = b[p.line][p.col]
	}
	defer func() {
		for k, p := range amb {
			b[p.line][p.col] = orig[k]
		}
	}()
	idx := make([]int, len(amb))
	for {
		v := make([]byte, len(amb))
		for k, p := range amb {
			v[k] = alts[k][idx[k]]
			b[p.line][p.col] = v[k]
		}
		r, ok := s.parse(b)
		if !ok {
			return nil, false
		}
		if pass(r) {
			vals = append(vals, v)
		}
		k := 0
		for ; k < len(amb); k++ {
			if idx[k]++; idx[k] < len(alts[k]) {
				break
			}
			idx[k] = 0
		}
		if k == len(amb) {
			return vals, true
		}
	}
}

// suggestion offers fixed if Parse, detecting the layout itself, finds it valid.
func (s *search) suggestion(lines, fixed []string) []Suggestion {
	if !parse(fixed, s.today, false).Valid {
		return nil
	}
	return suggestion(lines, fixed)
}

func appendUnique(found [][]string, b [][]byte) [][]string {
next:
	for _, f := range found {
		for i := range f {
			if f[i] != string(b[i]) {
				continue next
			}
		}
		return found
	}
	lines := make([]string, len(b))
	for i := range b {
		lines[i] = string(b[i])
	}
	return append(found, lines)
}

// suggestion lists what changed from lines to fixed; nil when nothing did or
// fixed does not parse valid.
func suggestion(lines, fixed []string) []Suggestion {
	var changes []Change
	for i := range lines {
		a, b := lines[i], fixed[i]
		for j := 0; j < len(a) && j < len(b); j++ {
			if a[j] != b[j] {
				changes = append(changes, Change{Line: i + 1, Column: j + 1, From: a[j : j+1], To: b[j : j+1]})
			}
		}
	}
	if len(changes) == 0 {
		return nil
	}
	return []Suggestion{{Lines: fixed, Changes: changes}}
}

// maxCountrySuggestions bounds the readings offered for unknown country codes;
// the warnings list every candidate.
const maxCountrySuggestions = 4

// countrySuggestions offers, for each unknown_country warning of a valid
// reading, the reading with each listed code one misread letter away. No check
// digit covers a country code, so none of them is proven: they are questions
// for the officer, who compares them with the printed page.
func countrySuggestions(lines []string, ws []Warning) []Suggestion {
	var out []Suggestion
	for _, w := range ws {
		if w.Code != WarnUnknownCountry || w.About == nil {
			continue
		}
		for _, code := range w.Near {
			if len(out) == maxCountrySuggestions {
				return out
			}
			fixed := slices.Clone(lines)
			l := []byte(fixed[w.Line-1])
			field := l[w.Start-1 : w.End-1]
			for i := range field {
				field[i] = '<'
			}
			copy(field, code)
			fixed[w.Line-1] = string(l)
			out = append(out, suggestion(lines, fixed)...)
		}
	}
	return out
}

// upperSuggestion offers the upper-cased reading of lowercase input (policy 2),
// itself repaired when it needs OCR repairs too. Nothing is offered unless the
// result parses valid.
func upperSuggestion(lines []string, today day) []Suggestion {
	upper := make([]string, len(lines))
	for i, l := range lines {
		upper[i] = strings.ToUpper(l)
	}
	r := parse(upper, today, true)
	switch {
	case r.Valid:
		return suggestion(lines, upper)
	case len(r.Suggestions) == 1:
		return suggestion(lines, r.Suggestions[0].Lines)
	}
	return nil
}
