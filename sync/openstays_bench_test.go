package sync_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
)

// benchStay is the i-th synthetic open stay: a UUIDv7-shaped id per
// crossing, one traveller in four with an earlier trip inside the window.
func benchStay(i int, gen int) wire.OpenStay {
	r := rand.New(rand.NewPCG(uint64(i), uint64(gen)))
	nats := []string{"UZB", "KAZ", "TJK", "RUS", "CHN", "TUR", "DEU", "GBR", "IND", "USA"}
	posts := []string{"DOSTUK", "MANAS", "TORUGART", "IRKESHTAM", "AK-ZHOL", "KORDAI", "OSH-AIRPORT"}
	nat := nats[r.IntN(len(nats))]
	p := app.TravellerKey{Surname: fmt.Sprintf("SURNAME%07d", i), GivenNames: "GIVEN NAMES", BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 50+r.IntN(50), 1+r.IntN(12), 1+r.IntN(28)), Nationality: nat}
	doc := app.DocumentKey{IssuingState: nat, Number: fmt.Sprintf("N%08d", i)}
	at := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC).Add(-time.Duration(r.IntN(170*24)) * time.Hour)
	id := func() string {
		return fmt.Sprintf("%08x-%04x-7%03x-8%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
	}
	post := posts[r.IntN(len(posts))]
	s := wire.OpenStay{Person: p}
	if r.IntN(4) == 0 {
		s.Crossings = append(s.Crossings,
			wire.StayCrossing{ID: id(), At: at.AddDate(0, 0, -60), Direction: app.Entry, Post: post, Booth: post + "-01", Document: doc},
			wire.StayCrossing{ID: id(), At: at.AddDate(0, 0, -40), Direction: app.Exit, Post: post, Booth: post + "-02", Document: doc})
	}
	s.Crossings = append(s.Crossings, wire.StayCrossing{ID: id(), At: at, Direction: app.Entry, Post: post, Booth: post + "-03", Document: doc})
	return s
}

func benchLine(tb testing.TB, i, gen int) string {
	l, err := wire.MarshalOpenStay(benchStay(i, gen))
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// BenchmarkOpenStays2M: the booth's copy of 2 M open stays (CHEKARA_BENCH_STAYS
// to change): bytes on disk, load time, a day's delta — 25 k stays opened, 25 k
// closed, 5 k changed (Kyrgyzstan's ≈ 9 M foreign arrivals a year) — as
// compressed on the wire and its pull time at 256 kbit/s, the time to apply
// it, and the look-up p99 by person and by document.
func BenchmarkOpenStays2M(b *testing.B) {
	if staysBench.idx == nil {
		staysBench = setUpOpenStays(b)
	}
	sb := staysBench
	var lat []time.Duration
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := r.IntN(sb.n)
		s := benchStay(k, 0)
		var doc app.DocumentKey
		person := s.Person
		if i%2 == 1 { // half by document only, as a renewed name would be found
			doc, person = s.Crossings[0].Document, app.TravellerKey{}
		}
		t := time.Now()
		got := sb.idx.OpenStay(doc, person)
		lat = append(lat, time.Since(t))
		if len(got) != len(s.Crossings) {
			b.Fatalf("stay %d: %d crossings, want %d", k, len(got), len(s.Crossings))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	for k, v := range sb.metrics {
		b.ReportMetric(v, k)
	}
}

// staysBench is the 2 M stays, built once per process (the benchmark runs
// more than once).
var staysBench struct {
	n       int
	idx     *sync.OpenStaysIndex
	metrics map[string]float64
}

func setUpOpenStays(b *testing.B) (sb struct {
	n       int
	idx     *sync.OpenStaysIndex
	metrics map[string]float64
}) {
	n := 2_000_000
	if v, err := strconv.Atoi(os.Getenv("CHEKARA_BENCH_STAYS")); err == nil && v > 0 {
		n = v
	}
	const opened, closed, changed = 25_000, 25_000, 5_000
	// Keys sort as their index, zero-padded: line i is stay i.
	var file bytes.Buffer
	w := wire.NewOpenStaysWriter(&file, 1)
	for i := 0; i < n; i++ {
		if err := w.Line(benchLine(b, i, 0)); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	path := filepath.Join(b.TempDir(), sync.OpenStaysFile)
	if err := os.WriteFile(path, file.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	var up, rm []string
	for i := 0; i < opened; i++ {
		up = append(up, benchLine(b, n+i, 0))
	}
	for i := 0; i < changed; i++ {
		up = append(up, benchLine(b, i*4+2, 1))
	}
	for i := 0; i < closed; i++ {
		rm = append(rm, benchStay(i*4+1, 0).Key())
	}
	delta, err := wire.OpenStaysDelta(1, 2, up, rm)
	if err != nil {
		b.Fatal(err)
	}
	gz := wire.Gzip(delta)
	next, err := wire.ApplyOpenStaysDelta(file.Bytes(), delta)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(next)
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	env, err := wire.SignEnvelope(key, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindOpenStays, Version: 2, BaseVersion: 1, Mode: wire.Delta,
		Published: time.Now(), Expires: time.Now().Add(time.Hour), Digest: sum[:], Payload: gz})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(env)
	start := time.Now()
	if _, err := wire.BuildOpenStays(file.Bytes(), env); err != nil {
		b.Fatal(err)
	}
	apply := time.Since(start)
	snapshot := len(wire.Gzip(file.Bytes()))

	idx := &sync.OpenStaysIndex{}
	start = time.Now()
	if err := idx.Load(file.Bytes()); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	if idx.Len() != n {
		b.Fatalf("index holds %d stays, want %d", idx.Len(), n)
	}
	sb.n, sb.idx = n, idx
	sb.metrics = map[string]float64{
		"file-MB":            float64(file.Len()) / 1e6,
		"snapshot-gz-MB":     float64(snapshot) / 1e6,
		"day-delta-MB":       float64(len(body)) / 1e6,
		"day-pull-s@256kbit": float64(len(body)) * 8 / 256000,
		"apply-s":            apply.Seconds(),
		"load-s":             load.Seconds(),
	}
	return sb
}
