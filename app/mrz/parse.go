package mrz

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// parse is Parse with the day already computed. repair is false for the
// candidates the repair search checks, so the search never recurses.
func parse(raw []string, today day, repair bool) (r Result) {
	// Trimmed lines live in a stack array: slicing strings allocates nothing.
	var arr [3]string
	var lines []string
	if len(raw) <= len(arr) {
		for i, l := range raw {
			arr[i] = trim(l)
		}
		lines = arr[:len(raw)]
	} else {
		lines = make([]string, len(raw))
		for i, l := range raw {
			lines[i] = trim(l)
		}
	}

	// One pass per line finds the lines made only of MRZ characters, whose
	// length in characters is their length in bytes.
	var widths [3]int
	var clean uint8 // bit i: line i holds only A–Z, 0–9, '<'
	if len(lines) <= 3 {
		for i, l := range lines {
			var bad uint8
			for j := 0; j < len(l); j++ {
				bad |= notMRZ[l[j]]
			}
			if bad == 0 {
				clean |= 1 << i
				widths[i] = len(l)
			} else {
				widths[i] = length(l)
			}
		}
	}
	lay := detect(&r, lines, &widths)
	layoutOK := len(r.Errors) == 0
	lowerOnly := checkCharset(&r, lines, clean)
	if layoutOK {
		// Line count and lengths tell the layout even when characters are wrong.
		r.Format = lay.format
	}
	if len(r.Errors) > 0 {
		// Policy 11: layout and charset errors stop the field checks.
		if repair && layoutOK && lowerOnly {
			r.Suggestions = upperSuggestion(lines, today)
		}
		return r
	}
	var c checker
	c.r, c.lines, c.lay, c.today = &r, lines, lay, today
	c.fields()
	c.d.finish(&r.Fields)
	c.warn()
	if len(r.Errors) == 0 {
		r.Valid = true
		if repair && c.unknown {
			r.Suggestions = countrySuggestions(lines, r.Warnings)
		}
		return r
	}
	if lay == layoutFRA {
		// A TD2 document of France starts with IDFRA too; if it reads valid as TD2,
		// it is one.
		if td2 := parseAs(layoutTD2, lines, today); td2.Valid {
			return td2
		}
	}
	if repair {
		r.Suggestions = repairs(lay, lines, today)
	}
	return r
}

// parseAs runs the field checks of one layout on well-formed lines.
func parseAs(lay *layout, lines []string, today day) (r Result) {
	r.Format = lay.format
	var c checker
	c.r, c.lines, c.lay, c.today = &r, lines, lay, today
	c.fields()
	c.d.finish(&r.Fields)
	c.warn()
	r.Valid = len(r.Errors) == 0
	return r
}

// detect finds the layout from the line count and lengths, reporting line_count
// and line_length errors. It returns the layout the lines were meant to have (nil
// when even that is unclear). The format is known only when there are none.
func detect(r *Result, lines []string, widths *[3]int) *layout {
	n := len(lines)
	width := 0
	switch n {
	case 3:
		width = 30
		if w := widths[0]; (w == 36 || w == 44) && widths[1] == w {
			// Two good lines of a 2-line MRZ and something more.
			addProblem(r, CodeLineCount, 2, 0, widths[2],
				fmt.Sprintf("The MRZ has 3 lines; lines of %d characters come in pairs: line 3 does not belong.", w))
			return nil
		}
	case 2:
		for _, w := range widths[:2] {
			if w == 36 || w == 44 {
				width = w
				break
			}
		}
	}
	if width == 0 {
		lineCount(r, lines)
		return nil
	}
	for i, w := range widths[:n] {
		if w != width {
			if w > width {
				addProblem(r, CodeLineLength, i, width, w,
					fmt.Sprintf("Line %d has %d characters; this MRZ's lines have %d. The extra characters start at position %d.", i+1, w, width, width+1))
			} else {
				addProblem(r, CodeLineLength, i, 0, w,
					fmt.Sprintf("Line %d has %d characters; this MRZ's lines have %d: %s missing.", i+1, w, width, countOf(width-w, "one is", "%d are")))
			}
		}
	}
	if n == 3 {
		return layoutTD1
	}
	first := lines[0]
	switch {
	case width == 44 && strings.HasPrefix(first, "V"):
		return layoutMRVA
	case width == 44:
		return layoutTD3
	case strings.HasPrefix(first, "V"):
		return layoutMRVB
	case strings.HasPrefix(first, "IDFRA"):
		return layoutFRA
	}
	return layoutTD2
}

