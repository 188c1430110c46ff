// Package ocr reads the machine readable zone from a picture of a travel document:
// it finds the MRZ band (any lighting, ±10°, upside down, 150–600 dpi), cuts it out
// straight at a fixed pitch, reads every character cell twice — with an OCR-B glyph
// classifier built from our own renders of the font, and with Tesseract (gosseract,
// Debian's eng model, the MRZ whitelist, one thread) — combines the two under the
// layout's per-position field types, and repairs the reading only where app/mrz's
// check digits prove it.
//
// It owns pictures and pixels; what an MRZ means is app/mrz's. A Reader is not safe
// for concurrent use (a Tesseract client is not): use one per worker.
package ocr

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

// Position is one character of the MRZ, 0-based.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Reading is what the reader made of one picture.
type Reading struct {
	Found  bool   // an MRZ band was seen and cut out
	Reason string // why not, when !Found
	Lines  []string
	MRZ    mrz.Result
	// Uncertain lists characters that no check digit covers (names, states, sex)
	// and that were read with a thin margin: a reading with any is not to be
	// trusted without a look, even when MRZ.Valid.
	Uncertain  []Position
	Band       Band
	UpsideDown bool
	Tesseract  []string // Tesseract's own lines, for diagnosis
	Repaired   []Position
}

// Trusted reports whether the reading can be taken without a look: found, valid
// by every check digit, and no character left uncertain.
func (rd Reading) Trusted() bool { return rd.Found && rd.MRZ.Valid && len(rd.Uncertain) == 0 }

// Options tune a Reader.
type Options struct {
	// TesseractAlways runs Tesseract on every band. By default it runs only when the
	// glyph classifier's reading does not validate on its own or has uncertain
	// characters: the second opinion where it matters, at a third of the time.
	TesseractAlways bool
	// NoTesseract reads with the glyph classifier alone (benchmarks, diagnosis).
	NoTesseract bool
}

// Reader reads MRZs from pictures. Create with NewReader; Close when done.
type Reader struct {
	opt  Options
	tess tessClient // nil: glyph classifier only
}

// tessClient is one Tesseract instance (tess_cgo.go); without cgo there is none.
type tessClient interface {
	read(pgm []byte) (string, error)
	Close() error
}

// ErrTesseract wraps failures to start Tesseract (library or eng data missing, or
// a build without cgo).
var ErrTesseract = errors.New("tesseract unavailable")

// NewReader starts a Tesseract client (eng, MRZ whitelist, single-block layout,
// one thread) and renders the glyph templates. It returns an error wrapping
// ErrTesseract when Tesseract cannot start; NewReader(Options{NoTesseract: true})
// then still gives a glyph-only reader.
func NewReader(opt Options) (*Reader, error) {
	if _, err := templates(); err != nil {
		return nil, err
	}
	r := &Reader{opt: opt}
	if opt.NoTesseract {
		return r, nil
	}
	c, err := newTess()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTesseract, err)
	}
	r.tess = c
	return r, nil
}

// Close stops the Tesseract client.
func (r *Reader) Close() error {
	if r.tess != nil {
		return r.tess.Close()
	}
	return nil
}

// Read finds and reads the MRZ in img — a page, a photo, or a picture that is only
// the MRZ band (a band reader's image, a crop) — today decides dates as in
// mrz.Parse. An error is returned only when Tesseract itself fails; a picture
// without an MRZ is a Reading with Found false and a Reason.
func (r *Reader) Read(img image.Image, today time.Time) (Reading, error) {
	g := Gray(img)
	b, ok := Locate(g)
	if !ok {
		return Reading{Reason: "no MRZ band found"}, nil
	}
	return r.readBand(g, b, today)
}

// scan is the picture half of a read: cut the band out (both ways round when the
// glyphs fit badly) and score every cell.
type scan struct {
	p          *prepared
	sc         [][]cellScores
	pat        *layoutPattern
	upsideDown bool
}

func (r *Reader) scan(g *image.Gray, b Band) (scan, error) {
	p, err := prepare(g, b, false)
	var sc [][]cellScores
	if err == nil {
		if sc, err = classify(p, 0); err != nil {
			return scan{}, err
		}
	}
	upside := false
	// Upside down? Keep the orientation whose glyphs fit better.
	if err != nil || meanBest(sc) < 0.8 {
		if p2, err2 := prepare(g, b, true); err2 == nil {
			sc2, err3 := classify(p2, 0)
			if err3 != nil {
				return scan{}, err3
			}
			if err != nil || meanBest(sc2) > meanBest(sc) {
				p, sc, err, upside = p2, sc2, nil, true
			}
		}
	}
	if err != nil {
		return scan{}, err
	}
	return scan{p: p, sc: sc, pat: patternFor(len(p.lines), p.n, bestChar(sc[0][0], 'L')), upsideDown: upside}, nil
}

