package reader_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/devices/reader/readertest"
)

// simulate runs the simulator to the end on the port at path.
func simulate(t *testing.T, p reader.Protocol, path string, faults string, seed uint64, docs [][]string) {
	t.Helper()
	fs, err := reader.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	err = reader.Simulate(context.Background(), reader.SimConfig{
		Protocol: p, Serial: reader.Serial{Port: path}, Faults: fs, Seed: seed,
		Interval: simTiming(faults).interval, ByteDelay: time.Millisecond, ArmWait: 3 * time.Second,
	}, docs)
	if err != nil {
		t.Fatalf("Simulate: %v", err)
	}
}

// timing is the reading side's inter-byte timeout and the simulator's pause
// between documents. The shared test machine can stall a process for hundreds of
// milliseconds, which a short timeout would rightly call a torn frame; so the
// timeout is long, except where a cut-off frame must be told from a pause, and
// there the pause is a multiple of it.
type timing struct{ silence, interval time.Duration }

func simTiming(faults string) timing {
	if strings.Contains(faults, reader.FaultTruncate) {
		return timing{silence: 400 * time.Millisecond, interval: 1200 * time.Millisecond}
	}
	return timing{silence: time.Second, interval: 100 * time.Millisecond}
}

// collect gathers events until want documents have come (or 20s passed), then
// a while longer, to catch anything invented after the last document. (The last
// document — the 7th — is never a damaged one, so every expected error comes
// before it.)
func collect(ch <-chan app.ReaderEvent, want int) []app.ReaderEvent {
	var evs []app.ReaderEvent
	docs := 0
	deadline := time.After(20 * time.Second)
	for docs < want {
		select {
		case ev := <-ch:
			evs = append(evs, ev)
			if ev.Kind == app.ReaderDocument {
				docs++
			}
		case <-deadline:
			return evs
		}
	}
	for {
		select {
		case ev := <-ch:
			evs = append(evs, ev)
		case <-time.After(300 * time.Millisecond):
			return evs
		}
	}
}

// The simulator and the driver against each other over a pty cable, for every
// protocol and fault: the documents that should arrive arrive, in order and byte
// for byte, the damaged ones come as errors, and no document is invented.
func TestSimulatorFaults(t *testing.T) {
	docs := specimens(t)
	var all, odd []int // bad-bcc and truncate damage every second document: odd keeps the 1st, 3rd…
	for i := range docs {
		all = append(all, i)
		if i%2 == 0 {
			odd = append(odd, i)
		}
	}
	tests := []struct {
		faults    string
		protocols []string
		want      []int  // indexes of the documents that arrive
		wantErr   string // text every error event has; "" means no error events
		minErrs   int
	}{
		{"", nil, all, "", 0},
		{"split", nil, all, "", 0},
		{"slow", nil, all, "", 0},
		{"disconnect", nil, all, "", 0},
		{"garbage", nil, all, "", len(docs)},
		{"bad-bcc", []string{reader.ProtocolThreeM}, odd, "checksum", 2},
		{"truncate", nil, odd, "cut off", 2},
		{"split,garbage,truncate,disconnect", nil, odd, "", len(docs)},
	}
	// The cases mostly wait on timers; they run side by side, more of them than
	// t.Parallel would allow on a 2-core machine (t.Run may be called from
	// several goroutines at once).
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, tt := range tests {
		for _, p := range protocols() {
			if tt.protocols != nil && !slices.Contains(tt.protocols, p.Name) {
				continue
			}
			name := tt.faults
			if name == "" {
				name = "none"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				t.Run(name+"/"+label(p), func(t *testing.T) {
					a, b := readertest.Cable(t, t.TempDir())
					silence := simTiming(tt.faults).silence
					ch := events(t, reader.Config{Protocol: p, Serial: reader.Serial{Port: b.Path}, Silence: silence})
					next(t, ch, app.ReaderConnected)
					simulate(t, p, a.Path, tt.faults, 1, docs)
					evs := collect(ch, len(tt.want))

					var got [][]string
					errs := 0
					for _, ev := range evs {
						switch ev.Kind {
						case app.ReaderDocument:
							got = append(got, ev.Lines)
						case app.ReaderError:
							errs++
							if tt.wantErr == "" && tt.minErrs == 0 || !strings.Contains(ev.Message, tt.wantErr) {
								t.Errorf("error event %q (raw %q)", ev.Message, ev.Raw)
							}
						default:
							t.Errorf("unexpected %s event %q", ev.Kind, ev.Message)
						}
					}
					var want [][]string
					for _, i := range tt.want {
						want = append(want, docs[i])
					}
					if !slices.EqualFunc(got, want, slices.Equal) {
						t.Errorf("documents\n%q\nwant\n%q", got, want)
					}
					if errs < tt.minErrs {
						t.Errorf("%d error events, want at least %d", errs, tt.minErrs)
					}
				})
			}()
		}
	}
}

// What the simulator puts on the wire: exactly the encoder's frames without
// faults, and the same bytes for the same seed with random faults.
func TestSimulatorBytes(t *testing.T) {
	docs := specimens(t)
	p := reader.Protocol{Name: reader.ProtocolThreeM}
	wire := func(faults string, seed uint64) []byte {
		port := readertest.NewPort(t, t.TempDir(), "sim")
		var got bytes.Buffer
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 512)
			m := port.Master()
			for {
				m.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
				n, err := m.Read(buf)
				got.Write(buf[:n])
				if err != nil {
					return
				}
			}
		}()
		simulate(t, p, port.Path, faults, seed, docs)
		wg.Wait()
		return got.Bytes()
	}
	var frames []byte
	for _, d := range docs {
		frames = append(frames, encode(t, p, d)...)
	}
	if got := wire("", 1); !bytes.Equal(got, frames) {
		t.Errorf("without faults the wire has\n%q\nwant the frames\n%q", got, frames)
	}
	one, again, other := wire("garbage,split", 7), wire("garbage,split", 7), wire("garbage,split", 8)
	if !bytes.Equal(one, again) {
		t.Error("the same seed gave different bytes")
	}
	if bytes.Equal(one, other) {
		t.Error("another seed gave the same bytes")
	}
}

func TestSimulateRejects(t *testing.T) {
	docs := [][]string{{"ABC"}}
	tests := []struct {
		name string
		cfg  reader.SimConfig
	}{
		{"bad-bcc without a BCC", reader.SimConfig{Protocol: reader.Protocol{Name: reader.ProtocolElyctis}, Serial: reader.Serial{Port: os.DevNull}, Faults: []string{reader.FaultBadBCC}}},
		{"unknown protocol", reader.SimConfig{Protocol: reader.Protocol{Name: "x"}, Serial: reader.Serial{Port: os.DevNull}}},
		{"no port", reader.SimConfig{Protocol: reader.Protocol{Name: reader.ProtocolLines}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := reader.Simulate(context.Background(), tt.cfg, docs)
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("Simulate: %v (code %q), want %q", err, got, want)
			}
		})
	}
	if _, err := reader.ParseFaults("split,wobble"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("ParseFaults(wobble): %v, want EINVALID", err)
	}
	if _, err := reader.ReadDocuments(strings.NewReader("\n \n")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("ReadDocuments(blank): %v, want EINVALID", err)
	}
}