func lineCount(r *Result, lines []string) {
	n := len(lines)
	switch {
	case n == 0:
		addProblem(r, CodeLineCount, 0, 0, 0, "No MRZ lines were read: an MRZ has 2 or 3 lines.")
	case n > 3:
		addProblem(r, CodeLineCount, 3, 0, length(lines[3]),
			fmt.Sprintf("The MRZ has %d lines; an MRZ has 2 lines (passports, visas, TD2) or 3 (TD1 cards).", n))
	case n == 1:
		w := length(lines[0])
		want := "2 or 3"
		switch w {
		case 30:
			want = "3 (TD1 cards)"
		case 36, 44:
			want = "2"
		}
		addProblem(r, CodeLineCount, 1, 0, 0,
			fmt.Sprintf("The MRZ has only 1 line; it should have %s.", want))
	default: // 2 lines, neither 36 nor 44 long
		if length(lines[0]) == 30 || length(lines[1]) == 30 {
			addProblem(r, CodeLineCount, 2, 0, 0,
				"The MRZ has 2 lines of a TD1 card, which has 3: a line is missing.")
			return
		}
		for i, l := range lines {
			addProblem(r, CodeLineLength, i, 0, length(l),
				fmt.Sprintf("Line %d has %d characters; a 2-line MRZ has lines of 36 or 44.", i+1, length(l)))
		}
	}
}

// checkCharset reports each run of characters outside A–Z, 0–9 and '<'. It returns
// true when every such character is a lowercase letter (policy 2).
func checkCharset(r *Result, lines []string, clean uint8) (lowerOnly bool) {
	lowerOnly = true
	for i, l := range lines {
		if i < 8 && clean&(1<<i) != 0 {
			continue
		}
		if len(r.Errors) >= maxProblems {
			break
		}
		// Slow path: walk runes so columns count characters, not bytes.
		col, start := 0, -1
		var first rune
		flush := func(end int) {
			if start >= 0 {
				addProblem(r, CodeCharset, i, start, end, charsetMessage(i, start, end, first))
				start = -1
			}
		}
		for _, c := range l {
			ok := c < utf8.RuneSelf && isMRZ(byte(c))
			if !ok {
				if c < 'a' || c > 'z' {
					lowerOnly = false
				}
				if start < 0 {
					start, first = col, c
				}
			} else {
				flush(col)
			}
			col++
		}
		flush(col)
	}
	return lowerOnly
}

func charsetMessage(line, start, end int, c rune) string {
	what := ""
	switch {
	case c >= 'a' && c <= 'z':
		what = fmt.Sprintf("lowercase %q", c)
	case c == ' ':
		what = "a space"
	case c == '\t':
		what = "a tab"
	case c == utf8.RuneError:
		what = "a byte that is not text"
	case c < ' ' || c == 0x7f:
		what = fmt.Sprintf("control character U+%04X", c)
	default:
		what = fmt.Sprintf("%q", c)
	}
	where := fmt.Sprintf("position %d", start+1)
	if end-start > 1 {
		where = fmt.Sprintf("positions %d–%d", start+1, end)
	}
	return fmt.Sprintf("Line %d, %s: %s is not allowed in an MRZ, which holds only A–Z, 0–9 and '<'.", line+1, where, what)
}

// addProblem records an error; line, start and end are 0-based (end exclusive).
func addProblem(r *Result, code string, line, start, end int, msg string) {
	if len(r.Errors) >= maxProblems {
		return
	}
	r.Errors = append(r.Errors, Problem{Code: code, Line: line + 1, Start: start + 1, End: end + 1, Message: msg})
}

