package mrz

import (
	"strings"

	"time"
	"unicode/utf8"

	"github.com/chekara/chekara/app"
)

// Format is the layout of a machine readable zone. The empty Format means the
// layout could not be told from the lines (wrong line count or line lengths).
type Format string

// The layouts Parse recognises.
const (
	TD1      Format = "TD1"    // 3 × 30: ID cards, residence permits
	TD2      Format = "TD2"    // 2 × 36: older ID cards, some permits
	TD3      Format = "TD3"    // 2 × 44: passports
	MRVA     Format = "MRVA"   // 2 × 44: full-page visas
	MRVB     Format = "MRVB"   // 2 × 36: smaller visas
	FrenchID Format = "FRA_ID" // 2 × 36: French national identity card (1988–2021), not ICAO
)

// Error codes of Problem (REFERENCE.md §1 policy 11). Scripts and tests match them.
const (
	CodeLineCount           = "line_count"
	CodeLineLength          = "line_length"
	CodeCharset             = "charset"
	CodeDocumentCode        = "document_code"
	CodeIssuingState        = "issuing_state"
	CodeNationality         = "nationality"
	CodeName                = "name"
	CodeDocumentNumber      = "document_number"
	CodeBirthDate           = "birth_date"
	CodeSex                 = "sex"
	CodeExpiryDate          = "expiry_date"
	CodeDocumentNumberCheck = "document_number_check"
	CodeBirthDateCheck      = "birth_date_check"
	CodeExpiryDateCheck     = "expiry_date_check"
	CodeOptionalDataCheck   = "optional_data_check"
	CodeCompositeCheck      = "composite_check"
)

// Warning codes: facts the officer must see that do not make the MRZ invalid.
const (
	WarnSpecimen      = "specimen"       // issuing state or nationality is UTO, the ICAO specimen state
	WarnNameTruncated = "name_truncated" // the name fills its field to the last character
	WarnExpired       = "expired"        // the expiry date is before today
	WarnMinor         = "minor"          // the holder is (or may be, for a partial birth date) under 18 today
	// WarnUnknownCountry: the issuing state or nationality has the form of a
	// code but is not on the ICAO 9303 part 3 list (policy 7).
	WarnUnknownCountry = app.WarnUnknownCountry
)

// Fields are the values read from an MRZ. Fillers are removed from the end of
// each value (`P<` → `P`, `D<<` → `D`, sex `<` → ""); fillers inside optional
// data are kept. BirthDate and ExpiryDate are the six characters as read, so a
// partial birth date stays partial ("7408<<").
// Names follow policy 10: a space wherever the MRZ has a run of `<` inside a name.
// A TD1/TD2 long document number is given whole, without filler or check digit.
// BirthDateISO and ExpiryDateISO are "YYYY-MM-DD", or "" when the date is partial
// or does not exist. For the French ID card, Nationality is FRA (the card is only
// issued to French nationals), OptionalData holds the department and office of
// issue and ExpiryDate is empty (the card's MRZ carries none).
type Fields struct {
	DocumentCode   string `json:"document_code"`
	IssuingState   string `json:"issuing_state"`
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	DocumentNumber string `json:"document_number"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	BirthDateISO   string `json:"birth_date_iso"`
	Sex            string `json:"sex"`
	ExpiryDate     string `json:"expiry_date"`
	ExpiryDateISO  string `json:"expiry_date_iso"`
	OptionalData   string `json:"optional_data"`
	OptionalData2  string `json:"optional_data_2"`
}

// Problem is one MRZ error. Line, Start and End count from 1; End is exclusive, so
// the characters at fault are columns Start … End-1 of Line. Document-level
// problems (no lines at all) point at line 1, column 1, with an empty span.
type Problem struct {
	Code    string `json:"code"`
	Line    int    `json:"line"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Message string `json:"message"` // a sentence for the officer
}

// Warning is a fact that does not make the MRZ invalid (Warn* codes). A
// warning about one field (unknown_country) says which in About; its JSON
// fields sit beside code and message. About is nil for warnings about the
// whole document, which keeps a Warning small: valid documents allocate their
// warnings on every parse.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	*About
}

// About is the field a warning is about: its error code ("issuing_state",
// "nationality"), its value as read and where it is, counted as in Problem.
// Near lists the listed codes one misread letter away, for the officer to
// compare with the printed page.
type About struct {
	Field string   `json:"field"`
	Value string   `json:"value"`
	Line  int      `json:"line"`
	Start int      `json:"start"`
	End   int      `json:"end"`
	Near  []string `json:"near,omitempty"`
}

// Change is one character replaced by a Suggestion; Line and Column count from 1.
type Change struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// Suggestion is a repaired reading of an invalid MRZ, or of a valid one whose
// country code is not on the list (the listed code one misread letter away):
// Lines is a complete document that parses valid, Changes lists every
// character that differs from the input. Suggestions are never applied by
// Parse; the officer (or OCR) decides.
type Suggestion struct {
	Lines   []string `json:"lines"`
	Changes []Change `json:"changes"`
}

