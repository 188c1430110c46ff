package ocr

// What each MRZ position may hold, by layout (ICAO 9303 parts 4–7). The reader
// never lets a digit stand where only letters are legal or the other way round: a
// misread O in a date is a 0 before any check digit is consulted.
//
//	L letter or filler     A letter, digit or filler   D digit
//	d digit or filler (a partial date, an empty check)  S sex: M, F or filler
type layoutPattern struct {
	format string
	lines  []string
	// covered marks, per line, the positions some check digit covers: a misread
	// there fails a check; anywhere else only the reading's confidence protects it.
	covered [][2]int // ranges [line*1000+from, line*1000+to)
}

func rep(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

var (
	patTD3 = layoutPattern{"TD3", []string{
		"LL" + rep('L', 42),
		rep('A', 9) + "D" + "LLL" + "ddddddD" + "S" + "DDDDDDD" + rep('A', 14) + "dD"},
		[][2]int{{1000, 1010}, {1013, 1020}, {1021, 1044}}}
	patMRVA = layoutPattern{"MRVA", []string{
		"LL" + rep('L', 42),
		rep('A', 9) + "D" + "LLL" + "ddddddD" + "S" + "DDDDDDD" + rep('A', 16)},
		[][2]int{{1000, 1010}, {1013, 1020}, {1021, 1028}}}
	patTD2 = layoutPattern{"TD2", []string{
		"LL" + rep('L', 34),
		rep('A', 9) + "d" + "LLL" + "ddddddD" + "S" + "DDDDDDD" + rep('A', 7) + "D"},
		[][2]int{{1000, 1010}, {1013, 1020}, {1021, 1036}}}
	patMRVB = layoutPattern{"MRVB", []string{
		"LL" + rep('L', 34),
		rep('A', 9) + "D" + "LLL" + "ddddddD" + "S" + "DDDDDDD" + rep('A', 8)},
		[][2]int{{1000, 1010}, {1013, 1020}, {1021, 1028}}}
	patTD1 = layoutPattern{"TD1", []string{
		"LL" + "LLL" + rep('A', 9) + "d" + rep('A', 15),
		"ddddddD" + "S" + "DDDDDDD" + "LLL" + rep('A', 11) + "D",
		rep('L', 30)},
		[][2]int{{5, 30}, {1000, 1015}, {1018, 1030}}}
)

// patternFor picks the layout from the line count and length, and for 2-line
// layouts the document code's first letter (V = visa).
func patternFor(lines, n int, firstChar byte) *layoutPattern {
	switch {
	case lines == 3:
		return &patTD1
	case n == 36 && firstChar == 'V':
		return &patMRVB
	case n == 36:
		return &patTD2
	case firstChar == 'V':
		return &patMRVA
	}
	return &patTD3
}

func (p *layoutPattern) covers(line, col int) bool {
	k := line*1000 + col
	for _, r := range p.covered {
		if k >= r[0] && k < r[1] {
			return true
		}
	}
	return false
}

// allowed reports whether character c may stand at class cl.
func allowed(cl byte, c byte) bool {
	isDigit, isLetter, isFill := c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c == '<'
	switch cl {
	case 'L':
		return isLetter || isFill
	case 'A':
		return true
	case 'D':
		return isDigit
	case 'd':
		return isDigit || isFill
	case 'S':
		return c == 'M' || c == 'F' || isFill
	}
	return true
}
