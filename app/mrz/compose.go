package mrz

import (
	"errors"
	"fmt"
	"strings"
)

// ErrCompose is wrapped by every error Compose returns: the fields cannot make a
// valid MRZ of the format asked for.
var ErrCompose = errors.New("mrz: cannot compose")

// Compose writes a valid MRZ of format from f, computing every check digit, for
// training scenarios and tests. Parse(Compose(format, f)) gives f back, with the
// ISO dates filled in, as long as the dates fit the century rules of the day
// Parse is given. Names are upper-cased, hyphens and commas become spaces,
// apostrophes are dropped; other values must already be MRZ characters. Compose
// takes the raw dates (BirthDate, ExpiryDate as YYMMDD) or, when those are empty,
// the ISO dates; an empty birth date is written as unknown ("<<<<<<"). Empty
// DocumentCode defaults to P, V, I or ID by format; empty Sex is '<'. A TD1/TD2
// document number longer than 9 is written the long way (policy 4), its check
// digit over the number without '<'. The French card takes IssuingState and
// Nationality FRA or empty; it has no expiry date (ExpiryDate is ignored).
//
// Errors wrap ErrCompose: unknown format, a value with characters the MRZ cannot
// hold, or a value too long for its field.
func Compose(format Format, f Fields) ([]string, error) {
	lay := layoutOf(format)
	if lay == nil {
		return nil, fmt.Errorf("%w: unknown format %q", ErrCompose, format)
	}
	w := composer{lay: lay}
	for i := 0; i < lay.lines; i++ {
		w.lines[i] = []byte(strings.Repeat("<", lay.width))
	}

	code := f.DocumentCode
	if code == "" {
		code = map[Format]string{TD1: "I", TD2: "I", TD3: "P", MRVA: "V", MRVB: "V", FrenchID: "ID"}[format]
	}
	w.put(lay.code, "document code", code, isCodeChar)
	if w.err == nil && (strings.IndexByte(lay.codeFirst, code[0]) < 0 || lay == layoutFRA && code != "ID" ||
		(lay == layoutTD1 || lay == layoutTD2) && len(code) > 1 && code[1] == 'V') {
		w.err = fmt.Errorf("%w: document code %q is not one of %s", ErrCompose, code, lay.describe())
	}
	state := f.IssuingState
	if lay == layoutFRA {
		if state != "" && state != "FRA" || f.Nationality != "" && f.Nationality != "FRA" {
			return nil, fmt.Errorf("%w: a French identity card is issued by FRA to FRA nationals", ErrCompose)
		}
		state = "FRA"
	} else {
		w.country(lay.nat, "nationality", f.Nationality)
	}
	w.country(lay.state, "issuing state", state)
	w.names(f.Surname, f.GivenNames)

	num := f.DocumentNumber
	if num == "" {
		return nil, fmt.Errorf("%w: the document number is empty", ErrCompose)
	}
	long := lay.longNumber && len(num) > lay.docNum.end-lay.docNum.start
	opt := f.OptionalData
	if long {
		n := lay.docNum.end - lay.docNum.start
		w.put(lay.docNum, "document number", num[:n], isAlnum)
		rest := num[n:]
		digit := byte('0' + (weigh(num[:n], 0)+weigh(rest, n))%10)
		cont := rest + string(digit)
		if opt != "" {
			cont += "<" + opt
		}
		w.put(lay.opt1, "document number and optional data", cont, isMRZ)
		if w.err == nil && !validChars(rest, isAlnum) {
			w.err = fmt.Errorf("%w: document number %q holds characters other than A–Z and 0–9", ErrCompose, num)
		}
	} else {
		w.put(lay.docNum, "document number", num, isAlnum)
		w.check(lay.docCheck, lay.docNum)
		w.put(lay.opt1, "optional data", opt, isMRZ)
	}
	if lay.optCheck.ok() {
		if opt == "" {
			w.set(lay.optCheck, '<')
		} else {
			w.check(lay.optCheck, lay.opt1)
		}
	}
	if lay.opt2.ok() {
		w.put(lay.opt2, "optional data 2", f.OptionalData2, isMRZ)
	} else if f.OptionalData2 != "" {
		return nil, fmt.Errorf("%w: %s has no second optional data field", ErrCompose, format)
	}

	w.date(lay.birth, "date of birth", f.BirthDate, f.BirthDateISO, true)
	w.check(lay.birthCheck, lay.birth)
	if lay.expiry.ok() {
		w.date(lay.expiry, "expiry date", f.ExpiryDate, f.ExpiryDateISO, false)
		w.check(lay.expiryCheck, lay.expiry)
	}
	switch f.Sex {
	case "", "<":
		w.set(lay.sex, '<')
	case "M", "F":
		w.set(lay.sex, f.Sex[0])
	default:
		return nil, fmt.Errorf("%w: sex %q: the MRZ holds M, F or '<' (X only in the printed zone)", ErrCompose, f.Sex)
	}
	if w.err != nil {
		return nil, w.err
	}
	if lay.composite.ok() {
		sum, k := 0, 0
		for _, p := range lay.parts {
			s := string(w.lines[p.line][p.start:p.end])
			sum += weigh(s, k)
			k += len(s)
		}
		w.set(lay.composite, byte('0'+sum%10))
	}
	out := make([]string, lay.lines)
	for i := range out {
		out[i] = string(w.lines[i])
	}
	return out, nil
}

