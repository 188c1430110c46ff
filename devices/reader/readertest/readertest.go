//go:build unix

// Package readertest gives tests serial lines made of ptys: a Port a reader can
// be unplugged from and plugged back into under the same path, and a Cable that
// joins two ports like a null-modem cable (what `socat pty pty` does by hand).
//
// It is for tests only; it does no framing of its own.
package readertest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/chekara/chekara/internal/testenv"
)

// Port is the device end of a simulated serial line. Path is a symlink to a pty
// slave, opened by the code under test with go.bug.st/serial; the test talks
// through Master. Unplug and Plug replace the pty and re-point Path, the way udev
// re-creates /dev/serial/by-id/… when a USB reader comes back.
type Port struct {
	Path string

	tb     testing.TB
	mu     sync.Mutex
	master *os.File
	slave  *os.File // held open so the tty and its buffers live while no one else has it open
}

// NewPort makes a pty and a symlink named name in dir pointing at its slave.
// It skips (or, in CI, fails) the test when ptys are not available.
func NewPort(tb testing.TB, dir, name string) *Port {
	tb.Helper()
	p := &Port{Path: filepath.Join(dir, name), tb: tb}
	p.Plug()
	tb.Cleanup(p.Unplug)
	return p
}

// Plug makes a new pty and points Path at it. A no-op when plugged.
func (p *Port) Plug() {
	p.tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.master != nil {
		return
	}
	m, s, err := pty.Open()
	testenv.Require(p.tb, "pty", err)
	// Raw from the start: a pty begins in cooked mode (echo, CR→NL), which would
	// alter bytes written before the code under test opens and configures it.
	if err := makeRaw(s); err != nil {
		p.tb.Fatalf("pty raw mode: %v", err)
	}
	if m, err = pollable(m); err != nil {
		p.tb.Fatalf("pty master: %v", err)
	}
	tmp := p.Path + ".new"
	os.Remove(tmp)
	if err := os.Symlink(s.Name(), tmp); err != nil {
		p.tb.Fatal(err)
	}
	if err := os.Rename(tmp, p.Path); err != nil { // atomic re-point
		p.tb.Fatal(err)
	}
	p.master, p.slave = m, s
}

// Unplug closes the pty's master, as a USB reader vanishing does: every later
// read on the device side fails. Path is left dangling until Plug.
func (p *Port) Unplug() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.master == nil {
		return
	}
	p.master.Close()
	p.slave.Close()
	p.master, p.slave = nil, nil
}

// Master returns the current pty's master (the reader's side of the cable), nil
// while unplugged.
func (p *Port) Master() *os.File {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.master
}

// Write writes b as the device would send it.
func (p *Port) Write(b []byte) {
	p.tb.Helper()
	m := p.Master()
	if m == nil {
		p.tb.Fatal("readertest: write to an unplugged port")
	}
	if _, err := m.Write(b); err != nil {
		p.tb.Fatalf("readertest: write: %v", err)
	}
}

// pollable returns f as a non-blocking, poller-backed file, so read deadlines
// work and Close wakes a pending Read (pty.Open hands back a blocking one).
func pollable(f *os.File) (*os.File, error) {
	fd, err := unix.Dup(int(f.Fd()))
	f.Close()
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

func makeRaw(f *os.File) error {
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t)
}

// Cable joins two new ports, A and B, in dir: bytes written by whoever has A's
// path open arrive at whoever has B's, and back. It stands for a null-modem
// cable, or `socat pty,link=A pty,link=B` in the README.
func Cable(tb testing.TB, dir string) (a, b *Port) {
	tb.Helper()
	a, b = NewPort(tb, dir, "a"), NewPort(tb, dir, "b")
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go relay(&wg, done, a.Master(), b.Master())
	go relay(&wg, done, b.Master(), a.Master())
	tb.Cleanup(func() {
		close(done)
		a.Unplug()
		b.Unplug()
		wg.Wait()
	})
	return a, b
}

func relay(wg *sync.WaitGroup, done <-chan struct{}, from, to *os.File) {
	defer wg.Done()
	buf := make([]byte, 4096)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			if _, werr := to.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			select {
			case <-done:
				return
			default:
			}
			if errors.Is(err, os.ErrClosed) || errors.Is(err, io.EOF) {
				return
			}
			time.Sleep(2 * time.Millisecond) // EIO while no one has the slave open
		}
	}
}
