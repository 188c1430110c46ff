package mrz_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chekara/chekara/app/mrz"
)

// appendJSONCases are documents whose results cover every part of the JSON:
// no format, errors, warnings with and without a field, suggestions, escapes.
func appendJSONCases() [][]string {
	cases := [][]string{specimenTD1, specimenTD1Long, specimenTD2, specimenTD3, specimenMRVA, specimenMRVB, sampleFRA, sampleFRA2,
		edit(specimenTD3, 2, 44, "O"), edit(specimenTD3, 1, 12, "0"), edit(specimenTD3, 2, 6, "O"),
		edit(specimenTD3, 2, 11, "KRZ"), edit(specimenTD1, 1, 3, "Q<<"), edit(specimenTD1, 1, 1, "IV"),
		{"\x00\xff\"\\", "é\u2028"}, {}, {""}, {strings.Repeat("<", 44), strings.Repeat("<", 44)}}
	rng := rand.New(rand.NewPCG(14, 14))
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<"
	for range 300 {
		doc := append([]string(nil), specimenTD3...)
		line := []byte(doc[rng.IntN(2)])
		for range 1 + rng.IntN(3) {
			line[rng.IntN(len(line))] = chars[rng.IntN(len(chars))]
		}
		doc[rng.IntN(2)] = string(line)
		cases = append(cases, doc)
	}
	return cases
}

// TestAppendJSONIsMarshalJSON: the hand-written encoder writes exactly the
// bytes of the JSON contract's MarshalJSON.
func TestAppendJSONIsMarshalJSON(t *testing.T) {
	for i, lines := range appendJSONCases() {
		r := mrz.Parse(lines, today)
		want, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("case %d %q:\n got %s\nwant %s", i, lines, got, want)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	for _, lines := range appendJSONCases()[:20] {
		f.Add(strings.Join(lines, "\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := mrz.Parse(strings.Split(text, "\n"), today)
		want, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	r := mrz.Parse(specimenTD3, today)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendJSON(buf[:0])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkMarshalJSON(b *testing.B) {
	r := mrz.Parse(specimenTD3, today)
	b.ReportAllocs()
	for b.Loop() {
		r.MarshalJSON()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
