package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/reader/readertest"
)

// lockedBuffer is stdout shared between the running command and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// readerOutput is one line of `bmis reader` output, keys checked by the decoder.
type readerOutput struct {
	Event   string          `json:"event"`
	Lines   []string        `json:"lines"`
	MRZ     json.RawMessage `json:"mrz"`
	Message string          `json:"message"`
	Raw     string          `json:"raw"`
}

func readerOutputs(t *testing.T, s string) []readerOutput {
	t.Helper()
	var out []readerOutput
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		var o readerOutput
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, o)
	}
	return out
}

// waitFor polls the output until cond holds, or fails after 20s.
func waitFor(t *testing.T, out *lockedBuffer, what string, cond func([]readerOutput) bool) []readerOutput {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		evs := readerOutputs(t, out.String())
		if cond(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 20s; output:\n%s", what, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countEvents(evs []readerOutput, event string) int {
	n := 0
	for _, e := range evs {
		if e.Event == event {
			n++
		}
	}
	return n
}

// `bmis reader` and `bmis reader-sim` against each other over a pty cable, for
// every protocol, as docs/readers.md shows them with socat.
func TestReaderCommandAgainstSimulator(t *testing.T) {
	specimens, err := os.ReadFile("../../devices/reader/testdata/specimens.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{}
	for _, block := range strings.Split(strings.TrimSpace(string(specimens)), "\n\n") {
		want = append(want, strings.Split(block, "\n"))
	}
	tests := []struct {
		protocol string
		extra    []string
	}{
		{"lines", nil},
		{"3m", nil},
		{"desko", []string{"--desko-sod", "1c", "--desko-eod", "1d"}},
		{"elyctis", nil},
	}
	for _, tt := range tests {
		t.Run(tt.protocol, func(t *testing.T) {
			a, b := readertest.Cable(t, t.TempDir())
			ctx, cancel := context.WithCancel(context.Background())
			var out, errOut lockedBuffer
			done := make(chan int, 1)
			args := append([]string{"reader", "--protocol", tt.protocol, "--port", b.Path, "--silence", "1s"}, tt.extra...)
			go func() { done <- run(ctx, args, strings.NewReader(""), &out, &errOut) }()
			waitFor(t, &out, "connected event", func(evs []readerOutput) bool { return countEvents(evs, "connected") == 1 })

			var simErr bytes.Buffer
			simArgs := append([]string{"reader-sim", "--protocol", tt.protocol, "--port", a.Path, "--interval", "50ms", "--faults", "split,garbage", "--seed", "3"}, tt.extra...)
			if code := run(context.Background(), simArgs, bytes.NewReader(specimens), &bytes.Buffer{}, &simErr); code != 0 {
				t.Fatalf("reader-sim exit %d: %s", code, simErr.String())
			}
			evs := waitFor(t, &out, "5 documents", func(evs []readerOutput) bool { return countEvents(evs, "document") == len(want) })
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("reader exit %d after interrupt: %s", code, errOut.String())
			}

			var got [][]string
			for _, e := range evs {
				switch e.Event {
				case "document":
					got = append(got, e.Lines)
					var res struct {
						Format string `json:"format"`
						Valid  bool   `json:"valid"`
					}
					if err := json.Unmarshal(e.MRZ, &res); err != nil || res.Format == "" || !res.Valid {
						t.Errorf("document %q: mrz %s, want the bmis mrz object of a valid MRZ", e.Lines, e.MRZ)
					}
					if e.Raw == "" {
						t.Error("document without its raw bytes")
					}
				case "error":
					if e.Message == "" || e.Raw == "" {
						t.Errorf("error event without message or raw: %+v", e)
					}
				case "connected":
				default:
					t.Errorf("unexpected event %+v", e)
				}
			}
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("documents %q, want %q", got, want)
			}
			if countEvents(evs, "error") == 0 {
				t.Error("the garbage fault gave no error event")
			}
		})
	}
}

func TestReaderCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no protocol", []string{"reader", "--port", "/dev/null"}},
		{"unknown protocol", []string{"reader", "--protocol", "eseek", "--port", "/dev/null"}},
		{"desko without SOD", []string{"reader", "--protocol", "desko", "--port", "/dev/null", "--desko-eod", "1d"}},
		{"bad hex", []string{"reader", "--protocol", "3m", "--port", "/dev/null", "--3m-flag", "zz"}},
		{"parity", []string{"reader", "--protocol", "3m", "--port", "/dev/null", "--parity", "mark"}},
		{"no port", []string{"reader", "--protocol", "3m"}},
		{"sim unknown fault", []string{"reader-sim", "--protocol", "3m", "--port", "/dev/null", "--faults", "split,melt"}},
		{"sim bad-bcc without BCC", []string{"reader-sim", "--protocol", "lines", "--port", "/dev/null", "--faults", "bad-bcc"}},
		{"sim missing docs file", []string{"reader-sim", "--protocol", "3m", "--port", "/dev/null", "--docs", "/nonexistent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader("P<UTO\n"), &out, &errb)
			if code != 2 || errb.Len() == 0 {
				t.Errorf("exit %d, stderr %q; want 2 with a message", code, errb.String())
			}
		})
	}
}
