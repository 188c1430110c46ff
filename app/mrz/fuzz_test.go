package mrz_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
)

var knownCodes = map[string]bool{
	"line_count": true, "line_length": true, "charset": true, "document_code": true,
	"issuing_state": true, "nationality": true, "name": true, "document_number": true,
	"birth_date": true, "sex": true, "expiry_date": true, "document_number_check": true,
	"birth_date_check": true, "expiry_date_check": true, "optional_data_check": true,
	"composite_check": true,
}

// FuzzParse: Parse never panics, its result is consistent and marshals, every
// suggestion parses valid, and every valid result composes back to a document
// with the same format and fields.
func FuzzParse(f *testing.F) {
	seeds := [][]string{specimenTD1, specimenTD1Long, specimenTD2, specimenTD3, specimenMRVA, specimenMRVB, sampleFRA, sampleFRA2,
		edit(specimenTD3, 2, 44, "O"), edit(specimenTD3, 1, 12, "0"), edit(specimenTD3, 2, 6, "O"),
		{strings.ToLower(specimenTD3[0]), specimenTD3[1]}, {"I<UTOD23145890<<<<<<<<<<<<<<<<", specimenTD1[1], specimenTD1[2]},
		{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F3210318<<<<<<<<<<<<<<<2"},
		edit(specimenTD3, 2, 11, "KRZ"), edit(specimenTD1, 1, 3, "Q<<"),
		{"\x00\xff", "é"}, {}, {""}, {strings.Repeat("<", 44), strings.Repeat("<", 44)}}
	for i, s := range seeds {
		f.Add(strings.Join(s, "\n"), int16(i*97-300))
	}
	f.Add(strings.Join(specimenTD3, "\n"), int16(-32768))
	f.Fuzz(func(t *testing.T, text string, offset int16) {
		// Today varies ±90 years so the century rules meet every boundary;
		// the extreme offset tries dates of no use at a border (year 1).
		now := today.AddDate(0, 0, int(offset))
		if offset == -32768 {
			now = time.Time{}
		}
		lines := strings.Split(text, "\n")
		if text == "" {
			lines = nil
		}
		r := mrz.Parse(lines, now)
		if r.Valid != (len(r.Errors) == 0) {
			t.Fatalf("Valid = %v with errors %v", r.Valid, r.Errors)
		}
		if r.Valid && r.Format == "" {
			t.Fatalf("valid without a format")
		}
		for _, p := range r.Errors {
			if !knownCodes[p.Code] || p.Message == "" || p.Line < 1 || p.Start < 1 || p.End < p.Start {
				t.Fatalf("bad problem %+v", p)
			}
		}
		for _, w := range r.Warnings {
			if w.Code != mrz.WarnUnknownCountry {
				continue
			}
			// The warning points at the code as read, which is off the list.
			if w.Line < 1 || w.Line > len(lines) || w.Start < 1 || w.End <= w.Start || w.End-1 > len(strings.Trim(lines[w.Line-1], " \t\r\n")) {
				t.Fatalf("bad unknown_country %+v", w)
			}
			if got := strings.TrimRight(strings.Trim(lines[w.Line-1], " \t\r\n")[w.Start-1:w.End-1], "<"); got != w.Value || mrz.KnownCountry(got) {
				t.Fatalf("unknown_country %+v: the span holds %q", w, got)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("marshal: %v", err)
		}
		for _, iso := range []string{r.Fields.BirthDateISO, r.Fields.ExpiryDateISO} {
			if _, err := time.Parse("2006-01-02", iso); iso != "" && err != nil {
				t.Fatalf("ISO date %q: %v", iso, err)
			}
		}
		for _, s := range r.Suggestions {
			if len(s.Changes) == 0 || !mrz.Parse(s.Lines, now).Valid {
				t.Fatalf("suggestion %+v is not a valid repair", s)
			}
		}
		if r2 := mrz.ParseText(text, now); len(lines) > 0 && !strings.Contains(text, "\n\n") && r2.Valid != r.Valid && !strings.HasPrefix(text, "\n") && !strings.HasSuffix(text, "\n") {
			t.Fatalf("ParseText disagrees with Parse: %v vs %v", r2.Errors, r.Errors)
		}
		if !r.Valid {
			return
		}
		back, err := mrz.Compose(r.Format, r.Fields)
		if err != nil {
			t.Fatalf("Compose(%s, %+v) of a valid document: %v", r.Format, r.Fields, err)
		}
		r3 := mrz.Parse(back, now)
		if !r3.Valid || r3.Format != r.Format || r3.Fields != r.Fields {
			t.Fatalf("round trip of %q\nvia %q\ngave %s %+v %v\nwant %s %+v", lines, back, r3.Format, r3.Fields, r3.Errors, r.Format, r.Fields)
		}
	})
}