// derived collects field values that are not slices of the input (names with
// spaces, ISO dates, long document numbers) in one buffer, turned into a single
// string at the end: one allocation per document. Fields are named by number, not
// by pointer, so the Result stays on the caller's stack.
type derived struct {
	buf  [160]byte
	n    int
	refs [8]struct {
		field      fieldID
		start, end int
	}
	nrefs int
}

type fieldID uint8

const (
	fSurname fieldID = iota
	fGivenNames
	fDocumentNumber
	fBirthDateISO
	fExpiryDateISO
)

func (d *derived) mark() int { return d.n }

// done assigns what was written since mark to the field.
func (d *derived) done(field fieldID, mark int) {
	d.refs[d.nrefs].field, d.refs[d.nrefs].start, d.refs[d.nrefs].end = field, mark, d.n
	d.nrefs++
}

func (d *derived) byte(c byte) { d.buf[d.n] = c; d.n++ }

func (d *derived) str(s string) { d.n += copy(d.buf[d.n:], s) }

func (d *derived) finish(f *Fields) {
	if d.n == 0 {
		return
	}
	s := string(d.buf[:d.n])
	for _, ref := range d.refs[:d.nrefs] {
		v := s[ref.start:ref.end]
		switch ref.field {
		case fSurname:
			f.Surname = v
		case fGivenNames:
			f.GivenNames = v
		case fDocumentNumber:
			f.DocumentNumber = v
		case fBirthDateISO:
			f.BirthDateISO = v
		case fExpiryDateISO:
			f.ExpiryDateISO = v
		}
	}
}

// checker runs the field checks of one layout over well-formed lines.
type checker struct {
	r     *Result
	lines []string
	lay   *layout
	today day
	d     derived

	birth, expiry         day // resolved dates, 0 when unknown or invalid
	birthFull, expiryFull bool
	truncated             bool
	unknown               bool // a country code of the right form is not on the list
	stateSlot, natSlot    int  // the codes' slots in the list (countryIndex); -1 when malformed or implied
}

func (c *checker) fail(code string, s span, msg string) {
	addProblem(c.r, code, s.line, s.start, s.end, msg)
}

func (c *checker) fields() {
	lay, f := c.lay, &c.r.Fields
	c.documentCode()
	f.IssuingState, c.stateSlot = c.country(lay.state, CodeIssuingState, "issuing state")
	if lay.nat.ok() {
		f.Nationality, c.natSlot = c.country(lay.nat, CodeNationality, "nationality")
	} else {
		f.Nationality, c.natSlot = "FRA", -1 // implied by the card, not read
	}
	c.names()
	c.documentNumber()
	c.birthDate()
	c.sexField()
	if lay.expiry.ok() {
		c.expiryDate()
	}
	if lay.optCheck.ok() {
		c.personalNumber()
	} else if !c.long() {
		f.OptionalData = trimFillers(lay.opt1.of(c.lines))
	}
	if lay.opt2.ok() {
		f.OptionalData2 = trimFillers(lay.opt2.of(c.lines))
	}
	if lay.composite.ok() {
		c.compositeCheck()
	}
}

func (c *checker) documentCode() {
	s := c.lay.code.of(c.lines)
	c.r.Fields.DocumentCode = trimFillers(s)
	ok := strings.IndexByte(c.lay.codeFirst, s[0]) >= 0 && (isLetter(s[1]) || s[1] == '<')
	if c.lay == layoutFRA {
		ok = s == "ID"
	}
	if ok && (c.lay == layoutTD1 || c.lay == layoutTD2) && s[1] == 'V' {
		// ICAO 9303 parts 5 and 6: in official travel documents of these sizes
		// the second letter may be anything but V, which marks a visa.
		c.fail(CodeDocumentCode, c.lay.code, fmt.Sprintf(
			"The document code %q is not valid for %s: its second letter may not be V (that marks a visa).", s, c.lay.describe()))
		return
	}
	if !ok {
		first := c.lay.codeFirst
		if len(first) == 3 {
			first = first[:1] + ", " + first[1:2] + " or " + first[2:]
		}
		c.fail(CodeDocumentCode, c.lay.code, fmt.Sprintf(
			"The document code %q is not valid for %s: it starts with %s, then a letter or '<'.", s, c.lay.describe(), first))
	}
}

