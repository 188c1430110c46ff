package hq_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
)

// A booth's directory pull, over mutual TLS on loopback, at a post of 300
// officers among 1,000 at HQ: the whole directory built, signed and sent
// (have=0), and the 204 every linked booth gets each round while nothing
// changed (have=current). Reported: ms per pull and the directory's bytes.
func BenchmarkDirectoryPull(b *testing.B) {
	ctx := context.Background()
	h := hqtest.Start(b, hq.Config{Argon2: wire.Argon2Params{MemoryKiB: 64, Passes: 1, Lanes: 1}})
	bundle := h.Enrol(b, "DOSTUK-07", "DOSTUK")
	h.Enrol(b, "OSH-01", "OSH")
	for i := 0; i < 1000; i++ {
		post := "OSH"
		if i%10 < 3 {
			post = "DOSTUK"
		}
		in := hq.OfficerInput{ID: fmt.Sprintf("K%04d", i), Name: "Officer Number", Role: app.RoleOfficer, Posts: []string{post}, Password: "Zhibek-zholu-2026"}
		if _, err := h.AddOfficer(ctx, "bench", in); err != nil {
			b.Fatal(err)
		}
	}
	c := hqtest.Client(b, bundle)
	for _, tt := range []struct {
		name string
		have string
		want int
	}{{"whole", "0", http.StatusOK}, {"unchanged", "1000", http.StatusNoContent}} {
		b.Run(tt.name, func(b *testing.B) {
			var n int64
			for i := 0; i < b.N; i++ {
				resp, err := c.Get(h.URL + wire.PathDirectory + "?have=" + tt.have)
				if err != nil {
					b.Fatal(err)
				}
				m, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					b.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
				}
				n = m
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pull")
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
