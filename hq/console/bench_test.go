package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/console"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"net/http/httptest"
)

// BenchmarkConsolePagesPostgres: every console page, signed in, over the
// PostgreSQL population the store's statistics benchmark builds
// (BenchmarkStatisticsPostgres, schema chekara_stats_bench_N_v2, N from
// CHEKARA_BENCH_CROSSINGS, default 1,000,000): build it first. Reports the
// mean and the 95th percentile of whole HTTPS requests, page rendered.
func BenchmarkConsolePagesPostgres(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_CROSSINGS")); err == nil && v > 0 {
		n = v
	}
	url := hqtest.PostgresURL(b) // a scratch schema; the population's is named below
	base := url[:strings.Index(url, "search_path=")]
	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, base+fmt.Sprintf("search_path=chekara_stats_bench_%d_v2", n))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rows, err := st.CrossingStats(ctx, store.StatsQuery{})
	if err != nil || len(rows) == 0 || rows[0].Count != int64(n) {
		b.Skipf("schema chekara_stats_bench_%d_v2 does not hold %d crossings (%v): run BenchmarkStatisticsPostgres with CHEKARA_BENCH_CROSSINGS=%d first", n, n, err, n)
	}
	dir := b.TempDir()
	audit, err := console.OpenFileAudit(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer audit.Close()
	acc := &accounts{m: map[string]console.Account{}}
	acc.add(console.Account{ID: "timur", Name: "Timur", Role: console.RoleAuditor, Password: "plain:battery staple"})
	c, err := console.New(console.Config{Stats: st, Accounts: acc, Audit: audit, CheckPassword: checkPlain,
		Clock: newClock(time.Date(2026, 12, 4, 15, 0, 0, 0, bishkek)), Location: bishkek, MaxPerIP: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewTLSServer(c)
	defer srv.Close()
	r := &rig{t: b, srv: srv}
	br := r.browser()
	if code, _ := br.signIn("timur", "battery staple"); code != 303 {
		b.Fatalf("sign-in: %d", code)
	}
	for _, p := range []struct{ name, path string }{
		{"overview", "/"}, {"overview-refresh", "/live"}, {"flows-default", "/flows"},
		{"flows-nationality-month-year", "/flows?period=month&by=nationality&from=2026-01-01&to=2026-12-31"},
		{"flows-post-direction-week-year", "/flows?period=week&by=post&by=direction&from=2026-01-01&to=2026-12-31"},
		{"flows-csv-post-day-year", "/flows.csv?period=day&by=post&from=2026-01-01&to=2026-12-31"},
		{"refusals-year", "/refusals?from=2026-01-01&to=2026-12-31"}, {"hits-year", "/hits?from=2026-01-01&to=2026-12-31"},
		{"refusals-default", "/refusals"}, {"hits-default", "/hits"},
		{"booths", "/booths"}, {"audit", "/audit"}, {"monthly-report", "/reports?month=2026-11"},
		{"monthly-pdf", "/reports/monthly.pdf?month=2026-11"}, {"api-post-day", "/api/v1/statistics?by=post,day"},
		// What only the finest summary (crossing_counts: day × booth ×
		// nationality × document) answers: by booth, or by nationality over
		// days rather than whole months.
		{"flows-booth-day-month", "/flows?period=day&by=booth&from=2026-11-01&to=2026-11-30"},
		{"flows-nationality-day-month", "/flows?period=day&by=nationality&from=2026-11-01&to=2026-11-30"},
		{"flows-booth-month-year", "/flows?period=month&by=booth&from=2026-01-01&to=2026-12-31"},
		{"api-booth-nationality-year", "/api/v1/statistics?by=booth,nationality&from=2026-01-01&to=2026-12-31"},
		{"api-booth-day-year", "/api/v1/statistics?by=booth,day&from=2026-01-01&to=2026-12-31"},
		{"api-booth-week-part-year", "/api/v1/statistics?by=booth,week&from=2026-01-15&to=2026-11-20"},
		// The one shape still over the second at 100 M: nationality by day
		// over a year reads crossing_counts whole (docs/benchmarks.md).
		{"api-nationality-day-year", "/api/v1/statistics?by=nationality,day&from=2026-01-01&to=2026-12-31"},
	} {
		b.Run(p.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if code, _ := br.get(p.path); code != 200 {
					b.Fatalf("%s: %d", p.path, code)
				}
				times = append(times, time.Since(t0))
			}
			slices.Sort(times)
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(len(times)), "ms/page")
			b.ReportMetric(float64(times[(len(times)*95+99)/100-1].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(n), "crossings")
		})
	}
}
