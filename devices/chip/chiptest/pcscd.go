// Package chiptest starts the real parts the chip tests need: pcscd with
// vsmartcard's vpcd driver, and a simulated ePassport in its virtual reader.
package chiptest

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/devices/chip/chipsim"
	"github.com/chekara/chekara/internal/testenv"
)

// VPCDDriver is where Debian's vsmartcard-vpcd installs the driver pcscd loads.
const VPCDDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"

// Reader is the name pcscd gives vpcd's first slot.
const Reader = "Virtual PCD 00 00"

// PCSCD makes sure pcscd runs with the vpcd driver and returns vpcd's card-side
// address. Tests of several packages share the one pcscd of the machine, so each
// holds a file lock for its whole run; pcscd started here is stopped at the end.
func PCSCD(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(VPCDDriver); err != nil {
		testenv.Require(tb, "vsmartcard-vpcd (Debian package)", err)
	}
	bin, err := exec.LookPath("pcscd")
	testenv.Require(tb, "pcscd", err)
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "chekara-pcscd.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { syscall.Flock(int(lock.Fd()), syscall.LOCK_UN); lock.Close() })
	addr := chipsim.DefaultVPCD
	if listening(addr) {
		return addr
	}
	start(tb, bin, addr)
	return addr
}

// ours is the pcscd this process started, for Restart.
var ours *exec.Cmd

func start(tb testing.TB, bin, addr string) {
	tb.Helper()
	cmd := exec.Command(bin, "--foreground")
	if err := cmd.Start(); err != nil {
		testenv.Require(tb, "pcscd", err)
	}
	ours = cmd
	tb.Cleanup(func() { stop(cmd) })
	deadline := time.Now().Add(10 * time.Second)
	for !listening(addr) {
		if time.Now().After(deadline) {
			testenv.Require(tb, "pcscd with vpcd listening on "+addr, errors.New("not listening after 10 s (pcscd needs root or the pcscd group)"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func stop(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
}

// Restart stops the pcscd PCSCD started and starts another, as when a reader
// is unplugged and plugged back or the service restarts. It skips the test when
// pcscd was already running before (not this process's to stop).
func Restart(tb testing.TB) {
	tb.Helper()
	if ours == nil {
		tb.Skip("pcscd was not started by this test process")
	}
	stop(ours)
	bin, _ := exec.LookPath("pcscd")
	start(tb, bin, chipsim.DefaultVPCD)
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	// vpcd takes one card per slot: a connection it accepts and keeps means the
	// slot is free, and closing it leaves the slot empty again.
	c.Close()
	return true
}

// inserted is set once a test of this process has put a card into the reader.
var inserted atomic.Bool

// Insert puts a card holder into vpcd's reader for the test; the test swaps
// passports with Set. vpcd notices a card taken out and another put in only
// unreliably, so a test inserts once and swaps behind the holder, and each test
// runs its own pcscd (PCSCD) when none was running before.
func Insert(tb testing.TB, addr string) *chipsim.Holder {
	tb.Helper()
	inserted.Store(true)
	h := &chipsim.Holder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		deadline := time.Now().Add(30 * time.Second)
		for ctx.Err() == nil {
			err := chipsim.ServeOnce(ctx, addr, h)
			if !errors.Is(err, chipsim.ErrDial) || time.Now().After(deadline) {
				return // served until the test or pcscd ended, or vpcd never came
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	tb.Cleanup(func() { cancel(); <-done })
	return h
}

// Inserted reports whether a holder is already in the reader (an earlier test of
// this process put it there), so an empty reader cannot be tested any more.
func Inserted() bool { return inserted.Load() }
