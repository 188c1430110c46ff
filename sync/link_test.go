package sync_test

import (
	"bytes"
	"context"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/sync/wire/wiretest"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/clocktest"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
	"github.com/chekara/chekara/sync"
)

// openStore opens a real booth store in a temporary folder with n synthetic
// crossings committed.
func openStore(tb testing.TB, n int) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "booth.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	seed(tb, s, n, 1)
	return s
}

func seed(tb testing.TB, s *store.Store, n int, from uint64) {
	tb.Helper()
	if n == 0 {
		return
	}
	if _, err := s.Seed(context.Background(), synth.New(synth.Config{Seed: from, Crossings: n}).Next, 1000, nil); err != nil {
		tb.Fatal(err)
	}
}

// newLink returns a booth's Link to h (through addr when set), loop off.
func newLink(tb testing.TB, bundle wire.Bundle, s *store.Store, addr string) *sync.Link {
	tb.Helper()
	opts := sync.ClientOptions{DialTimeout: 2 * time.Second}
	if addr != "" {
		opts.Address = "https://" + addr
	}
	c, err := sync.NewClient(bundle, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	return &sync.Link{Outbox: s, HQ: c, BoothID: bundle.BoothID, Records: s.WaitForRecord(),
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}
}

func TestUploadOverMutualTLS(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	s := openStore(t, 2500)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, "")
	ctx := context.Background()
	res, err := l.Upload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Batches, 3; got != want {
		t.Errorf("batches: got %d, want %d", got, want)
	}
	if !res.Complete || res.Sent != 2500 {
		t.Errorf("result %+v: want complete at 2500", res)
	}
	if sent, _ := s.SentMark(ctx); sent != 2500 {
		t.Errorf("store's sent mark %d", sent)
	}
	st := l.SyncState()
	if !st.Connected || st.Pending != 0 || st.LastSync.IsZero() || !st.ClockKnown || st.LastError != "" {
		t.Errorf("status after a good upload: %+v", st)
	}
	if off := st.ClockOffset; off > time.Second || off < -time.Second {
		t.Errorf("clock offset %v on one machine", off)
	}
	if res, err := l.Upload(ctx); err != nil || res.Batches != 0 || !res.Complete {
		t.Errorf("second upload: %+v, %v", res, err)
	}
	recs, _ := h.Store().Records(ctx, "DOSTUK-07")
	if len(recs) != 2500 {
		t.Fatalf("HQ holds %d records", len(recs))
	}
}

func TestUploadRefused(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	s := openStore(t, 3)
	ctx := context.Background()
	good := h.Enrol(t, "DOSTUK-07", "DOSTUK")
	other := wiretest.NewPKI(t)

	tests := []struct {
		name   string
		bundle func() wire.Bundle
		booth  string // the batch's booth id
		addr   string
		code   string
	}{
		{"batch for another booth", func() wire.Bundle { return good }, "DOSTUK-08", "", app.EUNAUTHORIZED},
		// TLS 1.3 tells the client its certificate was refused only in an alert
		// after the handshake; a booth still writing its request may see the
		// connection close first (unavailable). Either way nothing is stored.
		{"certificate from another CA", func() wire.Bundle {
			b := other.Bundle(t, "DOSTUK-07", h.Addr)
			b.CAPEM = h.CACertPEM() // trusts HQ, HQ does not trust it
			return b
		}, "DOSTUK-07", "", app.EUNAUTHORIZED + "|" + app.EUNAVAILABLE},
		{"HQ with a certificate from another CA", func() wire.Bundle { return other.Bundle(t, "DOSTUK-07", h.Addr) }, "DOSTUK-07", "", app.EUNAUTHORIZED},
		{"HQ down", func() wire.Bundle { return good }, "DOSTUK-07", "127.0.0.1:1", app.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLink(t, tt.bundle(), s, tt.addr)
			l.BoothID = tt.booth
			_, err := l.Upload(ctx)
			code := app.ErrorCode(err)
			if !slices.Contains(strings.Split(tt.code, "|"), code) {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			st := l.SyncState()
			if st.LastError == "" || st.Connected != (code != app.EUNAVAILABLE) {
				t.Errorf("status: %+v", st)
			}
		})
	}
	// Revoked at HQ: cut off at once.
	if err := h.Revoke(ctx, "DOSTUK-07"); err != nil {
		t.Fatal(err)
	}
	if _, err := newLink(t, good, s, "").Upload(ctx); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("revoked booth: got %v, want unauthorized", err)
	}
	if sent, _ := s.SentMark(ctx); sent != 0 {
		t.Fatalf("refused uploads moved the sent mark to %d", sent)
	}
}

