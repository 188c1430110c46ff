//go:build !race

package mrz_test

import (
	"strings"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

// TestParseAllocations holds the hot path to issue 2's budget: at most two
// allocations per valid document (derived values, warnings).
func TestParseAllocations(t *testing.T) {
	for _, lines := range [][]string{kyrgyzTD3, germanTD1} {
		if r := mrz.Parse(lines, today); !r.Valid || len(r.Warnings) != 0 {
			t.Fatalf("%v: valid %v, warnings %v; want a valid reading with no warning", lines, r.Valid, r.Warnings)
		}
	}
	text := strings.Join(specimenTD3, "\r\n")
	tests := []struct {
		name string
		fn   func()
	}{
		{"TD3 specimen", func() { mrz.Parse(specimenTD3, today) }},
		{"TD1 specimen", func() { mrz.Parse(specimenTD1, today) }},
		{"TD1 long number", func() { mrz.Parse(specimenTD1Long, today) }},
		{"TD2 specimen", func() { mrz.Parse(specimenTD2, today) }},
		{"MRV-A specimen", func() { mrz.Parse(specimenMRVA, today) }},
		{"French card", func() { mrz.Parse(sampleFRA, today) }},
		{"ParseText TD3", func() { mrz.ParseText(text, today) }},
		// Real codes: the country list lookup costs nothing.
		{"TD3 Kyrgyz passport", func() { mrz.Parse(kyrgyzTD3, today) }},
		{"TD1 German card", func() { mrz.Parse(germanTD1, today) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(200, tt.fn); n > 2 {
				t.Errorf("%v allocations per document, want at most 2", n)
			}
		})
	}
}

// Documents with listed codes and no warning at all.
var (
	kyrgyzTD3 = []string{"P<KGZASANOV<<TALANT<<<<<<<<<<<<<<<<<<<<<<<<<", "AC12345674KGZ8806150M3102282<<<<<<<<<<<<<<<0"}
	germanTD1 = []string{"IDD<<T220001293<<<<<<<<<<<<<<<", "6408125F3103153D<<<<<<<<<<<<<8", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"}
)
