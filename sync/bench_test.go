package sync_test

import (
	"context"
	"github.com/chekara/chekara/sync/wire"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
	"github.com/chekara/chekara/sync"
)

// backlogDB writes a booth store holding n synthetic crossings, none sent, once
// per process, and returns its path; each benchmark round copies it.
func backlogDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), "chekara-sync-bench-backlog.db")
	if fi, err := os.Stat(path + ".ok"); err == nil && fi.Size() == int64(n) {
		return path
	}
	os.Remove(path)
	s, err := store.Open(path, store.Options{CacheKiB: 64 << 10})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s.SetBooth(ctx, "DOSTUK-07", "DOSTUK")
	if _, err := s.Seed(ctx, synth.New(synth.Config{Seed: 42, Crossings: n}).Next, 5000, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(path+".ok", make([]byte, n), 0o600)
	return path
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	dst.Close()
}

// drain uploads a 50,000-crossing backlog from a real booth store to a real HQ
// (SQLite) through addr (HQ itself, or a proxy in front of it) and reports the
// seconds it took.
func drain(b *testing.B, h *hqtest.HQ, via func(hqAddr string) string) {
	const n = 50_000
	b.StopTimer()
	tmpl := backlogDB(b, n)
	ctx := context.Background()
	var secs, bytes float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		booth := "DOSTUK-" + time.Now().Format("150405.000000")
		bundle := h.Enrol(b, booth, "DOSTUK")
		path := filepath.Join(b.TempDir(), "booth.db")
		copyFile(b, tmpl, path)
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c, err := sync.NewClient(bundle, sync.ClientOptions{Address: "https://" + via(h.Addr)})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := sync.Upload(ctx, s, c, booth, wire.DefaultLimits)
		el := time.Since(start)
		b.StopTimer()
		if err != nil || !res.Complete || res.Records != n {
			b.Fatalf("drain: %+v, %v", res, err)
		}
		secs += el.Seconds()
		bytes += float64(res.Bytes)
		c.Close()
		s.Close()
	}
	b.ReportMetric(secs/float64(b.N), "s/50k")
	b.ReportMetric(float64(n*b.N)/secs, "records/s")
	b.ReportMetric(bytes/float64(n*b.N), "wire-B/record")
}

// A 50,000-crossing backlog drains to HQ on loopback (issue 8: ≤ 30 s).
func BenchmarkDrainLoopback(b *testing.B) {
	h := hqtest.Start(b, hq.Config{})
	drain(b, h, func(addr string) string { return addr })
}

// The same backlog over a 256 kbit/s link with 300 ms round trips: toxiproxy's
// bandwidth toxic at 32 KB/s each way and 150 ms latency each way (issue 8:
// ≤ 5 minutes).
func BenchmarkDrainSlowLink(b *testing.B) {
	h := hqtest.Start(b, hq.Config{})
	px := newProxy(b, h.Addr)
	for _, stream := range []string{"upstream", "downstream"} {
		px.toxic(b, "bandwidth", stream, `{"rate":32}`)
		px.toxic(b, "latency", stream, `{"latency":150}`)
	}
	drain(b, h, func(string) string { return px.addr() })
}

// Encoding and decoding a full batch of 1,000 synthetic crossings.
func BenchmarkBatchCodec(b *testing.B) {
	st := synth.New(synth.Config{Seed: 1, Crossings: 1000})
	ob := &memOutbox{}
	for i := 0; i < 1000; i++ {
		c, _ := st.Next()
		_ = c
	}
	ob.add(1000)
	recs, _ := ob.Outbox(context.Background(), 0, 1000, 1<<30)
	batch, err := wire.NewBatch("DOSTUK-07", 1, recs, wire.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	enc, _ := wire.MarshalBatch(batch)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data, _ := wire.MarshalBatch(batch)
		if _, err := wire.DecodeBatch(bytesReader(data), wire.DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(enc))/1000, "wire-B/record")
}
