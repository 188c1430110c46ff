package main

import (
	"context"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chekara/chekara/devices/ocr/synth"
)

// BenchmarkMRZCommand runs `bmis mrz` end to end (read, parse, write JSON)
// over 10,000 generated documents per op, TD3 and TD1 mixed, one in ten with a
// misread character (the error path with suggestions).
func BenchmarkMRZCommand(b *testing.B) {
	rng := rand.New(rand.NewPCG(10, 10))
	var in strings.Builder
	const docs = 10000
	for i := range docs {
		format := synth.TD3
		if i%3 == 0 {
			format = synth.TD1
		}
		lines := synth.RandomMRZ(rng, format, synth.Today)
		if i%10 == 0 {
			l := []byte(lines[len(lines)-1])
			l[rng.IntN(len(l))] = 'O'
			lines[len(lines)-1] = string(l)
		}
		in.WriteString(strings.Join(lines, "\n"))
		in.WriteString("\n\n")
	}
	input := in.String()
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		if code := runMRZ(context.Background(), []string{"--as-of", "2026-12-04"}, strings.NewReader(input), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(b.N*docs)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N*docs), "µs/doc")
}