// country checks a state or nationality code for form (policy 7): one to
// three letters, then fillers. It returns the code and its slot in the list's
// bitset (see countryIndex), computed in the same pass; -1 when malformed.
func (c *checker) country(s span, code, what string) (string, int) {
	v := s.of(c.lines)
	t := trimFillers(v)
	ok := t != ""
	slot := 0
	for i := 0; i < 3; i++ {
		slot *= 27
		if i < len(t) {
			if !isLetter(t[i]) {
				ok = false
			}
			slot += int(t[i]-'A') + 1
		}
	}
	if !ok || len(t) > 3 {
		c.fail(code, s, fmt.Sprintf("The %s %q is not a country code: it must be 1 to 3 letters, then '<' (line %d, positions %d–%d).",
			what, v, s.line+1, s.start+1, s.end))
		return t, -1
	}
	return t, slot
}

func (c *checker) names() {
	lay, f := c.lay, &c.r.Fields
	field := lay.name.of(c.lines)
	c.nameDigits(lay.name, field)
	if lay.given.ok() {
		given := lay.given.of(c.lines)
		c.nameDigits(lay.given, given)
		c.nameInto(fSurname, &f.Surname, trimFillers(field))
		c.nameInto(fGivenNames, &f.GivenNames, trimFillers(given))
		c.truncated = field[len(field)-1] != '<' || given[len(given)-1] != '<'
		if trimFillers(field) == "" && trimFillers(given) == "" {
			c.fail(CodeName, lay.name, "The name fields are empty.")
		}
		return
	}
	c.truncated = field[len(field)-1] != '<'
	t := trimFillers(field)
	if t == "" {
		c.fail(CodeName, lay.name, "The name field is empty: the MRZ must carry the holder's name.")
		return
	}
	if i := strings.Index(t, "<<"); i >= 0 {
		c.nameInto(fSurname, &f.Surname, t[:i])
		c.nameInto(fGivenNames, &f.GivenNames, t[i+2:])
	} else {
		c.nameInto(fSurname, &f.Surname, t)
	}
}

func (c *checker) nameDigits(s span, field string) {
	first, last := -1, -1
	var bad uint8
	for i := 0; i < len(field); i++ {
		bad |= notName[field[i]]
	}
	if bad == 0 {
		return
	}
	for i := 0; i < len(field); i++ {
		if notName[field[i]] != 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first >= 0 {
		c.fail(CodeName, span{s.line, s.start + first, s.start + last + 1}, fmt.Sprintf(
			"The name holds %q at line %d, position %d: names have letters only.", field[first], s.line+1, s.start+first+1))
	}
}

// nameInto stores a name part with its fillers turned into spaces (policy 10),
// fillers at the ends dropped. A part without inner fillers is a slice of the input.
func (c *checker) nameInto(id fieldID, dst *string, s string) {
	for len(s) > 0 && s[0] == '<' {
		s = s[1:]
	}
	s = trimFillers(s)
	if strings.IndexByte(s, '<') < 0 {
		*dst = s
		return
	}
	m := c.d.mark()
	b := c.d.buf[m : m+len(s)]
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			b[n] = s[i]
			n++
		} else if s[i-1] != '<' {
			b[n] = ' '
			n++
		}
	}
	c.d.n += n
	c.d.done(id, m)
}

// long reports whether the TD1/TD2 document number continues in the optional
// data (policy 4): all nine places used and '<' where the check digit would be.
func (c *checker) long() bool {
	lay := c.lay
	return lay.longNumber && lay.docCheck.of(c.lines)[0] == '<' && strings.IndexByte(lay.docNum.of(c.lines), '<') < 0
}

