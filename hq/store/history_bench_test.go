package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// Server-side national history query (both keys, limit 200, as a booth asks)
// on a store filled with CHEKARA_BENCH_HQ_CROSSINGS crossings (default
// 200,000) of one traveller in five; reports p99 and the ingest rate of the
// fill, which now indexes every crossing.
func BenchmarkHistorySQLite(b *testing.B) {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "hq.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchHistory(b, s)
}

func BenchmarkHistoryPostgres(b *testing.B) { benchHistory(b, OpenTestPostgres(b)) }

// BenchmarkHistorySQLite10M: the same query on a SQLite store of
// CHEKARA_BENCH_HQ_CROSSINGS crossings (default 10,000,000) filled with
// BulkLoad (records and the history index only; Apply's ingest rate is
// BenchmarkIngestSQLite's) and cached in $TMPDIR between runs. Reports the
// fill's rate too.
func BenchmarkHistorySQLite10M(b *testing.B) {
	n := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_HQ_CROSSINGS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("chekara-bench-hq-history-n%d-v1.db", n))
	_, err := os.Stat(path)
	cached := err == nil
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	persons := max(n/5, 1)
	fill := 0.0
	if !cached {
		start := time.Now()
		const size = 20000
		for from := 1; from <= n; from += size {
			bt := store.Batch{Booth: "B", From: int64(from), To: int64(min(from+size-1, n))}
			for seq := from; seq <= min(from+size-1, n); seq++ {
				bt.Records = append(bt.Records, benchCrossing(seq, persons))
			}
			if err := s.BulkLoad(ctx, bt, t0); err != nil {
				os.Remove(path)
				b.Fatal(err)
			}
		}
		fill = float64(n) / time.Since(start).Seconds()
		b.Logf("filled %d crossings in %v", n, time.Since(start).Round(time.Second))
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		doc, p := benchTraveller((i * 7919) % persons)
		t := time.Now()
		recs, err := s.History(ctx, doc, p, 200)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
		if len(recs) != 5 {
			b.Fatalf("%d crossings of %+v, want 5", len(recs), p)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	if fill > 0 {
		b.ReportMetric(fill, "fill-crossings/s")
	}
	b.ReportMetric(float64(n), "crossings")
}

// benchCrossing is the seq-th crossing of the benchmark's population.
func benchCrossing(seq, persons int) store.Record {
	doc, p := benchTraveller(seq % persons)
	d := app.Entry
	if (seq/persons)%2 == 1 {
		d = app.Exit
	}
	c := app.Crossing{ID: fmt.Sprintf("0193a1b2-0000-7000-8000-%012d", seq), OfficerID: "K1", Post: "MANAS", Booth: "B",
		Direction: d, Decision: app.Admit, Document: doc, DocumentCode: "P", Traveller: p,
		BoothTime: t0.Add(time.Duration(seq) * time.Minute)}
	payload := wire.EncodeCrossing(c)
	sum := sha256.Sum256(payload)
	return store.Record{Booth: "B", Seq: int64(seq), ID: c.ID, Kind: wire.KindCrossing, Payload: payload, SHA256: sum[:]}
}

func benchTraveller(i int) (app.DocumentKey, app.TravellerKey) {
	return app.DocumentKey{IssuingState: "GBR", Number: fmt.Sprintf("P%08d", i)},
		app.TravellerKey{Surname: fmt.Sprintf("SURNAME%d", i), GivenNames: "GIVEN", BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 50+i%50, 1+i%12, 1+i%28), Nationality: "GBR"}
}

func benchHistory(b *testing.B, s store.Store) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_HQ_CROSSINGS")); err == nil && v > 0 {
		n = v
	}
	persons := max(n/5, 1)
	ctx := context.Background()
	if err := s.Enrol(ctx, store.Booth{ID: "B", Post: "P", EnrolledAt: t0}, store.Certificate{Serial: "1", IssuedAt: t0, NotAfter: t0}); err != nil {
		b.Fatal(err)
	}
	const size = 5000
	start := time.Now()
	for from := 1; from <= n; from += size {
		bt := store.Batch{Booth: "B", From: int64(from), To: int64(min(from+size-1, n)), Source: "link"}
		for seq := from; seq <= min(from+size-1, n); seq++ {
			doc, p := benchTraveller(seq % persons)
			d := app.Entry
			if (seq/persons)%2 == 1 {
				d = app.Exit
			}
			c := app.Crossing{ID: fmt.Sprintf("0193a1b2-0000-7000-8000-%012d", seq), OfficerID: "K1", Post: "MANAS", Booth: "B",
				Direction: d, Decision: app.Admit, Document: doc, DocumentCode: "P", Traveller: p,
				BoothTime: t0.Add(time.Duration(seq) * time.Minute)}
			payload := wire.EncodeCrossing(c)
			sum := sha256.Sum256(payload)
			bt.Records = append(bt.Records, store.Record{Booth: "B", Seq: int64(seq), ID: c.ID, Kind: wire.KindCrossing, Payload: payload, SHA256: sum[:]})
		}
		if _, err := s.Apply(ctx, bt, t0); err != nil {
			b.Fatal(err)
		}
	}
	ingest := float64(n) / time.Since(start).Seconds()
	// CHEKARA_BENCH_HQ_QUERIES queries per iteration (default 1): with
	// -benchtime=1x the store is filled once (Go runs a benchmark once with
	// b.N = 1 before the b.N asked, and each run fills its own store).
	q := 1
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_HQ_QUERIES")); err == nil && v > 0 {
		q = v
	}
	b.Logf("filled %d crossings in %v", n, time.Since(start).Round(time.Second))
	lat := make([]time.Duration, 0, b.N*q)
	b.ResetTimer()
	for i := 0; i < b.N*q; i++ {
		doc, p := benchTraveller((i * 7919) % persons)
		t := time.Now()
		recs, err := s.History(ctx, doc, p, 200)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
		if len(recs) == 0 {
			b.Fatalf("no history for %+v", p)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(ingest, "fill-crossings/s")
	b.ReportMetric(float64(n), "crossings")
}
