package mrz_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

// today is the injected date the tests judge centuries, expiry and age by.
var today = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// The ICAO Doc 9303 specimens (parts 4 to 7), and the two French identity card
// samples that MRZ libraries test against.
var (
	specimenTD1 = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	specimenTD1Long = []string{ // Doc 9303 part 5: document number D23145890734
		"I<UTOD23145890<7349<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	specimenTD2 = []string{
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
	specimenTD3 = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
	specimenMRVA = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
	}
	specimenMRVB = []string{
		"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"L8988901C4XXX4009078F9612109<<<<<<<<",
	}
	sampleFRA = []string{
		"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
		"8806923102858CORINNE<<<<<<<6512068F6",
	}
	sampleFRA2 = []string{
		"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
		"9409923102854CORINNE<<<<<<<6512068F4",
	}
)

func TestCheckDigit(t *testing.T) {
	// Values printed in Doc 9303 (part 3 and the specimens of parts 4–7).
	tests := []struct {
		in   string
		want byte
	}{
		{"520727", '3'},
		{"L898902C3", '6'},
		{"740812", '2'},
		{"120415", '9'},
		{"ZE184226B<<<<<", '1'},
		{"D23145890", '7'},
		{"L8988901C", '4'},
		{"400907", '8'},
		{"961210", '9'},
		{"<<<<<<<<<<<<<<", '0'},
		{"", '0'},
	}
	for _, tt := range tests {
		if got := mrz.CheckDigit(tt.in); got != tt.want {
			t.Errorf("CheckDigit(%q) = %c, want %c", tt.in, got, tt.want)
		}
	}
}

var anna = mrz.Fields{
	DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
	DocumentNumber: "L898902C3", Nationality: "UTO", BirthDate: "740812", BirthDateISO: "1974-08-12",
	Sex: "F", ExpiryDate: "120415", ExpiryDateISO: "2012-04-15", OptionalData: "ZE184226B",
}

func with(f mrz.Fields, change func(*mrz.Fields)) mrz.Fields {
	change(&f)
	return f
}

func TestParseSpecimens(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		format   mrz.Format
		fields   mrz.Fields
		warnings []string
	}{
		{"ICAO TD3 specimen ERIKSSON", specimenTD3, mrz.TD3, anna, []string{"specimen", "expired"}},
		{"ICAO TD1 specimen", specimenTD1, mrz.TD1, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.OptionalData = "I", "D23145890", ""
		}), []string{"specimen", "expired"}},
		{"ICAO TD1 specimen with long document number", specimenTD1Long, mrz.TD1, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.OptionalData = "I", "D23145890734", ""
		}), []string{"specimen", "expired"}},
		{"ICAO TD2 specimen", specimenTD2, mrz.TD2, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.OptionalData = "I", "D23145890", ""
		}), []string{"specimen", "expired"}},
		{"ICAO MRV-A specimen", specimenMRVA, mrz.MRVA, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.Nationality = "V", "L8988901C", "XXX"
			f.BirthDate, f.BirthDateISO, f.ExpiryDate, f.ExpiryDateISO = "400907", "1940-09-07", "961210", "1996-12-10"
			f.OptionalData = "6ZE184226B"
		}), []string{"specimen", "expired"}},
		{"ICAO MRV-B specimen", specimenMRVB, mrz.MRVB, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.Nationality = "V", "L8988901C", "XXX"
			f.BirthDate, f.BirthDateISO, f.ExpiryDate, f.ExpiryDateISO = "400907", "1940-09-07", "961210", "1996-12-10"
			f.OptionalData = ""
		}), []string{"specimen", "expired"}},
		{"French identity card BERTHIER 1988", sampleFRA, mrz.FrenchID, mrz.Fields{
			DocumentCode: "ID", IssuingState: "FRA", Surname: "BERTHIER", GivenNames: "CORINNE",
			DocumentNumber: "880692310285", Nationality: "FRA", BirthDate: "651206", BirthDateISO: "1965-12-06", Sex: "F",
		}, nil},
		{"French identity card BERTHIER 1994", sampleFRA2, mrz.FrenchID, mrz.Fields{
			DocumentCode: "ID", IssuingState: "FRA", Surname: "BERTHIER", GivenNames: "CORINNE",
			DocumentNumber: "940992310285", Nationality: "FRA", BirthDate: "651206", BirthDateISO: "1965-12-06", Sex: "F",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mrz.Parse(tt.lines, today)
			if !r.Valid || len(r.Errors) > 0 {
				t.Fatalf("Valid = %v, errors %v", r.Valid, r.Errors)
			}
			if got, want := r.Format, tt.format; got != want {
				t.Errorf("Format = %q, want %q", got, want)
			}
			if got, want := r.Fields, tt.fields; got != want {
				t.Errorf("Fields =\n%+v\nwant\n%+v", got, want)
			}
			if got, want := warningCodes(r), tt.warnings; !slices.Equal(got, want) {
				t.Errorf("warnings = %v, want %v", got, want)
			}
			if len(r.Suggestions) != 0 {
				t.Errorf("a valid document got suggestions %v", r.Suggestions)
			}
		})
	}
}

