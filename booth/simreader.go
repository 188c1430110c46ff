package booth

import (
	"context"
	"fmt"
	"os"
	gosync "sync"
	"time"

	"github.com/creack/pty"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/devices/reader"
)

// simReader is the training booth's document reader: the pack's lines are
// framed as a 3M desk reader frames them and written to a pty whose other end
// the booth's real serial driver reads, so a trainee's documents come the
// way an officer's do (devices/reader), not by a shortcut.
type simReader struct {
	proto       reader.Protocol
	master, tty *os.File
	events      chan app.ReaderEvent
	cancel      context.CancelFunc
	done        chan struct{}
	mu          gosync.Mutex
}

// readTimeout bounds the wait for the driver to deliver a written frame.
const readTimeout = 10 * time.Second

func openSimReader(clock app.Clock) (*simReader, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("simulated reader: pty: %w", err)
	}
	p := reader.Protocol{Name: reader.ProtocolThreeM}
	r, err := reader.New(reader.Config{Protocol: p, Serial: reader.Serial{Port: tty.Name()}, Clock: clock})
	if err != nil {
		master.Close()
		tty.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &simReader{proto: p, master: master, tty: tty, events: make(chan app.ReaderEvent, 4), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		r.Run(ctx, func(ev app.ReaderEvent) {
			if ev.Kind != app.ReaderDocument {
				return // connects and disconnects of the pty say nothing to a trainee
			}
			select {
			case s.events <- ev:
			case <-ctx.Done():
			}
		})
	}()
	return s, nil
}

// read writes lines as one frame and returns the document event the driver
// delivers for it. Errors: EUNAVAILABLE when the driver delivers nothing in
// time or something else.
func (s *simReader) read(ctx context.Context, lines []string) (app.ReaderEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.events) > 0 { // nothing stale is taken for this traveller
		<-s.events
	}
	frame, err := s.proto.Encode(lines)
	if err != nil {
		return app.ReaderEvent{}, err
	}
	if _, err := s.master.Write(frame); err != nil {
		return app.ReaderEvent{}, fmt.Errorf("simulated reader: %w", err)
	}
	t := time.NewTimer(readTimeout)
	defer t.Stop()
	select {
	case ev := <-s.events:
		if !equalLines(ev.Lines, lines) {
			return app.ReaderEvent{}, app.Errorf(app.EUNAVAILABLE, "The simulated reader read %q for %q.", ev.Lines, lines)
		}
		return ev, nil
	case <-t.C:
		return app.ReaderEvent{}, app.Errorf(app.EUNAVAILABLE, "The simulated reader delivered nothing.")
	case <-ctx.Done():
		return app.ReaderEvent{}, ctx.Err()
	}
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (s *simReader) Close() error {
	s.cancel()
	s.master.Close()
	err := s.tty.Close()
	<-s.done
	return err
}
