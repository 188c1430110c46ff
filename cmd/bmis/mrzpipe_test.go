package main

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/mrz"
	"github.com/chekara/chekara/devices/ocr/synth"
)

// mrzInput makes n documents, TD3 and TD1 mixed, one in ten with a misread
// character, as the benchmark reads them.
func mrzInput(tb testing.TB, seed uint64, n int) (string, [][]string) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	var in strings.Builder
	var docs [][]string
	for i := range n {
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
		docs = append(docs, lines)
		in.WriteString(strings.Join(lines, "\n"))
		in.WriteString("\n\n")
	}
	return in.String(), docs
}

// On every core, the answers still come in the documents' order, each the
// one a single parse gives.
func TestMRZCommandKeepsOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	input, docs := mrzInput(t, 14, 5000)
	today := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	var want strings.Builder
	for _, d := range docs {
		want.Write(append(mrz.Parse(d, today).AppendJSON(nil), '\n'))
	}
	for i := range 3 {
		code, stdout, stderr := runMRZCommand(t, input, "--as-of", "2026-12-04")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if stdout != want.String() {
			got, wantLines := strings.Split(stdout, "\n"), strings.Split(want.String(), "\n")
			for j := range min(len(got), len(wantLines)) {
				if got[j] != wantLines[j] {
					t.Fatalf("run %d: answer %d of %d (%d docs) is\n%s\nwant\n%s", i, j, len(got), len(docs), got[j], wantLines[j])
				}
			}
			t.Fatalf("run %d: %d answers, want %d", i, len(got), len(wantLines))
		}
	}
}

// errWriter fails every write after the first n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("broken pipe")
	}
	return len(p), nil
}

// A reader of the answers that goes away (a closed pipe) stops the command
// with exit 1 and the reason; it does not read the rest of stdin.
func TestMRZCommandWriteFails(t *testing.T) {
	input, _ := mrzInput(t, 15, 3000)
	r := &countingReader{r: strings.NewReader(strings.Repeat(input, 20))}
	var errb strings.Builder
	code := run(context.Background(), []string{"mrz"}, r, &errWriter{n: 1 << 16}, &errb)
	if code != 1 || !strings.Contains(errb.String(), "broken pipe") {
		t.Errorf("exit %d, stderr %q; want 1 and the write error", code, errb.String())
	}
	if r.n >= 20*len(input) {
		t.Errorf("read all %d bytes of stdin after the output failed", r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
