package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// BenchmarkMRZCommand runs `bmis mrz` end to end (read, parse, write JSON)
// over 10,000 generated documents per op, TD3 and TD1 mixed, one in ten with a
// misread character (the error path with suggestions), on every core
// (GOMAXPROCS; -cpu 1 for one), answers in the documents' order.
func BenchmarkMRZCommand(b *testing.B) {
	const docs = 10000
	input, _ := mrzInput(b, 10, docs)
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		if code := runMRZ(context.Background(), []string{"--as-of", "2026-12-04"}, strings.NewReader(input), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(b.N*docs)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(b.N*docs), "µs/doc")
}