func (r *Reader) readBand(g *image.Gray, b Band, today time.Time) (Reading, error) {
	rd := Reading{Band: b}
	s, err := r.scan(g, b)
	if err != nil {
		if errors.Is(err, errNoText) {
			rd.Reason = "an MRZ-like band was found but its characters could not be lined up: " + err.Error()
			return rd, nil
		}
		return rd, err
	}
	rd.Found, rd.UpsideDown = true, s.upsideDown
	rd.Lines, rd.MRZ, rd.Uncertain, rd.Repaired = settle(s.sc, s.pat, nil, today)
	if r.tess != nil && (r.opt.TesseractAlways || !rd.MRZ.Valid || len(rd.Uncertain) > 0) {
		tl, err := r.tesseract(s.p)
		if err != nil {
			return rd, err
		}
		rd.Tesseract = tl
		rd.Lines, rd.MRZ, rd.Uncertain, rd.Repaired = settle(vote(s.sc, tl), s.pat, tl, today)
	}
	return rd, nil
}

// settle decodes scores under the layout, repairs what the check digits prove and
// flags what nothing protects.
func settle(sc [][]cellScores, pat *layoutPattern, tl []string, today time.Time) ([]string, mrz.Result, []Position, []Position) {
	lines := decode(sc, pat)
	res := mrz.Parse(lines, today)
	var changed []Position
	if !res.Valid {
		if fixed, ch, ok := repair(sc, pat, lines, today); ok {
			lines, changed = fixed, ch
			res = mrz.Parse(lines, today)
		}
	}
	return lines, res, uncertain(sc, pat, lines, tl), changed
}

// vote adds Tesseract's reading to a copy of the glyph scores: tessBonus for the
// character it read in each cell of every line whose length matches the band's.
func vote(sc [][]cellScores, tl []string) [][]cellScores {
	out := make([][]cellScores, len(sc))
	for li := range sc {
		out[li] = append([]cellScores(nil), sc[li]...)
		if li >= len(tl) || len(tl[li]) != len(sc[li]) {
			continue
		}
		for j := range out[li] {
			k := strings.IndexByte(Charset, tl[li][j])
			if k < 0 {
				continue
			}
			// Where no glyph fits well (the cell grid lost its place, a smudge),
			// the glyph scores say little and Tesseract's reading counts for more.
			bonus := tessBonus
			if best := slices.Max(out[li][j][:]); best < poorFit {
				bonus = tessBonusPoorFit
			}
			out[li][j][k] += bonus
		}
	}
	return out
}

func meanBest(sc [][]cellScores) float64 {
	sum, n := 0.0, 0
	for _, l := range sc {
		for _, c := range l {
			best := -1.0
			for _, v := range c {
				best = math.Max(best, v)
			}
			sum += best
			n++
		}
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

func bestChar(c cellScores, cl byte) byte {
	bi := -1
	for k := range c {
		if allowed(cl, Charset[k]) && (bi < 0 || c[k] > c[bi]) {
			bi = k
		}
	}
	return Charset[bi]
}

// tessBonus is what Tesseract's agreement adds to a glyph score (NCC scale, −1…1):
// enough to settle a near tie, too little to overrule a clear glyph match.
const tessBonus = 0.08

// poorFit is a best glyph score below which a cell is taken as badly seen, and
// tessBonusPoorFit Tesseract's weight there.
const (
	poorFit          = 0.6
	tessBonusPoorFit = 0.3
)

// decode picks the best allowed character for every cell.
func decode(sc [][]cellScores, pat *layoutPattern) []string {
	lines := make([]string, len(sc))
	for li, l := range sc {
		b := make([]byte, len(l))
		cls := pat.lines[min(li, len(pat.lines)-1)]
		for j := range l {
			best, bk := -9.0, 0
			for k := range Charset {
				if j < len(cls) && !allowed(cls[j], Charset[k]) {
					continue
				}
				if s := sc[li][j][k]; s > best {
					best, bk = s, k
				}
			}
			b[j] = Charset[bk]
		}
		lines[li] = string(b)
	}
	return lines
}

// uncertainMargin: below it, a character is flagged when the runner-up is one the
// check digits could not tell from it (Tesseract's agreement, folded into the
// scores, widens the margin).
const uncertainMargin = 0.10

// checkValue is a character's value in ICAO check digits, mod 10: letters ten apart
// (F/P/Z, I/S, O/E/Y, …) and '<'/'0' weigh the same, so a check digit cannot catch
// a confusion between them.
func checkValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A'+10) % 10
	}
	return 0
}

