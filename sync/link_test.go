package sync_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync"
)

// newLink enrols booth at h and returns its Link with the loop off.
func newLink(tb testing.TB, h *testHQ, ob *memOutbox, booth, addr string) *sync.Link {
	tb.Helper()
	b := h.pki.bundle(tb, booth, h.addr)
	c, err := sync.NewClient(b, sync.ClientOptions{Address: addrURL(addr)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	return &sync.Link{Outbox: ob, HQ: c, BoothID: booth, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}
}

func addrURL(addr string) string {
	if addr == "" {
		return ""
	}
	return "https://" + addr
}

func TestUploadOverMutualTLS(t *testing.T) {
	h := startHQ(t, newPKI(t))
	ob := &memOutbox{}
	ob.add(2500)
	l := newLink(t, h, ob, "DOSTUK-07", "")
	res, err := l.Upload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Batches, 3; got != want {
		t.Errorf("batches: got %d, want %d", got, want)
	}
	if !res.Complete || res.Sent != 2500 {
		t.Errorf("result %+v: want complete at 2500", res)
	}
	h.check(t, ob, "DOSTUK-07")
	st := l.SyncState()
	if !st.Connected || st.Pending != 0 || st.LastSync.IsZero() || !st.ClockKnown {
		t.Errorf("status after a good upload: %+v", st)
	}
	if off := st.ClockOffset; off > time.Second || off < -time.Second {
		t.Errorf("clock offset %v on one machine", off)
	}
	// Nothing pending: another round sends nothing.
	if res, err := l.Upload(context.Background()); err != nil || res.Batches != 0 {
		t.Errorf("second upload: %+v, %v", res, err)
	}
}

func TestUploadRefused(t *testing.T) {
	p := newPKI(t)
	h := startHQ(t, p)
	ob := &memOutbox{}
	ob.add(3)

	t.Run("batch for another booth", func(t *testing.T) {
		l := newLink(t, h, ob, "DOSTUK-07", "")
		l.BoothID = "DOSTUK-08" // the certificate still says 07
		_, err := l.Upload(context.Background())
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("got %v, want unauthorized", err)
		}
		if st := l.SyncState(); st.LastError == "" {
			t.Error("status shows no error")
		}
	})
	t.Run("certificate from another CA", func(t *testing.T) {
		other := newPKI(t)
		b := other.bundle(t, "DOSTUK-07", h.addr)
		b.CAPEM = p.caPEM // trusts HQ, but HQ does not trust it
		c, err := sync.NewClient(b, sync.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = sync.Upload(context.Background(), ob, c, "DOSTUK-07", sync.DefaultLimits)
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("got %v, want unauthorized", err)
		}
	})
	t.Run("HQ with a certificate from another CA", func(t *testing.T) {
		other := newPKI(t)
		b := other.bundle(t, "DOSTUK-07", h.addr) // trusts only the other CA
		c, _ := sync.NewClient(b, sync.ClientOptions{})
		_, err := sync.Upload(context.Background(), ob, c, "DOSTUK-07", sync.DefaultLimits)
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("got %v, want unauthorized", err)
		}
	})
	t.Run("HQ down", func(t *testing.T) {
		l := newLink(t, h, ob, "DOSTUK-07", "127.0.0.1:1")
		_, err := l.Upload(context.Background())
		if app.ErrorCode(err) != app.EUNAVAILABLE {
			t.Fatalf("got %v, want unavailable", err)
		}
		if st := l.SyncState(); st.Connected || st.LastError == "" {
			t.Errorf("status with HQ down: %+v", st)
		}
	})
	if sent, _ := ob.SentMark(context.Background()); sent != 0 {
		t.Fatalf("refused uploads moved the sent mark to %d", sent)
	}
}

// The loop wakes on a new record, backs off while HQ is away, and drains when it
// returns; Stop ends it.
func TestLinkLoop(t *testing.T) {
	h := startHQ(t, newPKI(t))
	ob := &memOutbox{}
	l := newLink(t, h, ob, "DOSTUK-07", "")
	l.Interval = time.Hour // only Wake or a retry can start a round
	ctx := context.Background()
	l.Start(ctx)
	defer l.Stop()

	ob.add(10)
	l.Wake()
	waitFor(t, "first records at HQ", func() bool { return l.SyncState().Pending == 0 && h.count() == 10 })

	h.stop()
	ob.add(5)
	l.Wake()
	waitFor(t, "status shows the link down", func() bool { return !l.SyncState().Connected })
	h.start(t, h.addr)
	waitFor(t, "backlog drained after HQ returned", func() bool { return h.count() == 15 })
	waitFor(t, "status shows the link up", func() bool { st := l.SyncState(); return st.Connected && st.Pending == 0 })
	h.check(t, ob, "DOSTUK-07")
}

func (h *testHQ) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.records)
}

func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestClockWarning(t *testing.T) {
	tests := []struct {
		name   string
		st     app.SyncState
		wantOK bool
	}{
		{"unknown", app.SyncState{}, true},
		{"close", app.SyncState{ClockKnown: true, ClockOffset: 90 * time.Second}, true},
		{"booth behind", app.SyncState{ClockKnown: true, ClockOffset: 3 * time.Minute}, false},
		{"booth ahead", app.SyncState{ClockKnown: true, ClockOffset: -time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sync.ClockWarning(tt.st) == ""; got != tt.wantOK {
				t.Fatalf("ClockWarning(%v) = %q", tt.st.ClockOffset, sync.ClockWarning(tt.st))
			}
		})
	}
}

// offsetClock is a booth clock running off HQ's by a fixed amount.
type offsetClock time.Duration

func (o offsetClock) Now() time.Time { return time.Now().Add(time.Duration(o)) }

func TestClockOffsetMeasured(t *testing.T) {
	h := startHQ(t, newPKI(t))
	b := h.pki.bundle(t, "DOSTUK-07", h.addr)
	c, _ := sync.NewClient(b, sync.ClientOptions{Clock: offsetClock(-5 * time.Minute)})
	ob := &memOutbox{}
	ob.add(1)
	l := &sync.Link{Outbox: ob, HQ: c, BoothID: "DOSTUK-07"}
	if _, err := l.Upload(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := l.SyncState()
	if d := st.ClockOffset - 5*time.Minute; d > time.Second || d < -time.Second {
		t.Fatalf("offset %v, want about 5m", st.ClockOffset)
	}
	if sync.ClockWarning(st) == "" {
		t.Fatal("no warning for a booth 5 minutes behind")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "lists.jsonl")
	for _, data := range [][]byte{[]byte("one"), []byte("two, longer")} {
		if err := sync.WriteFileAtomic(path, data); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, data) {
			t.Fatalf("got %q, want %q", got, data)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Fatalf("temporary files left: %v", ents)
	}
}
