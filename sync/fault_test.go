package sync_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/chekara/chekara/sync/wire"
	"math/rand/v2"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
	"github.com/chekara/chekara/sync"
)

// The long run: go test ./sync/ -run TestFaults -rounds=1000 (docs/reliability.md).
var (
	rounds    = flag.Int("rounds", 12, "randomized fault rounds in TestFaultsRandomized")
	faultSeed = flag.Uint64("fault-seed", 1, "seed of the randomized fault run")
)

// toxiproxy logs through zerolog's global logger in places; the faults it
// reports are the ones the tests inject.
func init() { zerolog.SetGlobalLevel(zerolog.Disabled) }

// proxy is a toxiproxy TCP proxy running inside the test process.
type proxy struct {
	p *toxiproxy.Proxy
	n int
}

func newProxy(tb testing.TB, upstream string) *proxy {
	tb.Helper()
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(srv, "hq", "127.0.0.1:0", upstream)
	if err := p.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Stop)
	return &proxy{p: p}
}

func (p *proxy) addr() string { return p.p.Listen }

// toxic adds a toxic ("latency", "reset_peer", "timeout", "limit_data",
// "bandwidth", "slicer") on one direction and returns its name.
func (p *proxy) toxic(tb testing.TB, kind, stream string, attrs string) string {
	tb.Helper()
	p.n++
	name := fmt.Sprintf("%s_%s_%d", kind, stream, p.n)
	js := fmt.Sprintf(`{"name":%q,"type":%q,"stream":%q,"attributes":%s}`, name, kind, stream, attrs)
	if _, err := p.p.Toxics.AddToxicJson(strings.NewReader(js)); err != nil {
		tb.Fatalf("add toxic %s: %v", js, err)
	}
	return name
}

func (p *proxy) heal() { p.p.Toxics.ResetToxics(context.Background()) }