// uncertain lists the characters of lines that nothing but the pixels vouches for:
// where no check digit covers the position, any runner-up within uncertainMargin;
// where one does, a runner-up the check digit cannot tell apart (same checkValue).
// Where Tesseract (a line of the right length) read something else that the checks
// could not tell apart either, the character is uncertain whatever the margin.
func uncertain(sc [][]cellScores, pat *layoutPattern, lines []string, tl []string) []Position {
	var out []Position
	for li, l := range sc {
		cls := pat.lines[min(li, len(pat.lines)-1)]
		for j := range l {
			c := lines[li][j]
			covered := pat.covers(li, j)
			blind := func(a byte) bool { return !covered || checkValue(a) == checkValue(c) }
			cur := l[j][strings.IndexByte(Charset, c)]
			flag := false
			for k := range Charset {
				a := Charset[k]
				if a == c || (j < len(cls) && !allowed(cls[j], a)) || !blind(a) {
					continue
				}
				if cur-l[j][k] < uncertainMargin {
					flag = true
					break
				}
			}
			if !flag && li < len(tl) && len(tl[li]) == len(l) {
				if t := tl[li][j]; t != c && (j >= len(cls) || allowed(cls[j], t)) && blind(t) {
					flag = true
				}
			}
			if flag {
				out = append(out, Position{li, j})
			}
		}
	}
	return out
}

// repair looks for the reading that passes every check by replacing at most two of
// the least certain covered characters with their runner-up glyph. Only close
// runner-ups are tried and only a unique cheapest valid reading is taken, so a
// repair is what the pixels and the check digits agree on — never a guess.
func repair(sc [][]cellScores, pat *layoutPattern, lines []string, today time.Time) ([]string, []Position, bool) {
	type alt struct {
		pos  Position
		c    byte
		loss float64
	}
	var alts []alt
	for li, l := range sc {
		cls := pat.lines[min(li, len(pat.lines)-1)]
		for j := range l {
			if !pat.covers(li, j) {
				continue
			}
			cur := strings.IndexByte(Charset, lines[li][j])
			best := sc[li][j][cur]
			for k := range Charset {
				if k == cur || (j < len(cls) && !allowed(cls[j], Charset[k])) {
					continue
				}
				if loss := best - sc[li][j][k]; loss < maxRepairLoss {
					alts = append(alts, alt{Position{li, j}, Charset[k], loss})
				}
			}
		}
	}
	sort.Slice(alts, func(a, b int) bool { return alts[a].loss < alts[b].loss })
	if len(alts) > 12 {
		alts = alts[:12]
	}
	type cand struct {
		changes []alt
		loss    float64
	}
	var cands []cand
	for a := range alts {
		cands = append(cands, cand{[]alt{alts[a]}, alts[a].loss})
		for b := a + 1; b < len(alts); b++ {
			if alts[a].pos != alts[b].pos {
				cands = append(cands, cand{[]alt{alts[a], alts[b]}, alts[a].loss + alts[b].loss})
			}
		}
	}
	sort.Slice(cands, func(a, b int) bool { return cands[a].loss < cands[b].loss })
	var found []cand
	for _, c := range cands {
		if c.loss > maxRepairLoss {
			break
		}
		try := make([][]byte, len(lines))
		for i := range lines {
			try[i] = []byte(lines[i])
		}
		for _, ch := range c.changes {
			try[ch.pos.Line][ch.pos.Column] = ch.c
		}
		ls := make([]string, len(try))
		for i := range try {
			ls[i] = string(try[i])
		}
		if mrz.Parse(ls, today).Valid {
			found = append(found, c)
			if len(found) == 2 {
				break
			}
		}
	}
	// Two valid repairs of about the same cost: the pixels cannot tell; refuse.
	if len(found) == 0 || (len(found) == 2 && found[1].loss-found[0].loss < 0.05) {
		return nil, nil, false
	}
	out := make([][]byte, len(lines))
	for i := range lines {
		out[i] = []byte(lines[i])
	}
	var pos []Position
	for _, ch := range found[0].changes {
		out[ch.pos.Line][ch.pos.Column] = ch.c
		pos = append(pos, ch.pos)
	}
	ls := make([]string, len(out))
	for i := range out {
		ls[i] = string(out[i])
	}
	return ls, pos, true
}

// maxRepairLoss bounds how much worse (NCC) a replacement glyph may fit than the
// one it replaces.
const maxRepairLoss = 0.25

// tesseract reads the prepared band. Its lines are kept only when they have the
// band's exact length; others still show in Reading.Tesseract.
func (r *Reader) tesseract(p *prepared) ([]string, error) {
	txt, err := r.tess.read(pgm(p.gray))
	if err != nil {
		return nil, fmt.Errorf("ocr: tesseract: %w", err)
	}
	var out []string
	for _, l := range strings.Split(txt, "\n") {
		l = strings.ReplaceAll(strings.TrimSpace(l), " ", "")
		if l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}
