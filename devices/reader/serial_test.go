package reader_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
	"github.com/chekara/chekara/devices/reader/readertest"
)

// events runs the reader until the test ends and returns its event stream.
func events(t *testing.T, cfg reader.Config) <-chan app.ReaderEvent {
	t.Helper()
	r, err := reader.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan app.ReaderEvent, 256)
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, func(ev app.ReaderEvent) { ch <- ev }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return ch
}

// fixedClock is an app.Clock stopped at one instant.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// next waits for the next event and checks its kind.
func next(t *testing.T, ch <-chan app.ReaderEvent, kind app.ReaderEventKind) app.ReaderEvent {
	t.Helper()
	select {
	case ev := <-ch:
		if ev.Kind != kind {
			t.Fatalf("event %s (%q, raw %q), want %s", ev.Kind, ev.Message, ev.Raw, kind)
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s event within 5s", kind)
	}
	return app.ReaderEvent{}
}

// quiet checks that no event comes within d.
func quiet(t *testing.T, ch <-chan app.ReaderEvent, d time.Duration) {
	t.Helper()
	select {
	case ev := <-ch:
		t.Fatalf("unexpected event %s (%q, lines %q, raw %q)", ev.Kind, ev.Message, ev.Lines, ev.Raw)
	case <-time.After(d):
	}
}

// expectBytes reads want from the port's master (what the driver wrote).
func expectBytes(t *testing.T, port *readertest.Port, want []byte) {
	t.Helper()
	got := make([]byte, 0, len(want))
	buf := make([]byte, 64)
	m := port.Master()
	m.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer m.SetReadDeadline(time.Time{})
	for len(got) < len(want) {
		n, err := m.Read(buf[:len(want)-len(got)])
		if err != nil {
			t.Fatalf("reading what the driver sent: %v (so far % x)", err, got)
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("driver sent % x, want % x", got, want)
	}
}

func TestReaderEveryProtocol(t *testing.T) {
	for _, p := range protocols() {
		t.Run(label(p), func(t *testing.T) {
			port := readertest.NewPort(t, t.TempDir(), "reader")
			ch := events(t, reader.Config{Protocol: p, Serial: reader.Serial{Port: port.Path, Baud: 115200}})
			next(t, ch, app.ReaderConnected)
			for _, doc := range specimens(t) {
				if arm := p.Arm(); arm != nil {
					expectBytes(t, port, arm) // sent on connect, and again after every read
				}
				frame := encode(t, p, doc)
				port.Write(frame)
				ev := next(t, ch, app.ReaderDocument)
				if !slices.Equal(ev.Lines, doc) {
					t.Errorf("lines %q, want %q", ev.Lines, doc)
				}
				if p.Name != reader.ProtocolLines && !bytes.Equal(ev.Raw, frame) {
					t.Errorf("raw %q, want %q", ev.Raw, frame)
				}
			}
			quiet(t, ch, 50*time.Millisecond)
		})
	}
}

func TestReaderSerialSettings(t *testing.T) {
	tests := []struct {
		name string
		s    reader.Serial
	}{
		{"7E1", reader.Serial{Baud: 9600, DataBits: 7, Parity: "even", StopBits: 1}},
		{"8O2", reader.Serial{Baud: 19200, DataBits: 8, Parity: "odd", StopBits: 2}},
		{"defaults", reader.Serial{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := readertest.NewPort(t, t.TempDir(), "reader")
			tt.s.Port = port.Path
			p := reader.Protocol{Name: reader.ProtocolThreeM}
			at := time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)
			ch := events(t, reader.Config{Protocol: p, Serial: tt.s, Clock: fixedClock(at)})
			next(t, ch, app.ReaderConnected)
			doc := specimens(t)[0]
			port.Write(encode(t, p, doc))
			ev := next(t, ch, app.ReaderDocument)
			if !slices.Equal(ev.Lines, doc) {
				t.Errorf("lines %q, want %q", ev.Lines, doc)
			}
			if !ev.At.Equal(at) {
				t.Errorf("event at %v, want the injected clock's %v", ev.At, at)
			}
		})
	}
}

func TestReaderTimeouts(t *testing.T) {
	docs := specimens(t)
	threeM := reader.Protocol{Name: reader.ProtocolThreeM}
	lines := reader.Protocol{Name: reader.ProtocolLines}
	port := readertest.NewPort(t, t.TempDir(), "reader")

	t.Run("3m frame torn by a pause", func(t *testing.T) {
		ch := events(t, reader.Config{Protocol: threeM, Serial: reader.Serial{Port: port.Path}, Silence: 50 * time.Millisecond})
		next(t, ch, app.ReaderConnected)
		frame := encode(t, threeM, docs[3])
		port.Write(frame[:40])
		time.Sleep(150 * time.Millisecond)
		port.Write(frame[40:])
		if ev := next(t, ch, app.ReaderError); !strings.Contains(ev.Message, "cut off") || !bytes.Equal(ev.Raw, frame[:40]) {
			t.Errorf("first error %q raw %q, want the torn frame", ev.Message, ev.Raw)
		}
		if ev := next(t, ch, app.ReaderError); !bytes.Equal(ev.Raw, frame[40:]) {
			t.Errorf("second error raw %q, want the frame's tail skipped", ev.Raw)
		}
		port.Write(frame)
		if ev := next(t, ch, app.ReaderDocument); !slices.Equal(ev.Lines, docs[3]) {
			t.Errorf("lines %q, want %q", ev.Lines, docs[3])
		}
		quiet(t, ch, 100*time.Millisecond)
	})
	t.Run("lines document ended by a pause", func(t *testing.T) {
		ch := events(t, reader.Config{Protocol: lines, Serial: reader.Serial{Port: port.Path}, Silence: 50 * time.Millisecond})
		next(t, ch, app.ReaderConnected)
		port.Write([]byte(docs[0][0] + "\r\n" + docs[0][1] + "\r\n" + docs[0][2] + "\r\n"))
		if ev := next(t, ch, app.ReaderDocument); !slices.Equal(ev.Lines, docs[0]) {
			t.Errorf("lines %q, want %q", ev.Lines, docs[0])
		}
		quiet(t, ch, 100*time.Millisecond)
	})
}

// An unplug mid-frame: the torn frame is reported (never delivered as a document),
// then the disconnection at once; when the device comes back under the same path
// the driver reconnects by itself and the next document arrives.
func TestReaderUnplug(t *testing.T) {
	for _, p := range protocols() {
		t.Run(label(p), func(t *testing.T) {
			docs := specimens(t)
			port := readertest.NewPort(t, t.TempDir(), "reader")
			ch := events(t, reader.Config{Protocol: p, Serial: reader.Serial{Port: port.Path},
				Silence: 2 * time.Second, MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond})
			next(t, ch, app.ReaderConnected)
			if arm := p.Arm(); arm != nil {
				expectBytes(t, port, arm)
			}
			port.Write(encode(t, p, docs[0]))
			next(t, ch, app.ReaderDocument)
			if arm := p.Arm(); arm != nil {
				expectBytes(t, port, arm)
			}

			frame := encode(t, p, docs[3])
			port.Write(frame[:len(frame)/2])
			time.Sleep(50 * time.Millisecond) // let the driver take the half frame in
			port.Unplug()
			if ev := next(t, ch, app.ReaderError); !bytes.Equal(ev.Raw, frame[:len(frame)/2]) {
				t.Errorf("torn frame raw %q, want %q", ev.Raw, frame[:len(frame)/2])
			}
			if ev := next(t, ch, app.ReaderDisconnected); ev.Message == "" {
				t.Error("disconnected without a message")
			}
			time.Sleep(100 * time.Millisecond) // a few failed reopen attempts
			port.Plug()
			next(t, ch, app.ReaderConnected)
			if arm := p.Arm(); arm != nil {
				expectBytes(t, port, arm)
			}
			port.Write(frame)
			if ev := next(t, ch, app.ReaderDocument); !slices.Equal(ev.Lines, docs[3]) {
				t.Errorf("after replug: lines %q, want %q", ev.Lines, docs[3])
			}
			quiet(t, ch, 50*time.Millisecond)
		})
	}
}

// A reader that is not there at start: one disconnected event, reopen attempts
// with doubling, capped waits on the injected timer, then connected.
func TestReaderBackoff(t *testing.T) {
	dir := t.TempDir()
	waits := make(chan time.Duration, 100)
	tick := make(chan time.Time)
	close(tick) // every wait ends at once; the test only looks at the durations asked for
	ch := events(t, reader.Config{
		Protocol:   reader.Protocol{Name: reader.ProtocolThreeM},
		Serial:     reader.Serial{Port: dir + "/reader"},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 80 * time.Millisecond,
		After: func(d time.Duration) <-chan time.Time {
			if len(waits) < cap(waits) {
				waits <- d
				return tick
			}
			return time.After(time.Millisecond) // enough seen: wait for real until plugged
		},
	})
	if ev := next(t, ch, app.ReaderDisconnected); !strings.Contains(ev.Message, "not found") {
		t.Errorf("message %q, want it to say the reader is not found", ev.Message)
	}
	var got []time.Duration
	for range 6 {
		got = append(got, <-waits)
	}
	want := []time.Duration{10, 20, 40, 80, 80, 80}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if !slices.Equal(got, want) {
		t.Errorf("backoff %v, want %v", got, want)
	}
	readertest.NewPort(t, dir, "reader")
	next(t, ch, app.ReaderConnected) // and no second disconnected before it
}

func TestNewRejects(t *testing.T) {
	ok := reader.Protocol{Name: reader.ProtocolLines}
	tests := []struct {
		name string
		cfg  reader.Config
	}{
		{"unknown protocol", reader.Config{Protocol: reader.Protocol{Name: "e-seek"}, Serial: reader.Serial{Port: "/dev/null"}}},
		{"desko without SOD/EOD", reader.Config{Protocol: reader.Protocol{Name: reader.ProtocolDesko}, Serial: reader.Serial{Port: "/dev/null"}}},
		{"no port", reader.Config{Protocol: ok}},
		{"parity", reader.Config{Protocol: ok, Serial: reader.Serial{Port: "/dev/null", Parity: "mark"}}},
		{"data bits", reader.Config{Protocol: ok, Serial: reader.Serial{Port: "/dev/null", DataBits: 9}}},
		{"stop bits", reader.Config{Protocol: ok, Serial: reader.Serial{Port: "/dev/null", StopBits: 3}}},
		{"3m length width", reader.Config{Protocol: reader.Protocol{Name: reader.ProtocolThreeM, ThreeM: reader.ThreeMOptions{LengthWidth: 4}}, Serial: reader.Serial{Port: "/dev/null"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reader.New(tt.cfg)
			if got, want := app.ErrorCode(err), app.EINVALID; got != want {
				t.Errorf("New: %v (code %q), want %q", err, got, want)
			}
		})
	}
}