// The loop wakes on a new decision (the store's signal), backs off while HQ is
// unreachable, and drains when it returns; Stop ends it.
func TestLinkLoop(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	px := newProxy(t, h.Addr)
	s := openStore(t, 0)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, px.addr())
	l.Interval = time.Hour // only a new record or a retry can start a round
	ctx := context.Background()
	count := func() int { r, _ := h.Store().Records(ctx, "DOSTUK-07"); return len(r) }
	l.Start(ctx)
	defer l.Stop()

	seed(t, s, 10, 1)
	// Wait for the booth's own sent mark, not only HQ's count: HQ holds the records
	// as soon as it commits, and cutting the link before the acknowledgement
	// arrives would (rightly) leave all 15 records pending below.
	sent := func() int64 { n, _ := s.SentMark(ctx); return n }
	waitFor(t, "first records at HQ and acknowledged", func() bool {
		return count() == 10 && sent() == 10 && l.SyncState().Pending == 0
	})

	px.cut()
	seed(t, s, 5, 2)
	waitFor(t, "status shows the link down", func() bool { st := l.SyncState(); return !st.Connected && st.Pending == 5 })
	px.reopen(t)
	waitFor(t, "backlog drained after the link returned", func() bool { return count() == 15 })
	waitFor(t, "status shows the link up", func() bool { st := l.SyncState(); return st.Connected && st.Pending == 0 })
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

// offsetClock is a clock running off the machine's by a fixed amount.
type offsetClock time.Duration

func (o offsetClock) Now() time.Time { return time.Now().Add(time.Duration(o)) }

// HQ's clock 5 minutes ahead of the booth's: measured from the answers, warned.
func TestClockOffsetMeasured(t *testing.T) {
	h := hqtest.Start(t, hq.Config{Clock: offsetClock(5 * time.Minute)})
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), openStore(t, 1), "")
	if _, err := l.Upload(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := l.SyncState()
	if d := st.ClockOffset - 5*time.Minute; d > 2*time.Second || d < -2*time.Second {
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

// While an upload hangs on a silent HQ, the officer's side never waits: the
// status answers at once and decisions commit at their usual pace.
func TestLinkNeverBlocksTheOfficer(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	px := newProxy(t, h.Addr)
	s := openStore(t, 2000)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, px.addr())
	px.toxic(t, "timeout", "downstream", `{"timeout":0}`) // HQ's answers never come
	ctx := context.Background()
	l.Start(ctx)
	time.Sleep(200 * time.Millisecond) // the first round is now stuck waiting for HQ
	for i := 0; i < 20; i++ {
		start := time.Now()
		if st := l.SyncState(); st.LastSync.After(start) {
			t.Fatalf("a sync succeeded through a silent HQ: %+v", st)
		}
		seed(t, s, 1, uint64(100+i))
		if el := time.Since(start); el > time.Second {
			t.Fatalf("status + one decision took %v while the upload hung", el)
		}
	}
	if p, _ := s.Pending(ctx); p != 2020 {
		t.Fatalf("pending %d, want 2020", p)
	}
	stopped := make(chan struct{})
	go func() { l.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not end a hung upload")
	}
}

// countHandler counts the log records at Warn level and above.
type countHandler struct{ n *atomic.Int32 }

func (h countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		h.n.Add(1)
	}
	return nil
}
func (h countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countHandler) WithGroup(string) slog.Handler      { return h }