func warningCodes(r mrz.Result) []string {
	var codes []string
	for _, w := range r.Warnings {
		if w.Message == "" {
			codes = append(codes, w.Code+"(no message)")
			continue
		}
		codes = append(codes, w.Code)
	}
	return codes
}

func errorCodes(r mrz.Result) []string {
	var codes []string
	for _, p := range r.Errors {
		codes = append(codes, p.Code)
	}
	return codes
}

// compose is mrz.Compose for test fixtures that must succeed.
func compose(t testing.TB, format mrz.Format, f mrz.Fields) []string {
	t.Helper()
	lines, err := mrz.Compose(format, f)
	if err != nil {
		t.Fatalf("Compose(%s, %+v): %v", format, f, err)
	}
	return lines
}

// edit returns lines with line (1-based) changed at column (1-based) to s.
func edit(lines []string, line, col int, s string) []string {
	out := slices.Clone(lines)
	l := out[line-1]
	out[line-1] = l[:col-1] + s + l[col-1+len(s):]
	return out
}

// withCheck sets the check digit at (line, col) to the one computed over the
// characters from..to (1-based, inclusive) of the same line.
func withCheck(lines []string, line, col, from, to int) []string {
	return edit(lines, line, col, string(mrz.CheckDigit(lines[line-1][from-1:to])))
}

// recomposite recomputes the TD3 composite check digit, so a test can break
// exactly one thing.
func recompositeTD3(lines []string) []string {
	l := lines[1]
	return edit(lines, 2, 44, string(mrz.CheckDigit(l[0:10]+l[13:20]+l[21:43])))
}