func (c *checker) documentNumber() {
	lay, f := c.lay, &c.r.Fields
	field := lay.docNum.of(c.lines)
	check := lay.docCheck.of(c.lines)[0]
	if c.long() {
		opt := lay.opt1.of(c.lines)
		k := strings.IndexByte(opt, '<')
		if k < 0 {
			k = len(opt)
		}
		if k == 0 {
			c.fail(CodeDocumentNumberCheck, lay.docCheck, fmt.Sprintf(
				"The document number %s has '<' where its check digit belongs (line %d, position %d) and does not continue after it.",
				field, lay.docCheck.line+1, lay.docCheck.start+1))
			f.DocumentNumber = field
			f.OptionalData = trimFillers(opt)
			return
		}
		rest, digit := opt[:k-1], opt[k-1]
		m := c.d.mark()
		c.d.str(field)
		c.d.str(rest)
		c.d.done(fDocumentNumber, m)
		if k+1 < len(opt) {
			f.OptionalData = trimFillers(opt[k+1:])
		}
		// Policy 4: issuers compute it with or without the '<' at the original
		// check position; both are accepted.
		without := byte('0' + (weigh(field, 0)+weigh(rest, len(field)))%10)
		with := byte('0' + (weigh(field, 0)+weigh(rest, len(field)+1))%10)
		pos := at(lay.opt1.line, lay.opt1.start+k-1)
		if digit != without && digit != with {
			c.fail(CodeDocumentNumberCheck, pos, checkMessage("document number", field+rest, digit, without, pos))
		}
		return
	}
	v := trimFillers(field)
	f.DocumentNumber = v
	switch {
	case v == "":
		c.fail(CodeDocumentNumber, lay.docNum, "The document number is empty.")
		return
	case strings.IndexByte(v, '<') >= 0:
		c.fail(CodeDocumentNumber, lay.docNum, fmt.Sprintf("The document number %q has '<' inside it.", field))
		return
	}
	if want := CheckDigit(field); check != want {
		c.fail(CodeDocumentNumberCheck, lay.docCheck, checkMessage("document number", v, check, want, lay.docCheck))
	}
}

func checkMessage(what, value string, got, want byte, pos span) string {
	if !isDigit(got) {
		return fmt.Sprintf("The check digit of the %s (line %d, position %d) is %q, not a digit; %s calls for %c.",
			what, pos.line+1, pos.start+1, got, value, want)
	}
	return fmt.Sprintf("The check digit of the %s (line %d, position %d) is %c, but %s calls for %c.",
		what, pos.line+1, pos.start+1, got, value, want)
}

func (c *checker) birthDate() {
	lay, f := c.lay, &c.r.Fields
	v := lay.birth.of(c.lines)
	f.BirthDate = v
	d, full, problem := readDate(v, true, c.today)
	if problem != "" {
		c.fail(CodeBirthDate, lay.birth, "The date of birth "+problem)
	} else {
		c.birth, c.birthFull = d, full
		if full {
			c.iso(fBirthDateISO, d, v)
		}
	}
	if check, want := lay.birthCheck.of(c.lines)[0], CheckDigit(v); check != want {
		c.fail(CodeBirthDateCheck, lay.birthCheck, checkMessage("date of birth", v, check, want, lay.birthCheck))
	}
}

func (c *checker) expiryDate() {
	lay, f := c.lay, &c.r.Fields
	v := lay.expiry.of(c.lines)
	f.ExpiryDate = v
	d, _, problem := readDate(v, false, c.today)
	if problem != "" {
		c.fail(CodeExpiryDate, lay.expiry, "The expiry date "+problem)
	} else {
		c.expiry, c.expiryFull = d, true
		c.iso(fExpiryDateISO, d, v)
	}
	if check, want := lay.expiryCheck.of(c.lines)[0], CheckDigit(v); check != want {
		c.fail(CodeExpiryDateCheck, lay.expiryCheck, checkMessage("expiry date", v, check, want, lay.expiryCheck))
	}
}

