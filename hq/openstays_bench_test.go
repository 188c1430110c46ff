package hq_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// BenchmarkPublishOpenStays: HQ recomputes the open stays over a store of
// CHEKARA_BENCH_STAYS_CROSSINGS crossings (default 200,000: 40,000 visitors,
// five crossings each, the last an entry, so every one has an open stay) and
// publishes; then 1,000 more crossings arrive and b.N publications follow,
// each a delta. Reports the first (snapshot) and the delta publication's
// time, which is a pass over the whole index.
func BenchmarkPublishOpenStays(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_STAYS_CROSSINGS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	h := hqtest.Start(b, hq.Config{})
	h.Enrol(b, "B", "MANAS")
	persons := n / 5
	t0 := time.Now().AddDate(0, 0, -100)
	seq := 0
	apply := func(count int) {
		for count > 0 {
			size := min(count, 5000)
			bt := store.Batch{Booth: "B", From: int64(seq + 1), To: int64(seq + size), Source: "link"}
			for i := 0; i < size; i++ {
				seq++
				k := seq % persons
				d := app.Entry
				if (seq/persons)%2 == 1 {
					d = app.Exit
				}
				c := app.Crossing{ID: fmt.Sprintf("0193a1b2-0000-7000-8000-%012d", seq), OfficerID: "K1", Post: "MANAS", Booth: "B",
					Direction: d, Decision: app.Admit, DocumentCode: "P",
					Document:  app.DocumentKey{IssuingState: "UZB", Number: fmt.Sprintf("N%08d", k)},
					Traveller: app.TravellerKey{Surname: fmt.Sprintf("S%07d", k), GivenNames: "G", BirthDate: "1980-01-01", Nationality: "UZB"},
					BoothTime: t0.Add(time.Duration(seq) * time.Minute / 50)}
				payload := wire.EncodeCrossing(c)
				sum := sha256.Sum256(payload)
				bt.Records = append(bt.Records, store.Record{Booth: "B", Seq: int64(seq), ID: c.ID, Kind: wire.KindCrossing, Payload: payload, SHA256: sum[:]})
			}
			if _, err := h.Store().Apply(ctx, bt, time.Now()); err != nil {
				b.Fatal(err)
			}
			count -= size
		}
	}
	apply(n)
	start := time.Now()
	p, ok, err := h.PublishOpenStays(ctx)
	if err != nil || !ok {
		b.Fatal(err)
	}
	first := time.Since(start)
	b.ResetTimer()
	var delta time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		apply(1000) // 1,000 visitors leave (or come back)
		b.StartTimer()
		start := time.Now()
		if p, ok, err = h.PublishOpenStays(ctx); err != nil || !ok || !p.Delta {
			b.Fatalf("publication %d: %v %v", i, ok, err)
		}
		delta += time.Since(start)
	}
	b.ReportMetric(first.Seconds(), "first-s")
	b.ReportMetric(delta.Seconds()/float64(b.N), "delta-s")
	b.ReportMetric(float64(len(p.Content))/1e3, "delta-kB")
	b.ReportMetric(float64(n), "crossings")
}
