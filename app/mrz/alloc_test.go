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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(200, tt.fn); n > 2 {
				t.Errorf("%v allocations per document, want at most 2", n)
			}
		})
	}
}
