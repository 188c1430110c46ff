package hq_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/sync/wire"
)

// fuzzHQ is an HQ on a real SQLite file with one enrolled booth, driven
// through its handler without sockets (the TLS state is what the listener
// would have verified).
func fuzzHQ(f *testing.F) (*hq.Server, wire.Bundle, *x509.Certificate) { return fuzzHQForT(f) }

func fuzzHQForT(f testing.TB) (*hq.Server, wire.Bundle, *x509.Certificate) {
	f.Helper()
	s, err := hq.Open(context.Background(), hq.Config{DataDir: f.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	b, err := s.Enrol(context.Background(), "B1", "DOSTUK", "https://127.0.0.1:1")
	if err != nil {
		f.Fatal(err)
	}
	cert, _ := b.Cert()
	return s, b, cert
}

// FuzzBatchEndpoint: any body POSTed by an enrolled booth gets an answer the
// booth can act on (never a panic, never a 500), and what HQ stores is only
// ever whole batches of that booth.
func FuzzBatchEndpoint(f *testing.F) {
	s, _, cert := fuzzHQ(f)
	h := s.Handler()
	valid := encode(f, mustBatch(f, "B1", 1, crossings("B1", 1, 3)))
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(encode(f, mustBatch(f, "B2", 1, crossings("B2", 1, 1))))
	f.Add(encode(f, mustBatch(f, "B1", 50, crossings("B1", 50, 2))))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("CHKBATCH\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", wire.PathBatches, bytes.NewReader(body))
		req.TLS = &tls.ConnectionState{VerifiedChains: [][]*x509.Certificate{{cert}}}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 403, 409:
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Header().Get(wire.HeaderTime) == "" {
			t.Fatal("answer without HQ time")
		}
		recs, err := s.Store().Records(context.Background(), "B1")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := s.Store().Booth(context.Background(), "B1")
		if int64(len(recs)) > b.Mark {
			t.Fatalf("%d records stored beyond the mark %d", len(recs), b.Mark)
		}
	})
}

// FuzzImportFile: a damaged or forged export file is refused with a reason,
// never a panic or an internal error.
func FuzzImportFile(f *testing.F) {
	s, b, cert := fuzzHQ(f)
	key, err := b.Signer()
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := wire.WriteExport(&buf, mustBatch(f, "B1", 1, crossings("B1", 1, 3)), cert.Raw, key); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)-10])
	f.Add([]byte("CHEKARA-EXPORT/1\n"))
	f.Add([]byte("CHEKARA-EXPORT/1\n\x05abcde\x01x\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := s.ImportFile(context.Background(), bytes.NewReader(data))
		if code := app.ErrorCode(err); code == app.EINTERNAL {
			t.Fatalf("internal error: %v", err)
		}
	})
}

// FuzzImportRules: any rules file is published or refused as invalid or
// conflicting, never an internal error.
func FuzzImportRules(f *testing.F) {
	s, _, _ := fuzzHQ(f)
	kgz, _ := fs.ReadFile(assets.FS, "rules/kgz.json")
	f.Add(kgz)
	for _, seed := range []string{`{"version":3,"rules":[]}`, `{"version":-1}`, `{"version":"x"}`, `[]`, `null`, ``, `{"version":9223372036854775807}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := s.ImportRules(context.Background(), data)
		if code := app.ErrorCode(err); code == app.EINTERNAL {
			t.Fatalf("internal error for %q: %v", data, fmt.Sprint(err))
		}
	})
}