// iso writes the resolved date d, whose YYMMDD is raw, as YYYY-MM-DD.
func (c *checker) iso(id fieldID, d day, raw string) {
	m := c.d.mark()
	b := c.d.buf[m : m+10]
	cy := int(d) / 1000000 // century, e.g. 19
	b[0], b[1], b[2], b[3], b[4] = byte('0'+cy/10%10), byte('0'+cy%10), raw[0], raw[1], '-'
	b[5], b[6], b[7], b[8], b[9] = raw[2], raw[3], '-', raw[4], raw[5]
	c.d.n += 10
	c.d.done(id, m)
}

func (c *checker) sexField() {
	s := c.lay.sex.of(c.lines)
	c.r.Fields.Sex = trimFillers(s) // '<' (unspecified) reads as "", like every filler
	switch s {
	case "M", "F", "<":
	case "X":
		c.fail(CodeSex, c.lay.sex, "Sex is 'X': in the MRZ an unspecified sex is written '<' (X appears only in the printed zone).")
	default:
		c.fail(CodeSex, c.lay.sex, fmt.Sprintf("Sex is %q: the MRZ allows M, F or '<'.", s))
	}
}

// personalNumber checks the TD3 personal number; when empty its check digit may be
// '<' or '0' (policy 6).
func (c *checker) personalNumber() {
	lay := c.lay
	v := lay.opt1.of(c.lines)
	c.r.Fields.OptionalData = trimFillers(v)
	check, want := lay.optCheck.of(c.lines)[0], CheckDigit(v)
	if check == want || check == '<' && trimFillers(v) == "" {
		return
	}
	c.fail(CodeOptionalDataCheck, lay.optCheck, checkMessage("personal number", trimFillers(v), check, want, lay.optCheck))
}

func (c *checker) compositeCheck() {
	lay := c.lay
	sum, k := 0, 0
	for _, p := range lay.parts {
		s := p.of(c.lines)
		sum += weigh(s, k)
		k += len(s)
	}
	want := byte('0' + sum%10)
	if got := lay.composite.of(c.lines)[0]; got != want {
		msg := fmt.Sprintf("The overall check digit (line %d, position %d) is %c, but the zone calls for %c: some character is misread or altered.",
			lay.composite.line+1, lay.composite.start+1, got, want)
		if !isDigit(got) {
			msg = fmt.Sprintf("The overall check digit (line %d, position %d) is %q, not a digit; the zone calls for %c.",
				lay.composite.line+1, lay.composite.start+1, got, want)
		}
		c.fail(CodeCompositeCheck, lay.composite, msg)
	}
}