func TestParsePolicies(t *testing.T) {
	type check func(t *testing.T, r mrz.Result)
	fields := func(want func(f mrz.Fields) bool, what string) check {
		return func(t *testing.T, r mrz.Result) {
			t.Helper()
			if !want(r.Fields) {
				t.Errorf("fields %+v: want %s", r.Fields, what)
			}
		}
	}
	germany := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) {
		f.IssuingState, f.Nationality, f.Surname, f.GivenNames = "D", "D", "MUSTERMANN", "ERIKA"
	}))
	single := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.Surname, f.GivenNames = "MADONNA", "" }))
	fullName := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) {
		f.Surname, f.GivenNames = "WOLFESCHLEGELSTEINHAUSEN", "HUBERT BLAINE" // 24 + 2 + 13 = 39
	}))
	noPersonal := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.OptionalData = "" }))
	td1Opt := compose(t, mrz.TD1, with(anna, func(f *mrz.Fields) {
		f.DocumentCode, f.OptionalData, f.OptionalData2 = "ID", "A12<B", "XY123"
	}))

	tests := []struct {
		name   string
		lines  []string
		errors []string // codes, in order
		checks []check
	}{
		// Policy 1.
		{"surrounding spaces tabs and CR are stripped", []string{" \t" + specimenTD3[0] + "\r\n", specimenTD3[1] + " \r"}, nil, nil},
		{"interior space is a charset error", edit(specimenTD3, 1, 6, " "), []string{"charset"}, []check{hasFormat(mrz.TD3)}},
		// Policy 2.
		{"lowercase is a charset error even when upper-casing would make it valid",
			[]string{strings.ToLower(specimenTD3[0]), specimenTD3[1]}, []string{"charset", "charset", "charset", "charset"},
			[]check{suggests([]string{specimenTD3[0], specimenTD3[1]})}},
		// Policy 3.
		{"sex X is an MRZ error", withCompositeTD3(edit(specimenTD3, 2, 21, "X")), []string{"sex"}, nil},
		{"sex < is unspecified and valid", withCompositeTD3(edit(specimenTD3, 2, 21, "<")), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.Sex == "" }, `sex "" (unspecified)`)}},
		// Policy 4 and the TD1 long-number pitfall.
		{"TD1 long document number, check digit without the filler", specimenTD1Long, nil,
			[]check{fields(func(f mrz.Fields) bool { return f.DocumentNumber == "D23145890734" }, "D23145890734")}},
		{"TD1 long document number, check digit over the filler too",
			withCompositeTD1(edit(specimenTD1Long, 1, 19, string(mrz.CheckDigit("D23145890<734")))), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.DocumentNumber == "D23145890734" }, "D23145890734")}},
		{"TD1 long document number with a wrong check digit",
			withCompositeTD1(edit(specimenTD1Long, 1, 19, "1")), []string{"document_number_check"}, nil},
		{"TD2 long document number", compose(t, mrz.TD2, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.DocumentNumber, f.OptionalData = "I", "D2314589073", ""
		})), nil, []check{fields(func(f mrz.Fields) bool { return f.DocumentNumber == "D2314589073" }, "D2314589073")}},
		// Policy 5.
		{"birth date with unknown day", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "7408<<"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDate == "7408<<" && f.BirthDateISO == "" }, "partial birth date, no ISO")}},
		{"birth date with unknown day and month", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "74<<<<"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDate == "74<<<<" && f.BirthDateISO == "" }, "partial birth date, no ISO")}},
		{"expiry date may not be partial", withCompositeTD3(withCheck(edit(specimenTD3, 2, 22, "1204<<"), 2, 28, 22, 27)), []string{"expiry_date"}, nil},
		// Policy 6 and the pitfall of '<' as the check digit of empty optional data.
		{"empty personal number with < as check digit", noPersonal, nil, nil},
		{"empty personal number with 0 as check digit", withCompositeTD3(edit(noPersonal, 2, 43, "0")), nil, nil},
		{"empty personal number with 5 as check digit", withCompositeTD3(edit(noPersonal, 2, 43, "5")), []string{"optional_data_check"}, nil},
		{"personal number with < as check digit", withCompositeTD3(edit(specimenTD3, 2, 43, "<")), []string{"optional_data_check"}, nil},
		// Policy 7 and the German pitfall.
		{"German D<< state and nationality", germany, nil,
			[]check{fields(func(f mrz.Fields) bool { return f.IssuingState == "D" && f.Nationality == "D" }, "state D")}},
		{"UNO XXA XXB XXX are legal codes", compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.IssuingState, f.Nationality = "UNO", "XXA" })), nil, nil},
		{"XXB nationality", compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.Nationality = "XXB" })), nil, nil},
		{"digit in the issuing state", edit(specimenTD3, 1, 4, "7"), []string{"issuing_state"}, nil},
		{"filler before letters in the nationality", withCompositeTD3(edit(specimenTD3, 2, 11, "<TO")), []string{"nationality"}, nil},
		{"empty issuing state", edit(specimenTD3, 1, 3, "<<<"), []string{"issuing_state"}, nil},
		// Policy 8 and the impossible-dates pitfall.
		{"30 February with a valid check digit", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "740230"), 2, 20, 14, 19)), []string{"birth_date"}, nil},
		{"month 13 with a valid check digit", withCompositeTD3(withCheck(edit(specimenTD3, 2, 22, "121315"), 2, 28, 22, 27)), []string{"expiry_date"}, nil},
		{"29 February 2000 exists", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "000229"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDateISO == "2000-02-29" }, "2000-02-29")}},
		{"29 February 1999 does not", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "990229"), 2, 20, 14, 19)), []string{"birth_date"}, nil},
		// Policy 9 and the fixed-pivot pitfall.
		{"birth year 30 is 1930, not 2030", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "300101"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDateISO == "1930-01-01" }, "1930-01-01")}},
		{"birth year 25 is 2025, a baby", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "250101"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDateISO == "2025-01-01" }, "2025-01-01"), warns("specimen", "expired", "minor")}},
		{"born tomorrow's date means a century ago", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "261126"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDateISO == "1926-11-26" }, "1926-11-26")}},
		{"born today", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "261125"), 2, 20, 14, 19)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.BirthDateISO == "2026-11-25" }, "2026-11-25"), warns("specimen", "expired", "minor")}},
		{"expiry year 70 is 2070", withCompositeTD3(withCheck(edit(specimenTD3, 2, 22, "700101"), 2, 28, 22, 27)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.ExpiryDateISO == "2070-01-01" }, "2070-01-01"), warns("specimen")}},
		{"expiry year 80 is 1980", withCompositeTD3(withCheck(edit(specimenTD3, 2, 22, "800101"), 2, 28, 22, 27)), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.ExpiryDateISO == "1980-01-01" }, "1980-01-01"), warns("specimen", "expired")}},
		{"18 today is not a minor", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "081125"), 2, 20, 14, 19)), nil,
			[]check{warns("specimen", "expired")}},
		{"18 tomorrow is a minor", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "081126"), 2, 20, 14, 19)), nil,
			[]check{warns("specimen", "expired", "minor")}},
		{"partial birth date that may be under 18", withCompositeTD3(withCheck(edit(specimenTD3, 2, 14, "08<<<<"), 2, 20, 14, 19)), nil,
			[]check{warns("specimen", "expired", "minor")}},
		{"expiring today is not expired", withCompositeTD3(withCheck(edit(specimenTD3, 2, 22, "261125"), 2, 28, 22, 27)), nil,
			[]check{warns("specimen")}},
		// Policy 10 and the name pitfalls.
		{"single-name holder", single, nil,
			[]check{fields(func(f mrz.Fields) bool { return f.Surname == "MADONNA" && f.GivenNames == "" }, "surname MADONNA only")}},
		{"empty surname", edit(specimenTD3, 1, 6, "<<ANNA<MARIA<<<<<<<<<"), nil,
			[]check{fields(func(f mrz.Fields) bool { return f.Surname == "" && f.GivenNames == "ANNA MARIA" }, "no surname")}},
		{"full-length name keeps its last character", fullName, nil,
			[]check{fields(func(f mrz.Fields) bool { return f.GivenNames == "HUBERT BLAINE" }, "HUBERT BLAINE"),
				warns("specimen", "name_truncated", "expired")}},
		{"empty name", edit(specimenTD3, 1, 6, strings.Repeat("<", 39)), []string{"name"}, nil},
		{"digit in the name", edit(specimenTD3, 1, 9, "7"), []string{"name"}, nil},
		// Policy 11.
		{"letter where a check digit belongs", withCompositeTD3(edit(specimenTD3, 2, 20, "A")), []string{"birth_date_check"}, nil},
		{"wrong document number check digit", withCompositeTD3(edit(specimenTD3, 2, 10, "5")), []string{"document_number_check"}, nil},
		{"wrong expiry check digit", withCompositeTD3(edit(specimenTD3, 2, 28, "5")), []string{"expiry_date_check"}, nil},
		{"wrong composite", edit(specimenTD3, 2, 44, "5"), []string{"composite_check"}, nil},
		{"empty document number", withCompositeTD3(withCheck(edit(specimenTD3, 2, 1, "<<<<<<<<<"), 2, 10, 1, 9)), []string{"document_number"}, nil},
		{"filler inside the document number", withCompositeTD3(withCheck(edit(specimenTD3, 2, 1, "L89<902C3"), 2, 10, 1, 9)), []string{"document_number"}, nil},
		{"wrong document code for a passport", edit(specimenTD3, 1, 1, "I"), []string{"document_code"}, nil},
		{"TD1 document code IV", edit(specimenTD1, 1, 1, "IV"), []string{"document_code"}, nil},
		{"TD2 document code AV", edit(specimenTD2, 1, 1, "AV"), []string{"document_code"}, nil},
		{"one line only", specimenTD3[:1], []string{"line_count"}, nil},
		{"four lines", append(slices.Clone(specimenTD1), "X"), []string{"line_count"}, nil},
		{"a passport and a stray third line", append(slices.Clone(specimenTD3), ""), []string{"line_count"}, []check{noFormat}},
		{"no lines", nil, []string{"line_count"}, nil},
		{"short line stops the field checks", []string{specimenTD3[0], specimenTD3[1][:43]}, []string{"line_length"}, []check{noFormat}},
		{"long line", []string{specimenTD3[0], specimenTD3[1] + "<"}, []string{"line_length"}, []check{noFormat}},
		{"two lines of 30", []string{specimenTD1[0], specimenTD1[1]}, []string{"line_count"}, []check{noFormat}},
		{"binary junk", []string{"\x00\xff\xfe", "\x89PNG\r\n"}, []string{"line_length", "line_length", "charset", "charset"}, []check{noFormat}},
		// The composite must cover the optional data.
		{"TD1 composite covers line 2 optional data", edit(td1Opt, 2, 19, "Z"), []string{"composite_check"}, nil},
		{"TD1 composite covers line 1 optional data", edit(td1Opt, 1, 17, "Q"), []string{"composite_check"}, nil},
		{"TD3 composite covers the personal number", withCheck(edit(specimenTD3, 2, 29, "ZE184226C"), 2, 43, 29, 42), []string{"composite_check"}, nil},
		{"visas have no composite", edit(specimenMRVA, 2, 44, "7"), nil, nil},
		// The French card pitfall.
		{"French ID is not TD2", sampleFRA, nil, []check{hasFormat(mrz.FrenchID)}},
		{"French ID with a broken final check", edit(sampleFRA, 2, 36, "1"), []string{"composite_check"}, []check{hasFormat(mrz.FrenchID)}},
		{"a TD2 document from France", compose(t, mrz.TD2, with(anna, func(f *mrz.Fields) {
			f.DocumentCode, f.IssuingState, f.OptionalData = "ID", "FRA", ""
		})), nil, []check{hasFormat(mrz.TD2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mrz.Parse(tt.lines, today)
			if got, want := errorCodes(r), tt.errors; !slices.Equal(got, want) {
				t.Fatalf("errors = %v, want %v\n%v", got, want, r.Errors)
			}
			if r.Valid != (len(tt.errors) == 0) {
				t.Errorf("Valid = %v with errors %v", r.Valid, r.Errors)
			}
			for _, p := range r.Errors {
				if p.Message == "" || p.Line < 1 || p.Start < 1 || p.End < p.Start {
					t.Errorf("problem without a sentence or a span: %+v", p)
				}
			}
			for _, c := range tt.checks {
				c(t, r)
			}
		})
	}
}

