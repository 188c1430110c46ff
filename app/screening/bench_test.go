package screening_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/app/screening/testset"
)

const benchSeed = 6

// indexFormat is the index file format the cached files must have.
const indexFormat = 2

// cachedIndex returns the index file for a generated list, building and
// writing it under os.TempDir() the first time: building a million persons or
// ten million documents takes longer than the measurement itself.
func cachedIndex(b *testing.B, name string, list func() *screening.List) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("chekara-screening-%s-seed%d-v3.idx", name, benchSeed))
	// A file from an older index format is rebuilt; a damaged one fails
	// loadIndex with the reason (delete it and rerun).
	if f, err := os.Open(path); err == nil {
		head := make([]byte, 12)
		_, err := io.ReadFull(f, head)
		f.Close()
		if err == nil && string(head[:8]) == "CHKSCRN\x00" && binary.LittleEndian.Uint32(head[8:]) == indexFormat {
			return path
		}
	}
	t0 := time.Now()
	idx, err := screening.Build(list())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %v in %v", idx, time.Since(t0))
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := idx.WriteTo(w); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func loadIndex(b *testing.B, path string) (*screening.Index, time.Duration) {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	t0 := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	idx, err := screening.ReadIndex(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		b.Fatal(err)
	}
	return idx, time.Since(t0)
}

// rssMB is the process's resident memory, from /proc (Linux).
func rssMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func percentile(d []time.Duration, p float64) float64 {
	slices.Sort(d)
	i := int(float64(len(d)-1) * p)
	return float64(d[i].Nanoseconds()) / 1e6
}

// BenchmarkScreenPersons1M: one traveller at a time (one core) against a
// million listed persons, loaded from the persisted index as a booth starts.
// Half the travellers are listed persons, half unrelated.
func BenchmarkScreenPersons1M(b *testing.B) {
	const n = 1_000_000
	path := cachedIndex(b, "persons-1M", func() *screening.List {
		return &screening.List{Version: 1, Published: time.Unix(0, 0), Persons: testset.Persons(benchSeed, n)}
	})
	// The queries need the listed names; generate them before loading so the
	// list's memory is gone when RSS is read.
	queries := testset.Queries(benchSeed, testset.Persons(benchSeed, 20_000), 2_000)
	idx, load := loadIndex(b, path)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := rssMB()
	w := screening.NewWatchlist(idx, screening.DefaultConfig())
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	hits := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0, c0 := time.Now(), threadCPU()
		hits += len(w.Hits(queries[i%len(queries)]))
		cpu = append(cpu, threadCPU()-c0)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(percentile(lat, 0.99), "p99_ms")
	b.ReportMetric(percentile(lat, 0.50), "p50_ms")
	b.ReportMetric(percentile(cpu, 0.99), "p99_cpu_ms")
	b.ReportMetric(load.Seconds(), "load_s")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap_MB")
	b.ReportMetric(rss, "rss_MB")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/query")

	// A delta of a hundred changes: the booth rebuilds beside the live index.
	d := &screening.Delta{Version: 2, Base: 1, Published: time.Unix(3600, 0)}
	for i := range 50 {
		d.Ops = append(d.Ops, screening.Op{Action: screening.Remove, Kind: screening.KindPerson, ID: fmt.Sprintf("P%07d", i+1)})
	}
	for i, p := range testset.Persons(benchSeed+100, 50) {
		p.ID = fmt.Sprintf("NEW%04d", i)
		d.Ops = append(d.Ops, screening.Op{Action: screening.Add, Kind: screening.KindPerson, ID: p.ID, Person: &p})
	}
	t0 := time.Now()
	if err := w.Apply(d); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(t0).Seconds(), "apply_s")
	b.ReportMetric(peakMB(), "peak_rss_MB")
}

// peakMB is the process's peak resident memory (VmHWM).
func peakMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkDocuments10M: lookups of a document (issuing state and number,
// with the look-alike second key) against ten million listed documents.
func BenchmarkDocuments10M(b *testing.B) {
	const n = 10_000_000
	path := cachedIndex(b, "documents-10M", func() *screening.List {
		return &screening.List{Version: 1, Published: time.Unix(0, 0), Documents: testset.Documents(benchSeed, n)}
	})
	listed := testset.Documents(benchSeed, 1000) // the first thousand are listed
	idx, load := loadIndex(b, path)
	w := screening.NewWatchlist(idx, screening.DefaultConfig())
	lat := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	hits := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := listed[i%len(listed)]
		t := screening.Traveller{IssuingState: d.IssuingState, DocumentNumber: d.DocumentNumber}
		switch i % 3 {
		case 1:
			t.DocumentNumber = "ZZ" + d.DocumentNumber[2:] // not listed
		case 2:
			t.DocumentNumber = strings.NewReplacer("0", "O", "1", "I").Replace(d.DocumentNumber) // look-alike
		}
		t0, c0 := time.Now(), threadCPU()
		hits += len(w.Hits(t))
		cpu = append(cpu, threadCPU()-c0)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(percentile(lat, 0.99)*1000, "p99_us")
	b.ReportMetric(percentile(cpu, 0.99)*1000, "p99_cpu_us")
	b.ReportMetric(load.Seconds(), "load_s")
	b.ReportMetric(rssMB(), "rss_MB")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
}

// BenchmarkScreen5k is the everyday figure on a small list, quick to rerun.
func BenchmarkScreen5k(b *testing.B) {
	set := testset.Generate(benchSeed, 5000, 0, 2000)
	idx, err := screening.Build(set.List)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		idx.Screen(set.Unrelated[i%len(set.Unrelated)], screening.DefaultConfig())
	}
}

// BenchmarkBuild5k times building an index and writing and reading its file.
func BenchmarkBuild5k(b *testing.B) {
	set := testset.Generate(benchSeed, 5000, 0, 0)
	for i := 0; i < b.N; i++ {
		idx, err := screening.Build(set.List)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := idx.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
		if _, err := screening.ReadIndex(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
