package hq_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
)

// HQ ingest, end to end on loopback: booths POST batches of 1,000 crossings
// (booth-shaped JSON, gzip, hashes) over mutual TLS; HQ decodes, verifies,
// applies each batch in one transaction and acknowledges. Encoding is the
// booths' work and happens before the clock starts. b.N is the number of
// batches, shared among the booths (each booth sends its own in order, the
// booths in parallel, as a busy post's do). Target: ≥ 10,000 crossings/s on
// each store.
func BenchmarkIngestSQLite(b *testing.B) {
	for _, booths := range []int{1, 4} {
		b.Run(fmt.Sprintf("booths=%d", booths), func(b *testing.B) { benchIngest(b, hq.Config{}, booths) })
	}
}

func BenchmarkIngestPostgres(b *testing.B) {
	for _, booths := range []int{1, 4} {
		b.Run(fmt.Sprintf("booths=%d", booths), func(b *testing.B) {
			benchIngest(b, hq.Config{Postgres: hqtest.PostgresURL(b)}, booths)
		})
	}
}

func benchIngest(b *testing.B, cfg hq.Config, booths int) {
	const size = 1000
	h := hqtest.Start(b, cfg)
	url := h.URL + wire.PathBatches
	clients := make([]*http.Client, booths)
	bodies := make([][][]byte, booths)
	for k := range booths {
		id := fmt.Sprintf("BENCH-%02d", k)
		clients[k] = hqtest.Client(b, h.Enrol(b, id, "DOSTUK"))
		for i := k; i < b.N; i += booths {
			first := int64(len(bodies[k])*size + 1)
			bodies[k] = append(bodies[k], encode(b, mustBatch(b, id, first, crossings(id, first, size))))
		}
		// One request first so the TLS handshake is not in the figure.
		if resp, err := clients[k].Get(h.URL + wire.PathHealth); err == nil {
			resp.Body.Close()
		}
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, booths)
	for k := range booths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, body := range bodies[k] {
				resp, err := clients[k].Post(url, wire.ContentTypeBatch, bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("booth %d batch %d: %d", k, i, resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "crossings/s")
	b.ReportMetric(0, "ns/op") // the per-batch time is not the figure; crossings/s is
}
