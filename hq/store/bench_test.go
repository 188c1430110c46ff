package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
)

// Store-level apply of 1,000-record batches (no TLS, no decoding): the part of
// HQ ingest the database does. b.N is the number of batches.
func BenchmarkApplySQLite(b *testing.B) {
	s, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "hq.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchApply(b, s)
}

func BenchmarkApplyPostgres(b *testing.B) { benchApply(b, OpenTestPostgres(b)) }

func benchApply(b *testing.B, s store.Store) {
	const size = 1000
	ctx := context.Background()
	if err := s.Enrol(ctx, store.Booth{ID: "B", Post: "P", EnrolledAt: t0}, store.Certificate{Serial: "1", IssuedAt: t0, NotAfter: t0}); err != nil {
		b.Fatal(err)
	}
	batches := make([]store.Batch, b.N)
	for i := range batches {
		from := int64(i*size + 1)
		batches[i] = store.Batch{Booth: "B", From: from, To: from + size - 1, Source: "link"}
		for seq := from; seq < from+size; seq++ {
			batches[i].Records = append(batches[i].Records, record("B", seq, wire.KindCrossing,
				fmt.Sprintf(`{"ID":"%d","Post":"DOSTUK","Booth":"B","Direction":"entry","Decision":"admit","Document":{"IssuingState":"KGZ","Number":"AC%07d"},"Traveller":{"Surname":"ASANOV","GivenNames":"BAKYT","BirthDate":"1990-01-01","Nationality":"KGZ"},"Sex":"M","Expiry":"2031-05-05","BoothTime":"2026-11-25T08:00:00Z"}`, seq, seq)))
		}
	}
	b.ResetTimer()
	for i := range batches {
		if _, err := s.Apply(ctx, batches[i], t0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "records/s")
}