// While HQ is away the loop backs off exponentially up to its cap, and a good
// round resets it to the interval. The clock is stepped, so the test checks
// every wait the loop chooses instead of counting rounds over a sleep.
func TestLinkBacksOff(t *testing.T) {
	var failed atomic.Int32
	h := hqtest.Start(t, hq.Config{})
	px := newProxy(t, h.Addr)
	px.cut()
	clk := clocktest.New(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	s := openStore(t, 5)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, px.addr())
	l.Clock, l.Records, l.Interval = clk, nil, time.Hour // only the clock starts a round
	l.Puller = nil                                       // the upload loop's waits alone: pulls have their own loop
	l.Log = slog.New(countHandler{&failed})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l.Start(ctx)
	defer l.Stop()

	ms := time.Millisecond
	// 10 ms doubling to the 100 ms cap while HQ is away; then HQ returns and
	// the next round succeeds: back to the interval; HQ goes away again and the
	// backoff starts over from 10 ms.
	waits := []time.Duration{10 * ms, 20 * ms, 40 * ms, 80 * ms, 100 * ms, 100 * ms, 100 * ms, time.Hour, 10 * ms, 20 * ms}
	for i, want := range waits {
		got, ok := clk.NextAfter(ctx, i)
		if !ok {
			t.Fatalf("wait %d: the loop set no timer", i)
		}
		if got != want {
			t.Fatalf("wait %d: got %v, want %v (waits so far %v)", i, got, want, waits[:i])
		}
		switch i {
		case 6:
			px.reopen(t)
		case 7:
			if st := l.SyncState(); !st.Connected || st.Pending != 0 {
				t.Fatalf("after HQ returned: %+v", st)
			}
			seed(t, s, 1, 99) // an empty outbox needs no HQ: give the next round work
			px.cut()
		}
		clk.Advance(got)
	}
	if got, want := failed.Load(), int32(9); got != want {
		t.Errorf("failed rounds logged: got %d, want %d", got, want)
	}
}

// batcher is a stand-in for HQ's batch endpoint, for answers a healthy HQ never gives.
type batcher func(body []byte) (wire.Ack, error)

func (f batcher) PostBatch(_ context.Context, body []byte) (wire.Ack, error) { return f(body) }

// HQ answering that it holds less than it once acknowledged (its data restored
// from an old backup) is reported, never papered over by claiming a range the
// booth may no longer hold.
func TestUploadHQLostData(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, 5)
	if err := s.MarkSent(ctx, 3); err != nil {
		t.Fatal(err)
	}
	one := int64(1)
	var posts int
	hq := batcher(func([]byte) (wire.Ack, error) {
		posts++
		return wire.Ack{}, &sync.HQError{Status: 409, Body: wire.ErrorBody{Code: app.ECONFLICT, Message: "gap", HighWater: &one}}
	})
	_, err := sync.Upload(ctx, s, hq, "DOSTUK-07", wire.DefaultLimits)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "restored") || posts != 1 {
		t.Fatalf("got %v after %d posts", err, posts)
	}
	if sent, _ := s.SentMark(ctx); sent != 3 {
		t.Fatalf("sent mark moved to %d", sent)
	}
}

// TestUploadReportsBoothState: every batch over the link carries the booth's
// state, and HQ keeps the last one: backlog when the last batch was built,
// and a clock offset of about nothing (same machine).
func TestUploadReportsBoothState(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	s := openStore(t, 2500)
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), s, "")
	ctx := context.Background()
	if _, err := l.Upload(ctx); err != nil {
		t.Fatal(err)
	}
	states, err := h.Server.Store().BoothStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 {
		t.Fatalf("states %+v, want one", states)
	}
	st := states[0]
	// The third batch was built with 500 records left; the oldest of them was
	// written when the store was seeded.
	if st.Booth != "DOSTUK-07" || st.Backlog != 500 || st.OldestPending.IsZero() || st.Source != "link" {
		t.Errorf("state %+v", st)
	}
	if off := st.ClockOffset(); off > time.Second || off < -time.Second {
		t.Errorf("clock offset %v on one machine", off)
	}
}
