package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
)

// BenchmarkStoragePerCrossing fills a new store with decided crossings (the
// synthetic population of the history benchmark: crossing, outbox row, audit
// entry each), closes it, and reports the file's bytes per crossing and per
// million (issue 14 item 13: ≤ 500 MB per million), and each table's and
// index's share. CHEKARA_BENCH_STORAGE_N sets the crossings (default 100,000);
// b.N is ignored: run with -benchtime 1x.
func BenchmarkStoragePerCrossing(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_STORAGE_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	var size int64
	var path string
	for b.Loop() {
		path = filepath.Join(b.TempDir(), "booth.db")
		s, err := store.Open(path, store.Options{CacheKiB: 64 << 10})
		if err != nil {
			b.Fatal(err)
		}
		stream := synth.New(synth.Config{Seed: benchSeed, Crossings: n})
		if _, err := s.Seed(ctx, stream.Next, 10000, nil); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		size = 0
		for _, suffix := range []string{"", "-wal"} {
			if st, err := os.Stat(path + suffix); err == nil {
				size += st.Size()
			}
		}
	}
	b.ReportMetric(float64(size)/float64(n), "bytes/crossing")
	b.ReportMetric(float64(size)/(1<<20)/(float64(n)/1e6), "MB/1M")
	// Where the bytes are (dbstat, when the SQLite build has it).
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
	if err != nil {
		b.Logf("no dbstat: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var bytes int64
		if rows.Scan(&name, &bytes) == nil && bytes*20 > size {
			b.ReportMetric(float64(bytes)/float64(n), name+"_B/crossing")
		}
	}
}
