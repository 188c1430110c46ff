package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
	"github.com/chekara/chekara/sync/wire"
)

// reportDurations reports the median and 99th percentile of per-operation times.
func reportDurations(b *testing.B, d []time.Duration) {
	b.Helper()
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	ms := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
}

// BenchmarkRecordCrossing measures one decided crossing: one durable
// transaction (crossing, outbox row, audit entry, fsync) on a real file.
func BenchmarkRecordCrossing(b *testing.B) {
	ctx := context.Background()
	s, _ := openStore(b, store.Options{})
	stream := synth.New(synth.Config{Seed: 7, Crossings: b.N + 1000})
	for range 1000 { // a store that is not empty
		c, _ := stream.Next()
		if err := s.Decide(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	cs := make([]app.Crossing, b.N)
	for i := range cs {
		cs[i], _ = stream.Next()
	}
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if err := s.Decide(ctx, cs[i]); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	reportDurations(b, d)
}

// benchCrossings is the size of the history benchmark's store: 10 M, or
// CHEKARA_BENCH_CROSSINGS for a quick look.
func benchCrossings(b *testing.B) int {
	if v := os.Getenv("CHEKARA_BENCH_CROSSINGS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("CHEKARA_BENCH_CROSSINGS=%q", v)
		}
		return n
	}
	return 10_000_000
}

// benchSeed fixes the synthetic population of the cached store.
const benchSeed = 20261125

// HistoryStorePath is where the history benchmark keeps its store between runs,
// keyed by seed, size and schema so a stale file is never reused.
func historyStorePath(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("chekara-bench-history-s%d-n%d-v2.db", benchSeed, n))
}

// cachedHistoryStore opens the benchmark store, building it once (tens of
// minutes for 10 M) through the seeding path. A partial build is never reused:
// it is built under another name and renamed when complete.
func cachedHistoryStore(b *testing.B, n int) *store.Store {
	b.Helper()
	ctx := context.Background()
	path := historyStorePath(n)
	if s, err := store.Open(path, store.Options{}); err == nil {
		if last, err := s.LastSeq(ctx); err == nil && last == int64(n) {
			return s
		}
		s.Close()
	}
	b.Logf("building %s (%d crossings; kept for later runs)", path, n)
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	s, err := store.Open(tmp, store.Options{CacheKiB: 512 << 10})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	stream := synth.New(synth.Config{Seed: benchSeed, Crossings: n})
	if _, err := s.Seed(ctx, stream.Next, 10000, nil); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built in %s", time.Since(start).Round(time.Second))
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkHistory10M measures the travel history of one traveller (by
// document and by person, as the booth asks) in a store of 10 M crossings, and
// reports the store's size per million crossings.
func BenchmarkHistory10M(b *testing.B) {
	ctx := context.Background()
	n := benchCrossings(b)
	s := cachedHistoryStore(b, n)
	defer s.Close()

	// Travellers to look up: the people behind randomly chosen crossings.
	rng := rand.New(rand.NewPCG(1, 2))
	type who struct {
		doc    app.DocumentKey
		person app.TravellerKey
	}
	var people []who
	for range 2000 {
		recs, err := s.Outbox(ctx, rng.Int64N(int64(n)), 1, 0)
		if err != nil || len(recs) != 1 {
			b.Fatalf("sampling: %v", err)
		}
		c, err := wire.DecodeCrossing(recs[0].Payload)
		if err != nil {
			b.Fatal(err)
		}
		people = append(people, who{c.Document, c.Traveller})
	}
	d := make([]time.Duration, 0, b.N)
	found := 0
	b.ResetTimer()
	for i := range b.N {
		p := people[i%len(people)]
		t0 := time.Now()
		h, err := s.History(ctx, p.doc, p.person, 50)
		d = append(d, time.Since(t0))
		if err != nil || len(h) == 0 {
			b.Fatalf("History: %d crossings, %v", len(h), err)
		}
		found += len(h)
	}
	b.StopTimer()
	reportDurations(b, d)
	b.ReportMetric(float64(found)/float64(b.N), "crossings/op")
	var size int64
	for _, suffix := range []string{"", "-wal"} {
		if st, err := os.Stat(s.Path() + suffix); err == nil {
			size += st.Size()
		}
	}
	b.ReportMetric(float64(size)/(1<<20)/(float64(n)/1e6), "MB/1M")
}

// BenchmarkSeed measures the seeding path (batched decisions) that builds
// benchmark and demo stores.
func BenchmarkSeed(b *testing.B) {
	s, _ := openStore(b, store.Options{CacheKiB: 64 << 10})
	stream := synth.New(synth.Config{Seed: 3, Crossings: b.N})
	b.ResetTimer()
	if _, err := s.Seed(context.Background(), stream.Next, 5000, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "crossings/s")
}
