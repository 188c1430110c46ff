package mrz_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

func TestParseSuggestions(t *testing.T) {
	// A passport whose document number has a single confusable character, so
	// its check digit can prove the repair.
	proven := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.DocumentNumber = "X04734790" }))
	td1 := compose(t, mrz.TD1, with(anna, func(f *mrz.Fields) {
		f.DocumentCode, f.OptionalData, f.OptionalData2 = "ID", "", "XY123"
	}))
	noPersonal := compose(t, mrz.TD3, with(anna, func(f *mrz.Fields) { f.OptionalData = "" }))

	tests := []struct {
		name    string
		lines   []string
		want    []string // the suggested lines; nil: no suggestion
		changes []mrz.Change
	}{
		{"O for 0 in dates and the composite (field type proves it)",
			edit(edit(edit(specimenTD3, 2, 16, "O"), 2, 24, "O"), 2, 44, "O"), specimenTD3,
			[]mrz.Change{{Line: 2, Column: 16, From: "O", To: "0"}, {Line: 2, Column: 24, From: "O", To: "0"}, {Line: 2, Column: 44, From: "O", To: "0"}}},
		{"0 for O in the name", edit(specimenTD3, 1, 12, "0"), specimenTD3,
			[]mrz.Change{{Line: 1, Column: 12, From: "0", To: "O"}}},
		{"5 for S in the issuing state and 1 for I in the nationality",
			edit(edit(edit(specimenTD3, 1, 3, "UT0"), 2, 11, "UT0"), 1, 7, "R1K"),
			specimenTD3, []mrz.Change{{Line: 1, Column: 5, From: "0", To: "O"}, {Line: 1, Column: 8, From: "1", To: "I"}, {Line: 2, Column: 13, From: "0", To: "O"}}},
		{"Z for 2 in a check digit", edit(specimenTD3, 2, 20, "Z"), specimenTD3,
			[]mrz.Change{{Line: 2, Column: 20, From: "Z", To: "2"}}},
		{"filler read as K in an empty personal number's check digit", edit(noPersonal, 2, 43, "K"), noPersonal,
			[]mrz.Change{{Line: 2, Column: 43, From: "K", To: "<"}}},
		{"filler read as K for sex", withCompositeTD3(edit(specimenTD3, 2, 21, "<")), nil, nil}, // valid: no suggestion needed
		{"O for 0 in a document number, proven by its check digit", edit(proven, 2, 2, "O"), proven,
			[]mrz.Change{{Line: 2, Column: 2, From: "O", To: "0"}}},
		{"I for 1 in TD1 optional data, proven by the composite", edit(td1, 2, 21, "I"), td1,
			[]mrz.Change{{Line: 2, Column: 21, From: "I", To: "1"}}},
		{"1 for I in a TD1 name; optional data the composite confirms stays as read", edit(td1, 3, 3, "1"), td1,
			[]mrz.Change{{Line: 3, Column: 3, From: "1", To: "I"}}},
		{"lowercase with an O for 0: upper-cased and repaired",
			[]string{strings.ToLower(specimenTD3[0]), edit(specimenTD3, 2, 44, "O")[1]}, specimenTD3, nil},
		// Not proven: no suggestion.
		{"two readings pass the check digits (B/8 twice)", edit(specimenTD3, 2, 6, "O"), nil, nil},
		{"sex X cannot be repaired", withCompositeTD3(edit(specimenTD3, 2, 21, "X")), nil, nil},
		{"a wrong digit is not an OCR confusion", withCompositeTD3(edit(specimenTD3, 2, 10, "4")), nil, nil},
		{"visa optional data is covered by no check", edit(specimenMRVA, 2, 44, "K"), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mrz.Parse(tt.lines, today)
			if tt.want == nil {
				if len(r.Suggestions) != 0 {
					t.Fatalf("suggestions = %+v, want none", r.Suggestions)
				}
				return
			}
			if r.Valid {
				t.Fatalf("the input parses valid; the test needs an error")
			}
			if len(r.Suggestions) != 1 {
				t.Fatalf("suggestions = %+v, want one (errors %v)", r.Suggestions, r.Errors)
			}
			s := r.Suggestions[0]
			if got, want := s.Lines, tt.want; !slices.Equal(got, want) {
				t.Errorf("lines = %q, want %q", got, want)
			}
			if tt.changes != nil && !slices.Equal(s.Changes, tt.changes) {
				t.Errorf("changes = %+v, want %+v", s.Changes, tt.changes)
			}
			if !mrz.Parse(s.Lines, today).Valid {
				t.Errorf("suggested lines do not parse valid")
			}
			// Every change is listed: applying them to the input gives the lines.
			got := slices.Clone(tt.lines)
			for _, c := range s.Changes {
				l := strings.TrimSpace(got[c.Line-1])
				if l[c.Column-1:c.Column] != c.From {
					t.Errorf("change %+v: input has %q there", c, l[c.Column-1:c.Column])
				}
				got[c.Line-1] = l[:c.Column-1] + c.To + l[c.Column:]
			}
			if !slices.Equal(got, s.Lines) {
				t.Errorf("applying the changes gives %q, not the suggested lines", got)
			}
		})
	}
}

// TestParseRepairBounded feeds layouts full of confusable characters, the worst
// case of the search, and holds it to a time budget.
func TestParseRepairBounded(t *testing.T) {
	junk := []struct {
		name  string
		lines []string
	}{
		{"TD3 of confusables", []string{"P<UTO" + strings.Repeat("0", 39), strings.Repeat("OSB8<K", 7) + "S5"}},
		{"TD1 of confusables", []string{strings.Repeat("I1", 15), strings.Repeat("S5", 15), strings.Repeat("Z2", 15)}},
		{"TD2 of confusables", []string{"I<UTO" + strings.Repeat("8", 31), strings.Repeat("B8O0", 9)}},
		{"TD1 long number of confusables", []string{"I<UTO" + strings.Repeat("B", 9) + "<" + strings.Repeat("S", 15), strings.Repeat("O", 30), strings.Repeat("A", 30)}},
	}
	for _, tt := range junk {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := mrz.Parse(tt.lines, today)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Parse took %v", d)
			}
			for _, s := range r.Suggestions {
				if !mrz.Parse(s.Lines, today).Valid {
					t.Errorf("suggestion %q does not parse valid", s.Lines)
				}
			}
		})
	}
}
