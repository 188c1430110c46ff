package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/store"
	"github.com/jackc/pgx/v5"
)

// BenchmarkSummariesPostgres builds, in schema chekara_stats_bench_N_v2 (the
// one BenchmarkConsolePagesPostgres reads), the summary tables HQ's ingest
// would hold after N crossings — without the crossings. Ingesting 100 M
// through Apply takes about 11 hours on this machine (docs/benchmarks.md);
// the console's pages read only the summaries, so their speed at 100 M can be
// measured on summaries generated directly in SQL, shaped like the border's
// traffic:
//
//   - 2024-01-01 to 2026-12-04 (1,069 days), 15 posts of 1 to 4 booths (40),
//     each post's share of the traffic by its size, every day alike;
//   - entries and exits alike; 30 nationalities in a Zipf-like spread; three
//     document codes (P 90 %, I 8 %, AC 2 %);
//   - 98.5 % admitted, 0.5 % referred, 1 % refused over the grounds A–J;
//   - one watchlist hit in 300 crossings, over five categories, one in ten
//     confirmed.
//
// Each booth-day's expected count of every key is rounded at random (so rare
// keys appear as rarely as they would), crossing_counts is then corrected to
// hold exactly N, and the coarser summaries are the sums of the finer, as
// ingest keeps them. Run once; the benchmark reports the rows and the time.
//
//	eval "$(scripts/postgres.sh)"
//	CHEKARA_BENCH_CROSSINGS=100000000 go test -run '^$' -bench BenchmarkSummariesPostgres -benchtime 1x -timeout 60m ./hq/store
func BenchmarkSummariesPostgres(b *testing.B) {
	n := benchCrossings(b)
	OpenTestPostgres(b)
	ctx := context.Background()
	url := os.Getenv("CHEKARA_TEST_POSTGRES")
	schema := fmt.Sprintf("chekara_stats_bench_%d_v2", n)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		b.Fatal(err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	s, err := store.OpenPostgres(ctx, url+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	rows, err := s.CrossingStats(ctx, store.StatsQuery{})
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	if rows[0].Count == int64(n) {
		b.Logf("schema %s already holds the summaries of %d crossings", schema, n)
		return
	} else if rows[0].Count != 0 {
		b.Fatalf("schema %s holds %d crossings, not %d: drop it", schema, rows[0].Count, n)
	}
	if _, err := conn.Exec(ctx, "SET search_path = "+schema); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for _, step := range summarySQL(n) {
		t0 := time.Now()
		tag, err := conn.Exec(ctx, step.sql)
		if err != nil {
			b.Fatalf("%s: %v", step.name, err)
		}
		b.Logf("%s: %d rows in %v", step.name, tag.RowsAffected(), time.Since(t0).Round(time.Millisecond))
	}
	var total, cc, pd, mc, hc int64
	if err := conn.QueryRow(ctx, `SELECT (SELECT SUM(n) FROM crossing_counts), (SELECT COUNT(*) FROM crossing_counts),
		(SELECT COUNT(*) FROM post_day_counts), (SELECT COUNT(*) FROM month_counts), (SELECT COUNT(*) FROM hit_counts)`).Scan(&total, &cc, &pd, &mc, &hc); err != nil {
		b.Fatal(err)
	}
	if total != int64(n) {
		b.Fatalf("the summaries count %d crossings, not %d", total, n)
	}
	b.ReportMetric(time.Since(start).Seconds(), "fill_s")
	b.ReportMetric(float64(cc), "crossing_counts_rows")
	b.ReportMetric(float64(pd), "post_day_counts_rows")
	b.ReportMetric(float64(mc), "month_counts_rows")
	b.ReportMetric(float64(hc), "hit_counts_rows")
}

type sqlStep struct{ name, sql string }

// summarySQL is the generation, step by step (see BenchmarkSummariesPostgres).
func summarySQL(n int) []sqlStep {
	return []sqlStep{
		{"booth-days", `CREATE TEMP TABLE bench_booth_days AS
			WITH posts(post, booths, weight) AS (VALUES
				('MANAS', 4, 20), ('DOSTUK', 4, 16), ('KORDAY', 3, 14), ('OSH-AIR', 3, 10), ('AKZHOL', 3, 8),
				('KARA-SUU', 3, 8), ('TORUGART', 2, 4), ('IRKESHTAM', 2, 4), ('KYZYL-KIYA', 2, 4), ('BATKEN', 2, 3),
				('TALAS', 2, 3), ('CHALDYBAR', 2, 2), ('KARAMIK', 2, 2), ('BOR-DOBO', 3, 1), ('BISHKEK-RAIL', 3, 1)),
			days AS (SELECT d::date AS d FROM generate_series(date '2024-01-01', date '2026-12-04', interval '1 day') d)
			SELECT to_char(days.d, 'YYYY-MM-DD') AS day, to_char(days.d, 'IYYY') || '-W' || to_char(days.d, 'IW') AS week,
				to_char(days.d, 'YYYY-MM') AS month, p.post, p.post || '-0' || b AS booth,
				p.weight::float8 / p.booths AS weight
			FROM days CROSS JOIN posts p CROSS JOIN generate_series(1, p.booths) b`},
		{"keys", `CREATE TEMP TABLE bench_keys AS
			WITH nats AS (SELECT code, 1.0 / (ord + 1.5) AS w FROM unnest(ARRAY['KGZ','KAZ','UZB','RUS','CHN','TJK','TUR','IND',
				'PAK','USA','DEU','KOR','GBR','FRA','ITA','AFG','MNG','AZE','ARM','GEO','UKR','BLR','IRN','JPN','POL','ESP','NLD','CAN','AUS','ISR'])
				WITH ORDINALITY AS t(code, ord)),
			docs(doc, w) AS (VALUES ('P', 0.90), ('I', 0.08), ('AC', 0.02)),
			decisions(decision, reason, w) AS (VALUES ('admit', '', 0.985), ('refer', '', 0.005),
				('refuse', 'A', 0.002), ('refuse', 'B', 0.0005), ('refuse', 'C', 0.003), ('refuse', 'D', 0.0003),
				('refuse', 'E', 0.0015), ('refuse', 'F', 0.001), ('refuse', 'G', 0.0003), ('refuse', 'H', 0.0008),
				('refuse', 'I', 0.0002), ('refuse', 'J', 0.0004)),
			dirs(direction) AS (VALUES ('entry'), ('exit'))
			SELECT direction, nats.code AS nationality, doc, decision, reason,
				0.5 * nats.w / (SELECT SUM(w) FROM nats) * docs.w * decisions.w AS w
			FROM dirs CROSS JOIN nats CROSS JOIN docs CROSS JOIN decisions`},
		{"crossing_counts", fmt.Sprintf(`INSERT INTO crossing_counts (day, week, month, post, booth, direction, nationality, document_type, decision, refusal_reason, n)
			SELECT * FROM (SELECT bd.day, bd.week, bd.month, bd.post, bd.booth, k.direction, k.nationality, k.doc, k.decision, k.reason,
				floor(%d::float8 * bd.weight / (SELECT SUM(weight) FROM bench_booth_days) * k.w + random())::bigint AS n
				FROM bench_booth_days bd CROSS JOIN bench_keys k) x WHERE n > 0`, n)},
		{"exact total", fmt.Sprintf(`UPDATE crossing_counts SET n = n + (%d - (SELECT SUM(n) FROM crossing_counts))
			WHERE (day, post, booth, direction, nationality, document_type, decision, refusal_reason) =
				(SELECT day, post, booth, direction, nationality, document_type, decision, refusal_reason FROM crossing_counts ORDER BY n DESC LIMIT 1)`, n)},
		{"post_day_counts", `INSERT INTO post_day_counts (day, week, month, post, direction, decision, refusal_reason, n)
			SELECT day, week, month, post, direction, decision, refusal_reason, SUM(n) FROM crossing_counts
			GROUP BY day, week, month, post, direction, decision, refusal_reason`},
		{"month_counts", `INSERT INTO month_counts (month, post, direction, nationality, document_type, decision, refusal_reason, n)
			SELECT month, post, direction, nationality, document_type, decision, refusal_reason, SUM(n) FROM crossing_counts
			GROUP BY month, post, direction, nationality, document_type, decision, refusal_reason`},
		{"hit_counts", `INSERT INTO hit_counts (day, week, month, post, booth, nationality, category, resolution, n)
			SELECT * FROM (SELECT c.day, c.week, c.month, c.post, c.booth, c.nationality, cat.category, res.resolution,
				floor(c.n::float8 / 300 * cat.w * res.w + random())::bigint AS n
				FROM (SELECT day, week, month, post, booth, nationality, SUM(n) AS n FROM crossing_counts
					GROUP BY day, week, month, post, booth, nationality) c
				CROSS JOIN (VALUES ('watch', 0.5), ('deny_entry', 0.25), ('notify', 0.15), ('stolen', 0.07), ('arrest', 0.03)) cat(category, w)
				CROSS JOIN (VALUES ('false_match', 0.9), ('confirmed', 0.1)) res(resolution, w)) x
			WHERE n > 0`},
		{"hit_month_counts", `INSERT INTO hit_month_counts (month, post, nationality, category, resolution, n)
			SELECT month, post, nationality, category, resolution, SUM(n) FROM hit_counts
			GROUP BY month, post, nationality, category, resolution`},
		{"analyze", `ANALYZE`},
	}
}
