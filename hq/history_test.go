package hq_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/chekara/chekara/sync/wire"
)

// FuzzHistoryEndpoint: any body an enrolled booth POSTs to the history
// endpoint gets an answer it can act on (never a panic, never a 500), and no
// answer ever leaves HQ without its audit entry.
func FuzzHistoryEndpoint(f *testing.F) {
	s, _, cert := fuzzHQ(f)
	h := s.Handler()
	f.Add([]byte(`{"officer_id":"K1","document":{"issuing_state":"D","number":"1"},"limit":10}`))
	f.Add([]byte(`{"officer_id":"K1","person":{"surname":"A","given_names":"B","birth_date":"1990","nationality":"D"},"limit":500}`))
	f.Add([]byte(`{"officer_id":"K1","limit":10}`))
	f.Add([]byte(`{`))
	f.Add(bytes.Repeat([]byte("x"), wire.MaxHistoryQuery+1))
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := context.Background()
		before, err := s.Store().Lookups(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", wire.PathHistory, bytes.NewReader(body))
		req.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{cert}}}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after, err := s.Store().Lookups(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		switch rec.Code {
		case 200:
			var a wire.HistoryAnswer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || a.Crossings == nil {
				t.Fatalf("200 without a history: %s", rec.Body)
			}
			if len(after) != len(before)+1 || after[len(after)-1].Booth != "B1" {
				t.Fatalf("answered without auditing: %d → %d lookups", len(before), len(after))
			}
		case 400:
			if len(after) != len(before) {
				t.Fatalf("a refused query was audited as a lookup")
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