// warn adds the warnings, in one allocation: it decides which apply first,
// then writes them straight into a slice of the right size (a Warning is big
// enough that a stack copy would cost more than the checks).
func (c *checker) warn() {
	f := &c.r.Fields
	specimen := f.IssuingState == "UTO" || f.Nationality == "UTO"
	state := c.stateSlot >= 0 && !listed(c.stateSlot)
	nat := c.natSlot >= 0 && !listed(c.natSlot)
	c.unknown = state || nat
	expired := c.expiryFull && c.expiry < c.today
	minor := ""
	if c.birth != 0 {
		latest := c.birth
		y, m, d := int(latest)/10000, int(latest)/100%100, int(latest)%100
		msg := "The holder is under 18."
		if m == 0 {
			m = 12
			msg = "The holder may be under 18 (the date of birth is incomplete)."
		}
		if d == 0 {
			d = daysIn(y, m)
			msg = "The holder may be under 18 (the date of birth is incomplete)."
		}
		if day((y+18)*10000+m*100+d) > c.today {
			minor = msg
		}
	}
	n := b2i(specimen) + b2i(state) + b2i(nat) + b2i(c.truncated) + b2i(expired) + b2i(minor != "")
	if n == 0 {
		return
	}
	ws := make([]Warning, 0, n)
	if specimen {
		ws = append(ws, Warning{Code: WarnSpecimen, Message: "Specimen document (state UTO): it is not a real travel document."})
	}
	if state {
		ws = append(ws, unknownCountry(CodeIssuingState, "issuing state", f.IssuingState, f.Nationality, c.lay.state))
	}
	if nat {
		ws = append(ws, unknownCountry(CodeNationality, "nationality", f.Nationality, f.IssuingState, c.lay.nat))
	}
	if c.truncated {
		ws = append(ws, Warning{Code: WarnNameTruncated, Message: "The name fills its MRZ field and may be truncated: compare it with the printed name."})
	}
	if expired {
		ws = append(ws, Warning{Code: WarnExpired, Message: "The document has expired."})
	}
	if minor != "" {
		ws = append(ws, Warning{Code: WarnMinor, Message: minor})
	}
	c.r.Warnings = ws
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unknownCountry is the warning for a code of the right form that is not on
// the list, at span s of the field named by code. Most travellers hold their
// own state's document, so when the other country field (other) is one of
// the candidates it comes first.
func unknownCountry(code, what, value, other string, s span) Warning {
	near := NearCountries(value)
	if i := slices.Index(near, other); i > 0 {
		copy(near[1:i+1], near[:i])
		near[0] = other
	}
	msg := "The " + what + " " + value + " is not on the ICAO list of country codes: compare it with the printed page."
	for i, n := range near {
		if i == 0 {
			msg += " One misread letter away: "
		} else {
			msg += ", "
		}
		msg += n + " (" + CountryName(n) + ")"
	}
	if len(near) > 0 {
		msg += "."
	}
	return Warning{Code: WarnUnknownCountry, Message: msg, About: &About{Field: code, Value: value,
		Line: s.line + 1, Start: s.start + 1, End: s.end + 1, Near: near}}
}

// readDate reads YYMMDD. A birth date may leave day and month unknown as "<<"
// (policy 5), or be all fillers; an expiry date must be complete. The century is
// chosen as of today (policy 9). It returns the date as YYYYMMDD with 0 for
// unknown parts, whether it is complete, and what is wrong with it ("" if nothing).
func readDate(s string, birth bool, today day) (d day, full bool, problem string) {
	if birth && s == "<<<<<<" {
		return 0, false, ""
	}
	num := func(i int) (int, bool) {
		if isDigit(s[i]) && isDigit(s[i+1]) {
			return int(s[i]-'0')*10 + int(s[i+1]-'0'), true
		}
		return 0, false
	}
	yy, ok := num(0)
	if !ok {
		return 0, false, fmt.Sprintf("%q is not a date (YYMMDD).", s)
	}
	mUnknown, dUnknown := s[2:4] == "<<", s[4:6] == "<<"
	if !birth && (mUnknown || dUnknown) {
		return 0, false, fmt.Sprintf("%q is incomplete: an expiry date must give day, month and year.", s)
	}
	mm, dd := 0, 0
	if !mUnknown {
		if mm, ok = num(2); !ok {
			return 0, false, fmt.Sprintf("%q is not a date (YYMMDD).", s)
		}
		if mm < 1 || mm > 12 {
			return 0, false, fmt.Sprintf("%s has month %02d, which does not exist.", s, mm)
		}
	}
	if !dUnknown {
		if dd, ok = num(4); !ok {
			return 0, false, fmt.Sprintf("%q is not a date (YYMMDD).", s)
		}
	}
	ty := int(today) / 10000
	y := ty/100*100 + yy
	if birth {
		// The latest date on or before today.
		if day(y*10000+max(mm, 1)*100+max(dd, 1)) > today {
			y -= 100
		}
	} else if y > ty+49 {
		y -= 100
	} else if y < ty-50 {
		y += 100
	}
	if !dUnknown {
		limit := 31
		if mm != 0 {
			limit = daysIn(y, mm)
		}
		if dd < 1 || dd > limit {
			if mm != 0 && dd >= 1 && dd <= 31 {
				return 0, false, fmt.Sprintf("%s would be %d %s %d, which does not exist.", s, dd, monthNames[mm-1], y)
			}
			return 0, false, fmt.Sprintf("%s has day %02d, which does not exist.", s, dd)
		}
	}
	return day(y*10000 + mm*100 + dd), !mUnknown && !dUnknown, ""
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// countOf words a count for an officer: one form for 1, a Sprintf form for the rest.
func countOf(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}
