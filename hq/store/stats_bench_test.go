package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
)

// benchCrossings is the population of the statistics benchmarks:
// CHEKARA_BENCH_CROSSINGS, default 1,000,000.
func benchCrossings(b *testing.B) int {
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_CROSSINGS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// populated returns a SQLite HQ holding n real crossings, ingested through
// Apply (so the summary tables are the ones ingest keeps). Built once into
// the temporary folder and reused by later runs: building 1 M takes minutes.
func populated(b *testing.B, n int) *store.SQLite {
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("chekara-stats-bench-%d-v2.db", n))
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		tmp := path + ".building"
		os.Remove(tmp)
		s, err := store.OpenSQLite(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if err := ingest(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		s.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("ingested %d crossings in %v", n, time.Since(start).Round(time.Second))
	}
	s, err := store.OpenSQLite(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// ingest applies n crossings spread over a year at 8 posts of 3 booths, with
// a skewed mix of nationalities, documents and decisions, in 5,000-record batches.
func ingest(ctx context.Context, s store.Store, n int) error {
	posts := []string{"DOSTUK", "TORUGART", "IRKESHTAM", "KARAMYK", "AK-JOL", "MANAS", "OSH", "KYZYL-KIYA"}
	nats := []string{"KGZ", "KGZ", "KGZ", "KGZ", "KAZ", "KAZ", "UZB", "UZB", "RUS", "CHN", "TJK", "TUR", "DEU", "USA", "IND", "AFG", "GBR", "KOR", "JPN", "IRN"}
	docs := []string{"P", "P", "P", "ID", "AC"}
	reasons := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I"}
	zone := time.FixedZone("KGT", 6*3600)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, zone)
	rng := rand.New(rand.NewPCG(1, 2))
	var booths []string
	for _, p := range posts {
		for i := 1; i <= 3; i++ {
			id := fmt.Sprintf("%s-%02d", p, i)
			booths = append(booths, id)
			if err := s.Enrol(ctx, store.Booth{ID: id, Post: p, EnrolledAt: start}, store.Certificate{Serial: fmt.Sprintf("%x", sha256.Sum256([]byte(id)))[:16], IssuedAt: start, NotAfter: start.AddDate(5, 0, 0)}); err != nil {
				return err
			}
		}
	}
	const size = 5000
	seq := map[string]int64{}
	for done := 0; done < n; {
		booth := booths[(done/size)%len(booths)]
		post := posts[(done/size)%len(booths)/3]
		batch := store.Batch{Booth: booth, From: seq[booth] + 1, Source: "link"}
		for i := 0; i < size && done < n; i, done = i+1, done+1 {
			seq[booth]++
			// Crossings in order through the year, as booths decide them.
			at := start.Add(time.Duration(float64(365*24*time.Hour) * float64(done) / float64(n)))
			c := app.Crossing{ID: fmt.Sprintf("%s-%09d", booth, seq[booth]), OfficerID: "OFF-1", Post: post, Booth: booth,
				Direction: app.Entry, Decision: app.Admit, DocumentCode: docs[rng.IntN(len(docs))], BoothTime: at,
				Document:  app.DocumentKey{IssuingState: "KGZ", Number: fmt.Sprintf("AC%07d", done)},
				Traveller: app.TravellerKey{Surname: "ASANOV", GivenNames: "BAKYT", BirthDate: "1990-01-01", Nationality: nats[rng.IntN(len(nats))]}}
			if rng.IntN(2) == 1 {
				c.Direction = app.Exit
			}
			switch r := rng.IntN(100); {
			case r < 3:
				c.Decision, c.RefusalReason = app.Refuse, reasons[rng.IntN(len(reasons))]
			case r < 5:
				c.Decision = app.Refer
			}
			if rng.IntN(100) == 0 {
				c.Hits = []app.HitResolution{{ListID: "L", Kind: "person", Category: "deny_entry", Confirmed: rng.IntN(3) == 0, Note: "n"}}
			}
			payload := wire.EncodeCrossing(c)
			sum := sha256.Sum256(payload)
			batch.Records = append(batch.Records, store.Record{Booth: booth, Seq: seq[booth], ID: c.ID, Kind: wire.KindCrossing, Payload: payload, SHA256: sum[:]})
		}
		batch.To = seq[booth]
		if _, err := s.Apply(ctx, batch, start); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkStatisticsSQLite: one statistics request (the console's pages and
// `hq report --by`) over an HQ holding 1 M crossings.
func BenchmarkStatisticsSQLite(b *testing.B) {
	n := benchCrossings(b)
	s := populated(b, n)
	benchStatistics(b, s, n)
}

func benchStatistics(b *testing.B, s store.Store, n int) {
	ctx := context.Background()
	queries := []struct {
		name string
		q    store.StatsQuery
	}{
		{"post,day/year", store.StatsQuery{By: []string{"post", "day"}}},
		{"post,direction/today", store.StatsQuery{By: []string{"post", "direction"}, From: "2026-12-04", To: "2026-12-04"}},
		{"post,direction/week", store.StatsQuery{By: []string{"post", "direction"}, From: "2026-11-30", To: "2026-12-06"}},
		{"nationality,month", store.StatsQuery{By: []string{"nationality", "month"}}},
		{"refusals/reason", store.StatsQuery{By: []string{"refusal_reason"}, Where: map[string]string{"decision": "refuse"}}},
		{"week,post/one-post", store.StatsQuery{By: []string{"week"}, Where: map[string]string{"post": "DOSTUK"}}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			var total int64
			cpu0 := cpuTime()
			for b.Loop() {
				rows, err := s.CrossingStats(ctx, q.q)
				if err != nil {
					b.Fatal(err)
				}
				total = 0
				for _, r := range rows {
					total += r.Count
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/request")
			// The machine is shared: the process's own CPU time per request is
			// what one core spends on it, whatever the load.
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/request")
			b.ReportMetric(float64(n), "crossings")
			if q.q.From == "" && len(q.q.Where) == 0 && total != int64(n) {
				b.Errorf("counted %d crossings of %d", total, n)
			}
		})
	}
}

// cpuTime is the process's user + system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkStatisticsPostgres: as BenchmarkStatisticsSQLite on PostgreSQL. The
// population is kept in schema chekara_stats_bench_N of CHEKARA_TEST_POSTGRES
// and reused by later runs.
func BenchmarkStatisticsPostgres(b *testing.B) {
	n := benchCrossings(b)
	OpenTestPostgres(b) // skips (fails in CI) without PostgreSQL
	ctx := context.Background()
	url := os.Getenv("CHEKARA_TEST_POSTGRES")
	schema := fmt.Sprintf("chekara_stats_bench_%d_v2", n)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	s, err := store.OpenPostgres(ctx, url+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rows, err := s.CrossingStats(ctx, store.StatsQuery{})
	if err != nil {
		b.Fatal(err)
	}
	if rows[0].Count != int64(n) {
		start := time.Now()
		if rows[0].Count != 0 {
			b.Fatalf("schema %s holds %d crossings, not %d: drop it", schema, rows[0].Count, n)
		}
		if err := ingest(ctx, s, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("ingested %d crossings in %v", n, time.Since(start).Round(time.Second))
	}
	benchStatistics(b, s, n)
}