func withCompositeTD3(lines []string) []string { return recompositeTD3(lines) }

func withCompositeTD1(lines []string) []string {
	l1, l2 := lines[0], lines[1]
	return edit(lines, 2, 30, string(mrz.CheckDigit(l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29])))
}

func warns(codes ...string) func(t *testing.T, r mrz.Result) {
	return func(t *testing.T, r mrz.Result) {
		t.Helper()
		if got := warningCodes(r); !slices.Equal(got, codes) {
			t.Errorf("warnings = %v, want %v", got, codes)
		}
	}
}

func hasFormat(f mrz.Format) func(t *testing.T, r mrz.Result) {
	return func(t *testing.T, r mrz.Result) {
		t.Helper()
		if r.Format != f {
			t.Errorf("Format = %q, want %q", r.Format, f)
		}
	}
}

func noFormat(t *testing.T, r mrz.Result) {
	t.Helper()
	if r.Format != "" {
		t.Errorf("Format = %q, want unknown", r.Format)
	}
}

func suggests(lines []string) func(t *testing.T, r mrz.Result) {
	return func(t *testing.T, r mrz.Result) {
		t.Helper()
		if len(r.Suggestions) != 1 || !slices.Equal(r.Suggestions[0].Lines, lines) {
			t.Errorf("suggestions = %+v, want one with %q", r.Suggestions, lines)
		}
	}
}