// Result is what Parse finds. Valid is true exactly when Errors is empty.
// It marshals to the JSON contract of issue 2 (see MarshalJSON); embed it in other
// JSON as a named field, e.g. MRZ mrz.Result `json:"mrz"`.
type Result struct {
	Format      Format
	Valid       bool
	Fields      Fields
	Errors      []Problem
	Warnings    []Warning
	Suggestions []Suggestion
}

// Limits that keep Parse bounded whatever it is fed.
const (
	maxProblems = 24 // errors reported per document; the rest add nothing for an officer
)

// Parse reads one document's MRZ lines (surrounding spaces, tabs, CR and LF on each
// line are ignored) and validates every field as of today, whose date (in its own
// location) decides centuries, expiry and minority. It never panics. When the MRZ
// has errors, Suggestions holds the readings proven by field types and check
// digits (OCR confusions) and the upper-cased reading of lowercase input.
func Parse(lines []string, today time.Time) Result {
	return parse(lines, dayOf(today), true)
}

// ParseText is Parse for one document given as text, lines separated by "\n"
// (CR LF works too). Blank lines are skipped, so line numbers in Problems count
// the non-blank lines.
func ParseText(text string, today time.Time) Result {
	var arr [4]string
	lines := arr[:0]
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		var l string
		if i < 0 {
			l, text = text, ""
		} else {
			l, text = text[:i], text[i+1:]
		}
		if l = trim(l); l != "" {
			lines = append(lines, l)
		}
	}
	return parse(lines, dayOf(today), true)
}

// SplitDocuments splits text in the `bmis mrz` stdin format: the lines of one
// document together, documents separated by one or more blank lines (lines that
// are empty once spaces, tabs and CR are stripped). Lines are returned trimmed.
func SplitDocuments(text string) [][]string {
	var docs [][]string
	var cur []string
	for _, l := range strings.Split(text, "\n") {
		l = trim(l)
		if l == "" {
			if cur != nil {
				docs = append(docs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		docs = append(docs, cur)
	}
	return docs
}

// CheckDigit returns the ICAO 9303 check digit ('0'…'9') of s: weights 7, 3, 1
// repeating; '<' counts 0, digits as themselves, A = 10 … Z = 35. Characters
// outside the MRZ set count as '<'.
func CheckDigit(s string) byte {
	return '0' + byte(weigh(s, 0)%10)
}

// weigh returns the weighted sum of s (weights 7, 3, 1), its first character
// taking the weight at index k%3. A composite check sums the parts' weighs, each
// part starting where the previous one ended.
func weigh(s string, k int) int {
	sum, i := 0, 0
	// Align to weight 7, then take three characters at a time.
	for w := k % 3; w != 0 && i < len(s); w = (w + 1) % 3 {
		sum += int(charValue[s[i]]) * weights[w]
		i++
	}
	for ; i+2 < len(s); i += 3 {
		sum += 7*int(charValue[s[i]]) + 3*int(charValue[s[i+1]]) + int(charValue[s[i+2]])
	}
	for w := 0; i < len(s); w++ {
		sum += int(charValue[s[i]]) * weights[w]
		i++
	}
	return sum
}

var weights = [3]int{7, 3, 1}

// charValue is each byte's value in a check digit: '<' and bytes outside the MRZ
// set 0, digits themselves, A = 10 … Z = 35. mrzChar marks the MRZ set.
// notMRZ and notName are 1 for the bytes a line or a name may not hold, so a
// whole line is checked with one OR per byte and no branch.
var (
	charValue [256]uint8
	mrzChar   [256]bool
	notMRZ    [256]uint8
	notName   [256]uint8
)

func init() {
	for c := '0'; c <= '9'; c++ {
		charValue[c], mrzChar[c] = uint8(c-'0'), true
	}
	for c := 'A'; c <= 'Z'; c++ {
		charValue[c], mrzChar[c] = uint8(c-'A'+10), true
	}
	mrzChar['<'] = true
	for c := range notMRZ {
		if !mrzChar[c] {
			notMRZ[c] = 1
		}
		if !(c >= 'A' && c <= 'Z' || c == '<') {
			notName[c] = 1
		}
	}
}

// trim strips the whitespace policy 1 allows around a line.
func trim(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isMRZ(c byte) bool { return mrzChar[c] }

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// length is a line's length in characters (runes), which is what officers count.
func length(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

func trimFillers(s string) string {
	for len(s) > 0 && s[len(s)-1] == '<' {
		s = s[:len(s)-1]
	}
	return s
}

// day is a calendar date as YYYYMMDD, which orders like the date.
type day int

// dayOf is t's date. It is clamped to years 100–9899 so that every century Parse
// resolves has four digits; no border inspection happens outside them.
func dayOf(t time.Time) day {
	y, m, d := t.Date()
	switch {
	case y < 100:
		return 1000101
	case y > 9899:
		return 98991231
	}
	return day(y*10000 + int(m)*100 + d)
}