// cut closes every connection through the proxy and refuses new ones until
// reopen.
func (p *proxy) cut() { p.p.Stop() }
func (p *proxy) reopen(tb testing.TB) {
	tb.Helper()
	for i := 0; ; i++ {
		err := p.p.Start()
		if err == nil || errors.Is(err, toxiproxy.ErrProxyAlreadyStarted) {
			return
		}
		if i == 50 {
			tb.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// booth is a real booth store on disk with its link to HQ through the proxy.
type booth struct {
	path      string
	s         *store.Store
	link      *sync.Link
	client    *sync.Client
	bundle    wire.Bundle
	addr      string
	stream    *synth.Stream
	committed []wire.Record // every record the booth committed, read back from its outbox
	loseAck   atomic.Int32  // > 0: that many acknowledgements are lost after HQ committed
}

// lossy posts batches to HQ and, while lose > 0, throws HQ's acknowledgement
// away after HQ committed the batch: the crash point "HQ committed,
// acknowledgement lost" (a power cut at the booth or a link cut after HQ's
// commit look the same to both sides).
type lossy struct {
	c    *sync.Client
	lose *atomic.Int32
}

func (l *lossy) PostBatch(ctx context.Context, body []byte) (wire.Ack, error) {
	ack, err := l.c.PostBatch(ctx, body)
	if err == nil && l.lose.Load() > 0 { // one uploader at a time: no race between Load and Add
		l.lose.Add(-1)
		return wire.Ack{}, app.Errorf(app.EUNAVAILABLE, "acknowledgement lost (test crash point)")
	}
	return ack, err
}

func newBooth(tb testing.TB, h *hqtest.HQ, addr string, seed uint64) *booth {
	tb.Helper()
	b := &booth{path: filepath.Join(tb.TempDir(), "booth.db"), bundle: h.Enrol(tb, "DOSTUK-07", "DOSTUK"), addr: addr,
		stream: synth.New(synth.Config{Seed: seed, Crossings: max(100_000, *rounds*1300)})}
	b.open(tb)
	if err := b.s.SetBooth(context.Background(), "DOSTUK-07", "DOSTUK"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.s.Close() })
	return b
}

// open (re)opens the store and builds a fresh link, as a booth does at start.
func (b *booth) open(tb testing.TB) {
	tb.Helper()
	s, err := store.Open(b.path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := sync.NewClient(b.bundle, sync.ClientOptions{Address: "https://" + b.addr, DialTimeout: 2 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	b.s, b.client = s, c
	b.link = &sync.Link{Outbox: s, HQ: c, Batches: &lossy{c: c, lose: &b.loseAck}, BoothID: "DOSTUK-07", Records: s.WaitForRecord()}
}

// die drops the link and closes the store without any goodbye, then starts
// again from what is on disk.
func (b *booth) die(tb testing.TB) {
	tb.Helper()
	b.client.Close()
	b.s.Close()
	b.open(tb)
}

// commit records n crossings (one transaction) and keeps what went into the
// outbox to compare with HQ at the end.
func (b *booth) commit(tb testing.TB, n int) {
	tb.Helper()
	ctx := context.Background()
	last, _ := b.s.LastSeq(ctx)
	if _, err := b.s.Seed(ctx, limited(b.stream, n), n, nil); err != nil {
		tb.Fatal(err)
	}
	recs, err := b.s.Outbox(ctx, last, n+1, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if len(recs) != n {
		tb.Fatalf("outbox after %d holds %d new records, want %d", last, len(recs), n)
	}
	b.committed = append(b.committed, recs...)
}

func limited(s *synth.Stream, n int) func() (app.Crossing, bool) {
	return func() (app.Crossing, bool) {
		if n == 0 {
			return app.Crossing{}, false
		}
		n--
		return s.Next()
	}
}

// heal uploads until everything committed is acknowledged (the link is whole
// again), then checks HQ holds every committed record exactly once, unaltered.
func (b *booth) heal(tb testing.TB, h *hqtest.HQ) {
	tb.Helper()
	ctx := context.Background()
	var res sync.UploadResult
	var err error
	for i := 0; i < 20; i++ {
		if res, err = b.link.Upload(ctx); err == nil && res.Complete {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || !res.Complete {
		tb.Fatalf("after healing: %+v, %v", res, err)
	}
	checkHQ(tb, h, b.committed, "DOSTUK-07")
}

// checkHQ fails the test unless HQ's store holds exactly the records want for
// booth: each once, with the same sequence number, kind and content, and no
// alerts.
func checkHQ(tb testing.TB, h *hqtest.HQ, want []wire.Record, booth string) {
	tb.Helper()
	ctx := context.Background()
	got, err := h.Store().Records(ctx, booth)
	if err != nil {
		tb.Fatal(err)
	}
	if len(got) != len(want) {
		tb.Fatalf("HQ holds %d records of booth %s, the booth committed %d", len(got), booth, len(want))
	}
	seen := map[string]bool{}
	for i, w := range want {
		g := got[i]
		if seen[g.ID] {
			tb.Fatalf("record %s twice at HQ", g.ID)
		}
		seen[g.ID] = true
		sum := wire.RecordHash(w.Payload)
		if g.ID != w.ID || g.Seq != w.Seq || g.Kind != w.Kind || !bytes.Equal(g.Payload, w.Payload) || !bytes.Equal(g.SHA256, sum[:]) {
			tb.Fatalf("record seq %d differs at HQ: got %s seq %d", w.Seq, g.ID, g.Seq)
		}
	}
	alerts, err := h.Store().Alerts(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if len(alerts) != 0 {
		tb.Fatalf("HQ raised %d alerts", len(alerts))
	}
}

// Each named fault, once, on a real booth store through the proxy.
func TestFaults(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	px := newProxy(t, h.Addr)
	b := newBooth(t, h, px.addr(), 7)
	ctx := context.Background()
	short := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 1500*time.Millisecond) }

	steps := []struct {
		name  string
		fault func(t *testing.T)
	}{
		{"latency", func(t *testing.T) {
			px.toxic(t, "latency", "downstream", `{"latency":100,"jitter":50}`)
			if _, err := b.link.Upload(ctx); err != nil {
				t.Fatalf("latency alone must not fail an upload: %v", err)
			}
		}},
		{"connection reset", func(t *testing.T) {
			px.toxic(t, "reset_peer", "upstream", `{"timeout":5}`)
			c, cancel := short()
			defer cancel()
			if _, err := b.link.Upload(c); app.ErrorCode(err) != app.EUNAVAILABLE {
				t.Fatalf("got %v, want unavailable", err)
			}
			if st := b.link.SyncState(); st.Connected {
				t.Fatalf("status after a reset: %+v", st)
			}
		}},
		{"link cut mid-batch", func(t *testing.T) {
			px.toxic(t, "limit_data", "upstream", `{"bytes":3000}`)
			if _, err := b.link.Upload(ctx); err == nil {
				t.Fatal("an upload through a cut link succeeded")
			}
		}},
		{"answer cut after HQ committed", func(t *testing.T) {
			px.toxic(t, "limit_data", "downstream", `{"bytes":40}`)
			if _, err := b.link.Upload(ctx); err == nil {
				t.Fatal("an upload whose answer was cut succeeded")
			}
		}},
		{"HQ stops answering", func(t *testing.T) {
			px.toxic(t, "timeout", "downstream", `{"timeout":0}`)
			c, cancel := short()
			defer cancel()
			if _, err := b.link.Upload(c); err == nil {
				t.Fatal("an upload to a silent HQ succeeded")
			}
		}},
		{"proxy down", func(t *testing.T) {
			px.cut()
			defer px.reopen(t)
			if _, err := b.link.Upload(ctx); app.ErrorCode(err) != app.EUNAVAILABLE {
				t.Fatalf("got %v, want unavailable", err)
			}
		}},
		{"HQ committed, acknowledgement lost", func(t *testing.T) {
			b.loseAck.Store(1)
			if _, err := b.link.Upload(ctx); err == nil {
				t.Fatal("an upload whose acknowledgement was lost succeeded")
			}
			if sent, _ := b.s.SentMark(ctx); sent >= int64(len(b.committed)) {
				t.Fatalf("booth marked %d sent without an acknowledgement", sent)
			}
		}},
		{"booth sent, then died", func(t *testing.T) {
			px.toxic(t, "latency", "downstream", `{"latency":300}`)
			c, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
			b.link.Upload(c) // the batch is on its way when the booth dies
			cancel()
			b.die(t)
		}},
		{"HQ restarted mid-batch", func(t *testing.T) {
			px.toxic(t, "bandwidth", "upstream", `{"rate":64}`) // 64 KB/s: a batch takes a while
			done := make(chan error, 1)
			go func() { _, err := b.link.Upload(ctx); done <- err }()
			time.Sleep(300 * time.Millisecond)
			h.Restart(t)
			if err := <-done; err == nil {
				t.Log("the upload finished before the restart")
			}
		}},
		{"duplicate delivery", func(t *testing.T) {
			// Send the first committed records again as if a copy of an old
			// request arrived late: HQ answers, stores nothing new.
			batch, err := wire.NewBatch("DOSTUK-07", 1, b.committed[:50], wire.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := wire.MarshalBatch(batch)
			for i := 0; i < 3; i++ {
				ack, err := b.client.PostBatch(ctx, body)
				if err != nil {
					t.Fatal(err)
				}
				if ack.Stored != 0 || ack.Duplicates != 50 || ack.Alerts != 0 {
					t.Fatalf("replayed batch: %+v", ack)
				}
			}
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			b.commit(t, 1100) // more than one batch, so faults land between batches too
			st.fault(t)
			px.heal()
			b.heal(t, h)
		})
	}
}

// Random faults, seeded: every round commits some crossings and uploads under a
// random fault (or several); at the end, with the link healed, everything
// committed is at HQ exactly once with the same content.
func TestFaultsRandomized(t *testing.T) {
	n := *rounds
	if testing.Short() {
		n = min(n, 10)
	}
	rng := rand.New(rand.NewPCG(*faultSeed, 99))
	h := hqtest.Start(t, hq.Config{})
	px := newProxy(t, h.Addr)
	b := newBooth(t, h, px.addr(), *faultSeed)
	ctx := context.Background()
	counts := map[string]int{}
	start := time.Now()
	posted, checks := 0, 0

	for r := 0; r < n; r++ {
		b.commit(t, 1+rng.IntN(1200))
		fault := faults[rng.IntN(len(faults))]
		counts[fault]++
		c, cancel := context.WithTimeout(ctx, time.Duration(200+rng.IntN(800))*time.Millisecond)
		var wg gosync.WaitGroup
		switch fault {
		case "none":
		case "latency":
			px.toxic(t, "latency", pick(rng), fmt.Sprintf(`{"latency":%d,"jitter":%d}`, 10+rng.IntN(200), rng.IntN(50)))
		case "reset":
			px.toxic(t, "reset_peer", pick(rng), fmt.Sprintf(`{"timeout":%d}`, rng.IntN(100)))
		case "cut":
			px.toxic(t, "limit_data", pick(rng), fmt.Sprintf(`{"bytes":%d}`, 1+rng.IntN(100000)))
		case "silence":
			px.toxic(t, "timeout", pick(rng), fmt.Sprintf(`{"timeout":%d}`, rng.IntN(300)))
		case "slicer":
			px.toxic(t, "slicer", pick(rng), `{"average_size":64,"size_variation":32,"delay":10}`)
		case "ack lost":
			b.loseAck.Store(int32(1 + rng.IntN(2)))
		case "proxy down":
			px.cut()
			wg.Add(1)
			go func() { defer wg.Done(); time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond); px.reopen(t) }()
		case "HQ restart":
			delay := time.Duration(rng.IntN(200)) * time.Millisecond
			wg.Add(1)
			go func() { defer wg.Done(); time.Sleep(delay); h.Restart(t) }()
		case "booth died":
			delay := time.Duration(rng.IntN(150)) * time.Millisecond
			c2, cancel2 := context.WithTimeout(c, delay)
			b.link.Upload(c2)
			cancel2()
		case "replay":
			if len(b.committed) > 10 {
				i := rng.IntN(len(b.committed) - 10)
				last, _ := b.s.SentMark(ctx)
				if first := b.committed[i].Seq; first <= last+1 {
					batch, err := wire.NewBatch("DOSTUK-07", first, b.committed[i:i+10], wire.DefaultLimits)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := wire.MarshalBatch(batch)
					b.client.PostBatch(c, body)
				}
			}
		}
		res, _ := b.link.Upload(c) // may fail: that is the point
		posted += res.Batches
		cancel()
		wg.Wait()
		if fault == "booth died" {
			b.die(t)
		}
		px.heal()
		b.loseAck.Store(0)
		// Now and then the link stays healthy long enough to drain, so the run
		// also checks exactly-once in the middle, not only at the end.
		if rng.IntN(8) == 0 {
			b.heal(t, h)
			checks++
		}
	}
	b.heal(t, h)
	t.Logf("%d rounds, seed %d, %d records, %d batches acknowledged under faults, %d checks mid-run + 1 at the end, %s; faults %v",
		n, *faultSeed, len(b.committed), posted, checks, time.Since(start).Round(time.Millisecond), counts)
}

var faults = []string{"none", "latency", "reset", "cut", "silence", "slicer", "ack lost", "proxy down", "HQ restart", "booth died", "replay"}

func pick(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return "upstream"
	}
	return "downstream"
}