type composer struct {
	lay   *layout
	lines [3][]byte
	err   error
}

func isCodeChar(c byte) bool { return isLetter(c) || c == '<' }
func isAlnum(c byte) bool    { return isLetter(c) || isDigit(c) }

func validChars(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func (w *composer) set(s span, c byte) { w.lines[s.line][s.start] = c }

// put writes v left-aligned into s, filled with '<'.
func (w *composer) put(s span, what, v string, ok func(byte) bool) {
	if w.err != nil {
		return
	}
	if len(v) > s.end-s.start {
		w.err = fmt.Errorf("%w: %s %q is longer than its %d places", ErrCompose, what, v, s.end-s.start)
		return
	}
	if !validChars(v, ok) {
		w.err = fmt.Errorf("%w: %s %q holds characters the MRZ cannot", ErrCompose, what, v)
		return
	}
	copy(w.lines[s.line][s.start:s.end], v)
}

func (w *composer) country(s span, what, v string) {
	if w.err == nil && (v == "" || !validChars(v, isLetter)) {
		w.err = fmt.Errorf("%w: %s %q is not 1 to 3 letters", ErrCompose, what, v)
		return
	}
	w.put(s, what, v, isLetter)
}

func (w *composer) check(digit, of span) {
	w.set(digit, CheckDigit(string(w.lines[of.line][of.start:of.end])))
}

// nameWords upper-cases a name and returns its words; hyphens and commas
// separate words, apostrophes are dropped (Doc 9303 transliteration).
func nameWords(s string) ([]string, error) {
	b := []byte(s)
	j := 0
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c == '-' || c == ',' || c == '<' || isSpace(c):
			c = ' '
		case c == '\'':
			continue
		case !isLetter(c):
			return nil, fmt.Errorf("%w: name %q holds %q: transliterate it to A–Z first", ErrCompose, s, c)
		}
		b[j] = c
		j++
	}
	return strings.Fields(string(b[:j])), nil
}

func (w *composer) names(surname, given string) {
	if w.err != nil {
		return
	}
	sw, err := nameWords(surname)
	if err != nil {
		w.err = err
		return
	}
	gw, err := nameWords(given)
	if err != nil {
		w.err = err
		return
	}
	if len(sw) == 0 && len(gw) == 0 {
		w.err = fmt.Errorf("%w: the name is empty", ErrCompose)
		return
	}
	sur, giv := strings.Join(sw, "<"), strings.Join(gw, "<")
	if w.lay.given.ok() {
		// The French card separates given names with "<<" when they fit.
		if g := strings.Join(gw, "<<"); len(g) <= w.lay.given.end-w.lay.given.start {
			giv = g
		}
		w.put(w.lay.name, "surname", sur, isCodeChar)
		w.put(w.lay.given, "given names", giv, isCodeChar)
		return
	}
	name := sur
	if giv != "" {
		name += "<<" + giv
	}
	w.put(w.lay.name, "name", name, isCodeChar)
}

// date writes YYMMDD from raw or, when raw is empty, from an ISO date.
func (w *composer) date(s span, what, raw, iso string, birth bool) {
	if w.err != nil {
		return
	}
	if raw == "" && iso != "" {
		if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
			w.err = fmt.Errorf("%w: %s %q is not YYYY-MM-DD", ErrCompose, what, iso)
			return
		}
		raw = iso[2:4] + iso[5:7] + iso[8:10]
	}
	if raw == "" && birth {
		raw = "<<<<<<"
	}
	if len(raw) != 6 {
		w.err = fmt.Errorf("%w: %s %q is not YYMMDD", ErrCompose, what, raw)
		return
	}
	// Any "today" will do to check the form; with this one year 00 is 2000, a leap
	// year, so 29 February passes here and Parse decides with the real century.
	if _, _, problem := readDate(raw, birth, day(20251231)); problem != "" {
		w.err = fmt.Errorf("%w: %s %s", ErrCompose, what, problem)
		return
	}
	w.put(s, what, raw, isMRZ)
}
