package mrz_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

// TestKnownCountry holds the list to ICAO 9303 part 3 and policy 7: the special
// codes are on it, ISO's DEU (never on a German document) and misreads are not,
// and anything that is not a code is simply unknown.
func TestKnownCountry(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"KGZ", true}, {"KAZ", true}, {"USA", true}, {"UZB", true}, {"RUS", true},
		{"D", true}, {"EUE", true}, {"UNO", true}, {"UNA", true}, {"UNK", true},
		{"XXA", true}, {"XXB", true}, {"XXC", true}, {"XXX", true}, {"XOM", true},
		{"GBD", true}, {"GBN", true}, {"UTO", true},
		{"KRZ", false}, {"SSA", false}, {"UAB", false}, {"DEU", false}, {"RKS", false},
		{"", false}, {"D<<", false}, {"kgz", false}, {"KGZZ", false}, {"K6Z", false}, {"\xff", false}, {"A", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := mrz.KnownCountry(tt.code); got != tt.want {
				t.Errorf("KnownCountry(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
	if got, want := mrz.CountryName("KGZ"), "Kyrgyzstan"; got != want {
		t.Errorf("CountryName(KGZ) = %q, want %q", got, want)
	}
	if got := mrz.CountryName("KRZ"); got != "" {
		t.Errorf("CountryName(KRZ) = %q, want nothing", got)
	}
}

// TestCountryList checks the data file: codes in order, once each, every kind
// known, every code found by the lookup, and the ISO states all there.
func TestCountryList(t *testing.T) {
	list := mrz.Countries()
	kinds := map[string]int{}
	for i, c := range list {
		if i > 0 && list[i-1].Code >= c.Code {
			t.Errorf("%s after %s: the list must be in code order, each code once", c.Code, list[i-1].Code)
		}
		if !mrz.KnownCountry(c.Code) || mrz.CountryName(c.Code) != c.Name || c.Name == "" {
			t.Errorf("%+v: not found by the lookup", c)
		}
		kinds[c.Kind]++
	}
	// ISO 3166-1 has 249 alpha-3 codes; DEU is left out (Germany uses D).
	want := map[string]int{"iso": 248, "icao": 25, "former": 2, "specimen": 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d codes of kind %s, want %d", kinds[k], k, n)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("kinds %v, want only %v", kinds, want)
	}
}

// TestNearCountries: the misreads the issue found unremarked each lead back to
// the code that was printed.
func TestNearCountries(t *testing.T) {
	tests := []struct{ read, printed string }{
		{"KRZ", "KGZ"}, {"SSA", "USA"}, {"UAB", "UZB"}, {"RUZ", "RUS"}, {"DEN", "DNK"}, {"E", "D"},
	}
	for _, tt := range tests {
		t.Run(tt.read, func(t *testing.T) {
			got := mrz.NearCountries(tt.read)
			if tt.printed == "DNK" || tt.printed == "D" {
				// Two letters away, or a one-letter code with only D listed: no
				// candidate but D itself.
				if tt.read == "E" && !slices.Equal(got, []string{"D"}) {
					t.Errorf("NearCountries(E) = %v, want [D]", got)
				}
				if tt.read == "DEN" && slices.Contains(got, "DNK") {
					t.Errorf("NearCountries(DEN) = %v: DNK is two letters away", got)
				}
				return
			}
			if !slices.Contains(got, tt.printed) {
				t.Errorf("NearCountries(%s) = %v, want it to hold %s", tt.read, got, tt.printed)
			}
			for _, c := range got {
				if !mrz.KnownCountry(c) || differ(c, tt.read) != 1 {
					t.Errorf("NearCountries(%s) offers %s", tt.read, c)
				}
			}
		})
	}
	if got := mrz.NearCountries("KGZ"); got != nil {
		t.Errorf("NearCountries(KGZ) = %v: a listed code needs no candidates", got)
	}
	// A look-alike letter comes before any other: O read for Q-less codes is
	// rare, but B read as R is not.
	if got := mrz.NearCountries("REL"); len(got) == 0 || got[0] != "BEL" {
		t.Errorf("NearCountries(REL) = %v, want BEL (B/R look alike) first", got)
	}
}

func differ(a, b string) int {
	if len(a) != len(b) {
		return 99
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestUnknownCountry runs every layout with a misread issuing state and a
// misread nationality: the reading stays valid, warns unknown_country with the
// field, the value and its span, and offers the printed code as a suggestion,
// which is never applied.
func TestUnknownCountry(t *testing.T) {
	// The specimens with real codes, so only the misread code is unknown.
	real := func(lines []string) []string {
		out := slices.Clone(lines)
		for i := range out {
			out[i] = strings.ReplaceAll(out[i], "UTO", "KGZ")
		}
		return out
	}
	tests := []struct {
		name       string
		lines      []string
		field      string
		line, col  int // where the code starts, 1-based
		printed    string
		misread    string
		wantFormat mrz.Format
	}{
		{"TD1 state", real(specimenTD1), "issuing_state", 1, 3, "KGZ", "KRZ", mrz.TD1},
		{"TD1 nationality", real(specimenTD1), "nationality", 2, 16, "KGZ", "KRZ", mrz.TD1},
		{"TD2 state", real(specimenTD2), "issuing_state", 1, 3, "USA", "SSA", mrz.TD2},
		{"TD2 nationality", real(specimenTD2), "nationality", 2, 11, "KGZ", "KRZ", mrz.TD2},
		{"TD3 state", real(specimenTD3), "issuing_state", 1, 3, "KGZ", "KRZ", mrz.TD3},
		{"TD3 nationality", real(specimenTD3), "nationality", 2, 11, "UZB", "UAB", mrz.TD3},
		{"MRV-A state", real(specimenMRVA), "issuing_state", 1, 3, "KGZ", "KRZ", mrz.MRVA},
		{"MRV-A nationality", real(specimenMRVA), "nationality", 2, 11, "USA", "SSA", mrz.MRVA},
		{"MRV-B state", real(specimenMRVB), "issuing_state", 1, 3, "UZB", "UAB", mrz.MRVB},
		{"MRV-B nationality", real(specimenMRVB), "nationality", 2, 11, "KGZ", "KRZ", mrz.MRVB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			printed := edit(tt.lines, tt.line, tt.col, tt.printed)
			if r := mrz.Parse(printed, today); !r.Valid || hasWarning(r, mrz.WarnUnknownCountry) || len(r.Suggestions) > 0 {
				t.Fatalf("as printed: valid %v, warnings %v, suggestions %v; want valid, no unknown_country, no suggestion", r.Valid, r.Warnings, r.Suggestions)
			}
			lines := edit(printed, tt.line, tt.col, tt.misread)
			r := mrz.Parse(lines, today)
			if !r.Valid || r.Format != tt.wantFormat {
				t.Fatalf("misread %s: valid %v format %s errors %v; an unknown code is a warning, never invalid", tt.misread, r.Valid, r.Format, r.Errors)
			}
			var w *mrz.Warning
			for i := range r.Warnings {
				if r.Warnings[i].Code == mrz.WarnUnknownCountry {
					if w != nil {
						t.Fatalf("two unknown_country warnings: %+v", r.Warnings)
					}
					w = &r.Warnings[i]
				}
			}
			if w == nil {
				t.Fatalf("no unknown_country warning: %+v", r.Warnings)
			}
			got := [5]any{w.Field, w.Value, w.Line, w.Start, w.End}
			want := [5]any{tt.field, tt.misread, tt.line, tt.col, tt.col + 3}
			if got != want {
				t.Errorf("warning field, value, line, start, end = %v, want %v", got, want)
			}
			if !strings.Contains(w.Message, tt.misread) || !strings.Contains(w.Message, tt.printed) || !slices.Contains(w.Near, tt.printed) {
				t.Errorf("message %q, near %v: want it to name %s and the candidate %s", w.Message, w.Near, tt.misread, tt.printed)
			}
			// The printed code is offered as a whole reading, never applied.
			var found bool
			for _, s := range r.Suggestions {
				if slices.Equal(s.Lines, printed) {
					found = true
				}
				if sr := mrz.Parse(s.Lines, today); !sr.Valid || hasWarning(sr, mrz.WarnUnknownCountry) {
					t.Errorf("suggestion %v: valid %v warnings %v", s.Lines, sr.Valid, sr.Warnings)
				}
			}
			if !found {
				t.Errorf("suggestions %+v: none is the printed reading %v", r.Suggestions, printed)
			}
			field, other := r.Fields.IssuingState, r.Fields.Nationality
			if tt.field == "nationality" {
				field, other = other, field
			}
			// A holder of their own state's document is the likely case.
			if other == tt.printed && w.Near[0] != tt.printed {
				t.Errorf("near %v: the other country field %s is a candidate and must come first", w.Near, other)
			}
			if field != tt.misread {
				t.Errorf("%s = %q: the code as read must stay until the officer confirms, want %q", tt.field, field, tt.misread)
			}
		})
	}
}

// TestUnknownCountryBothFields: a misread state and nationality each warn, at
// their own place; a malformed code is an error and no unknown_country.
func TestUnknownCountryBothFields(t *testing.T) {
	lines := edit(edit(specimenTD3, 1, 3, "KRZ"), 2, 11, "QQQ")
	r := mrz.Parse(lines, today)
	var fields []string
	for _, w := range r.Warnings {
		if w.Code == mrz.WarnUnknownCountry {
			fields = append(fields, w.Field+"="+w.Value)
		}
	}
	if got, want := fields, []string{"issuing_state=KRZ", "nationality=QQQ"}; !r.Valid || !slices.Equal(got, want) {
		t.Errorf("valid %v, unknown_country on %v; want valid, %v", r.Valid, got, want)
	}
	bad := mrz.Parse(edit(specimenTD3, 2, 11, "K1Z"), today)
	if bad.Valid || hasWarning(bad, mrz.WarnUnknownCountry) {
		t.Errorf("nationality K1Z: valid %v warnings %v; want the nationality error alone", bad.Valid, bad.Warnings)
	}
}

// TestUnknownCountryJSON: `bmis mrz` consumers get the warning's field, value
// and span, and the output of a listed code is unchanged.
func TestUnknownCountryJSON(t *testing.T) {
	b, err := json.Marshal(mrz.Parse(edit(specimenTD3, 2, 11, "KRZ"), today))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"unknown_country","message":"The nationality KRZ is not on the ICAO list of country codes: compare it with the printed page. One misread letter away: KAZ (Kazakhstan), KGZ (Kyrgyzstan).","field":"nationality","value":"KRZ","line":2,"start":11,"end":14,"near":["KAZ","KGZ"]}`
	if !strings.Contains(string(b), want) {
		t.Errorf("JSON %s\nwant it to hold %s", b, want)
	}
	b, _ = json.Marshal(mrz.Parse(specimenTD3, today))
	if strings.Contains(string(b), `"field"`) || strings.Contains(string(b), `"near"`) {
		t.Errorf("JSON of the specimen %s: warnings about no field must keep their old form", b)
	}
}

// FuzzKnownCountry: any string is safe to look up; what is known is a listed
// code, and every candidate is listed and one letter away.
func FuzzKnownCountry(f *testing.F) {
	for _, s := range []string{"KGZ", "KRZ", "D", "", "D<<", "\xff\xfe", "ZZZZ", "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if mrz.KnownCountry(s) && mrz.CountryName(s) == "" {
			t.Fatalf("%q known but has no name", s)
		}
		for _, c := range mrz.NearCountries(s) {
			if !mrz.KnownCountry(c) || differ(c, s) != 1 {
				t.Fatalf("NearCountries(%q) offers %q", s, c)
			}
		}
	})
}

func hasWarning(r mrz.Result, code string) bool {
	for _, w := range r.Warnings {
		if w.Code == code {
			return true
		}
	}
	return false
}
