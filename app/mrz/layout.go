package mrz

// span is a run of characters on one line: 0-based line and columns, end exclusive.
// A span with end == 0 is absent from the layout.
type span struct{ line, start, end int }

func (s span) ok() bool { return s.end > 0 }

func (s span) of(lines []string) string { return lines[s.line][s.start:s.end] }

func at(line, col int) span { return span{line, col, col + 1} }

// layout says where each field of a format sits.
type layout struct {
	format      Format
	lines       int
	width       int
	code        span
	state       span
	name        span // the whole name field (surname for the French ID)
	given       span // given names in their own field (French ID only)
	docNum      span
	docCheck    span
	nat         span
	birth       span
	birthCheck  span
	sex         span
	expiry      span
	expiryCheck span
	opt1        span
	optCheck    span // TD3 personal number check
	opt2        span
	composite   span
	parts       []span // what the composite check digit covers, in order
	longNumber  bool   // TD1/TD2: a number longer than 9 continues in opt1
	codeFirst   string // letters allowed as the document code's first character
}

var (
	layoutTD1 = &layout{
		format: TD1, lines: 3, width: 30,
		code: span{0, 0, 2}, state: span{0, 2, 5}, docNum: span{0, 5, 14}, docCheck: at(0, 14),
		opt1:  span{0, 15, 30},
		birth: span{1, 0, 6}, birthCheck: at(1, 6), sex: at(1, 7),
		expiry: span{1, 8, 14}, expiryCheck: at(1, 14), nat: span{1, 15, 18},
		opt2: span{1, 18, 29}, composite: at(1, 29),
		parts:      []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}},
		name:       span{2, 0, 30},
		longNumber: true, codeFirst: "ACI",
	}
	layoutTD2 = &layout{
		format: TD2, lines: 2, width: 36,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
		docNum: span{1, 0, 9}, docCheck: at(1, 9), nat: span{1, 10, 13},
		birth: span{1, 13, 19}, birthCheck: at(1, 19), sex: at(1, 20),
		expiry: span{1, 21, 27}, expiryCheck: at(1, 27), opt1: span{1, 28, 35},
		composite:  at(1, 35),
		parts:      []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}},
		longNumber: true, codeFirst: "ACI",
	}
	layoutTD3 = &layout{
		format: TD3, lines: 2, width: 44,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
		docNum: span{1, 0, 9}, docCheck: at(1, 9), nat: span{1, 10, 13},
		birth: span{1, 13, 19}, birthCheck: at(1, 19), sex: at(1, 20),
		expiry: span{1, 21, 27}, expiryCheck: at(1, 27),
		opt1: span{1, 28, 42}, optCheck: at(1, 42), composite: at(1, 43),
		parts:     []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}},
		codeFirst: "P",
	}
	layoutMRVA = &layout{
		format: MRVA, lines: 2, width: 44,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
		docNum: span{1, 0, 9}, docCheck: at(1, 9), nat: span{1, 10, 13},
		birth: span{1, 13, 19}, birthCheck: at(1, 19), sex: at(1, 20),
		expiry: span{1, 21, 27}, expiryCheck: at(1, 27), opt1: span{1, 28, 44},
		codeFirst: "V",
	}
	layoutMRVB = &layout{
		format: MRVB, lines: 2, width: 36,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
		docNum: span{1, 0, 9}, docCheck: at(1, 9), nat: span{1, 10, 13},
		birth: span{1, 13, 19}, birthCheck: at(1, 19), sex: at(1, 20),
		expiry: span{1, 21, 27}, expiryCheck: at(1, 27), opt1: span{1, 28, 36},
		codeFirst: "V",
	}
	// The French card: line 1 IDFRA, surname (25), department and office (6);
	// line 2 card number (12), check, given names (14), birth date, check, sex and
	// a final check over both lines.
	layoutFRA = &layout{
		format: FrenchID, lines: 2, width: 36,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 30}, opt1: span{0, 30, 36},
		docNum: span{1, 0, 12}, docCheck: at(1, 12), given: span{1, 13, 27},
		birth: span{1, 27, 33}, birthCheck: at(1, 33), sex: at(1, 34),
		composite: at(1, 35),
		parts:     []span{{0, 0, 36}, {1, 0, 35}},
		codeFirst: "I",
	}
)

func layoutOf(f Format) *layout {
	switch f {
	case TD1:
		return layoutTD1
	case TD2:
		return layoutTD2
	case TD3:
		return layoutTD3
	case MRVA:
		return layoutMRVA
	case MRVB:
		return layoutMRVB
	case FrenchID:
		return layoutFRA
	}
	return nil
}

func (f Format) String() string {
	if f == "" {
		return "unknown"
	}
	return string(f)
}

// describe names a format for officers.
func (l *layout) describe() string {
	switch l.format {
	case TD1:
		return "a TD1 card"
	case TD2:
		return "a TD2 document"
	case TD3:
		return "a passport (TD3)"
	case MRVA:
		return "an MRV-A visa"
	case MRVB:
		return "an MRV-B visa"
	}
	return "a French identity card"
}
