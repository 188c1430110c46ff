package mrz_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

func TestSplitDocuments(t *testing.T) {
	tests := []struct {
		name string
		text string
		want [][]string
	}{
		{"empty", "", nil},
		{"only blank lines", "\n \t\r\n\n", nil},
		{"one document", "A\nB\n", [][]string{{"A", "B"}}},
		{"CRLF and surrounding spaces", " A \r\n\tB\r\n", [][]string{{"A", "B"}}},
		{"blank lines between and around", "\n\nA\nB\n\n\n C\nD\nE\n\n", [][]string{{"A", "B"}, {"C", "D", "E"}}},
		{"whitespace-only separator", "A\n \t \nB", [][]string{{"A"}, {"B"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mrz.SplitDocuments(tt.text)
			if !slices.EqualFunc(got, tt.want, slices.Equal[[]string]) {
				t.Errorf("SplitDocuments(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"LF", strings.Join(specimenTD3, "\n")},
		{"CRLF with a final newline", strings.Join(specimenTD3, "\r\n") + "\r\n"},
		{"blank lines around", "\n\n" + strings.Join(specimenTD3, "\n") + "\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mrz.ParseText(tt.text, today)
			if !r.Valid || r.Fields != mrz.Parse(specimenTD3, today).Fields {
				t.Errorf("ParseText: %v %+v", r.Errors, r.Fields)
			}
		})
	}
	if r := mrz.ParseText("", today); r.Valid || len(r.Errors) != 1 || r.Errors[0].Code != "line_count" {
		t.Errorf("empty text: %+v", r)
	}
}

func TestParseMoreLayouts(t *testing.T) {
	td2Long := compose(t, mrz.TD2, with(anna, func(f *mrz.Fields) {
		f.DocumentCode, f.DocumentNumber, f.OptionalData = "I", "D2314589073", ""
	}))
	// The same number with its check digit computed over the '<' as well.
	withFiller := edit(td2Long, 2, 31, string(mrz.CheckDigit("D23145890<73")))
	l := withFiller[1]
	withFiller = edit(withFiller, 2, 36, string(mrz.CheckDigit(l[0:10]+l[13:20]+l[21:35])))
	td1Full := compose(t, mrz.TD1, with(anna, func(f *mrz.Fields) {
		f.DocumentCode, f.OptionalData = "I", ""
		f.Surname, f.GivenNames = "ERIKSSON", "ANNA MARIA LOUISE" // 8 + 2 + 17 = 27
	}))
	td1Full = edit(td1Full, 3, 28, "ABC")
	fraFull := compose(t, mrz.FrenchID, mrz.Fields{Surname: "DE LA FONTAINE", GivenNames: "JEAN PIERRE",
		DocumentNumber: "880692310285", BirthDate: "651206", Sex: "M", OptionalData: "750123"})

	tests := []struct {
		name     string
		lines    []string
		fields   func(mrz.Fields) bool
		warnings []string
	}{
		{"TD2 long number, check without the filler", td2Long,
			func(f mrz.Fields) bool { return f.DocumentNumber == "D2314589073" }, []string{"specimen", "expired"}},
		{"TD2 long number, check with the filler", withFiller,
			func(f mrz.Fields) bool { return f.DocumentNumber == "D2314589073" }, []string{"specimen", "expired"}},
		{"TD1 name to the last character", td1Full,
			func(f mrz.Fields) bool { return f.GivenNames == "ANNA MARIA LOUISEABC" }, []string{"specimen", "name_truncated", "expired"}},
		{"French card: compound surname, given names with <<, office code", fraFull,
			func(f mrz.Fields) bool {
				return f.Surname == "DE LA FONTAINE" && f.GivenNames == "JEAN PIERRE" && f.OptionalData == "750123"
			}, nil},
		{"French card: given names to the last character", compose(t, mrz.FrenchID, mrz.Fields{Surname: "DE LA FONTAINE",
			GivenNames: "JEAN PIERRE AB", DocumentNumber: "880692310285", BirthDate: "651206", Sex: "M"}),
			func(f mrz.Fields) bool { return f.GivenNames == "JEAN PIERRE AB" }, []string{"name_truncated"}},
	}
	if !strings.Contains(fraFull[1], "JEAN<<PIERRE<<") {
		t.Errorf("French given names are not separated by <<: %q", fraFull[1])
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mrz.Parse(tt.lines, today)
			if !r.Valid {
				t.Fatalf("errors %v", r.Errors)
			}
			if !tt.fields(r.Fields) {
				t.Errorf("fields %+v", r.Fields)
			}
			if got := warningCodes(r); !slices.Equal(got, tt.warnings) {
				t.Errorf("warnings = %v, want %v", got, tt.warnings)
			}
		})
	}
}
