package wire_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"github.com/chekara/chekara/sync/wire/wiretest"
	"strings"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

func TestBundleRoundTrip(t *testing.T) {
	p := wiretest.NewPKI(t)
	b := p.Bundle(t, "DOSTUK-07", "127.0.0.1:8443")
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.BoothID != b.BoothID || got.Post != b.Post || got.HQAddress != b.HQAddress || !bytes.Equal(got.ListKey, b.ListKey) || !bytes.Equal(got.KeyPEM, b.KeyPEM) {
		t.Fatalf("round trip changed the bundle: %+v", got)
	}
	cfg, err := got.ClientTLS()
	if err != nil || cfg.ServerName != "127.0.0.1" || cfg.MinVersion != 0x0304 {
		t.Fatalf("ClientTLS: %+v, %v", cfg, err)
	}
}

func TestParseBundleRefuses(t *testing.T) {
	p, other := wiretest.NewPKI(t), wiretest.NewPKI(t)
	good := p.Bundle(t, "DOSTUK-07", "127.0.0.1:8443")
	otherBooth := p.Bundle(t, "DOSTUK-08", "127.0.0.1:8443")
	foreign := other.Bundle(t, "DOSTUK-07", "127.0.0.1:8443")
	tests := []struct {
		name   string
		mutate func(b *wire.Bundle)
		want   string
	}{
		{"http address", func(b *wire.Bundle) { b.HQAddress = "http://127.0.0.1:8443" }, "https"},
		{"bad booth id", func(b *wire.Bundle) { b.BoothID = "" }, "booth id"},
		{"certificate of another booth", func(b *wire.Bundle) { b.CertPEM, b.KeyPEM = otherBooth.CertPEM, otherBooth.KeyPEM }, "names booth"},
		{"key of another certificate", func(b *wire.Bundle) { b.KeyPEM = otherBooth.KeyPEM }, "does not match"},
		{"certificate from another CA", func(b *wire.Bundle) { b.CertPEM, b.KeyPEM = foreign.CertPEM, foreign.KeyPEM }, "not issued"},
		{"no CA", func(b *wire.Bundle) { b.CAPEM = nil }, "CA"},
		{"short list key", func(b *wire.Bundle) { b.ListKey = b.ListKey[:16] }, "list-signing key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good
			tt.mutate(&b)
			err := b.Check()
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
	for _, data := range []string{"", "{}", `{"format":"chekara-enrolment/2"}`, "not json"} {
		if _, err := wire.ParseBundle([]byte(data)); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("ParseBundle(%q): %v", data, err)
		}
	}
}

func FuzzParseBundle(f *testing.F) {
	p := wiretest.NewPKI(f)
	data, _ := p.Bundle(f, "DOSTUK-07", "127.0.0.1:8443").Marshal()
	f.Add(data)
	f.Add([]byte(`{"format":"chekara-enrolment/1","booth":"X","hq":"https://a"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := wire.ParseBundle(data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		if _, err := b.ClientTLS(); err != nil {
			t.Fatalf("a bundle that parses must give a TLS config: %v", err)
		}
	})
}

func TestExportRoundTrip(t *testing.T) {
	p := wiretest.NewPKI(t)
	bnd := p.Bundle(t, "DOSTUK-07", "127.0.0.1:8443")
	cert, _ := bnd.Cert()
	key, _ := bnd.Signer()
	b := mustBatch(t, "DOSTUK-07", 1, records(1, 20))
	var buf bytes.Buffer
	if err := wire.WriteExport(&buf, b, cert.Raw, key); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	got, err := wire.ReadExport(bytes.NewReader(file), wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got.Batch.Hash != b.Hash || wire.BoothIDFromCert(got.Cert) != "DOSTUK-07" {
		t.Fatalf("read back %s %x", wire.BoothIDFromCert(got.Cert), got.Batch.Hash)
	}
	if name := wire.ExportFileName(b); name != "DOSTUK-07-000000000001-000000000020.chkb" {
		t.Errorf("file name %q", name)
	}

	// Another booth's certificate signing this booth's batch.
	thief := p.Bundle(t, "DOSTUK-08", "127.0.0.1:8443")
	tc, _ := thief.Cert()
	tk, _ := thief.Signer()
	var stolen bytes.Buffer
	wire.WriteExport(&stolen, b, tc.Raw, tk)
	// This booth's certificate with a signature by the thief's key.
	batch, _ := wire.MarshalBatch(b)
	sum := sha256.Sum256(append([]byte("chekara-export-v1"), batch...))
	sig, _ := tk.Sign(rand.Reader, sum[:], crypto.SHA256)
	swapped := rawExport(cert.Raw, sig, batch)
	flipped := append([]byte(nil), file...)
	flipped[len(flipped)-40] ^= 1 // inside the batch: signature no longer verifies

	tests := []struct {
		name string
		data []byte
		code string
	}{
		{"signed by another booth", stolen.Bytes(), app.EUNAUTHORIZED},
		{"signature by another key", swapped, app.EUNAUTHORIZED},
		{"batch altered", flipped, app.EUNAUTHORIZED},
		{"truncated", file[:len(file)/2], app.EINVALID},
		{"trailing data", append(append([]byte(nil), file...), 0), app.EINVALID},
		{"not an export", []byte("hello"), app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.ReadExport(bytes.NewReader(tt.data), wire.DefaultLimits)
			if app.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func FuzzReadExport(f *testing.F) {
	p := wiretest.NewPKI(f)
	bnd := p.Bundle(f, "DOSTUK-07", "127.0.0.1:8443")
	cert, _ := bnd.Cert()
	key, _ := bnd.Signer()
	var buf bytes.Buffer
	wire.WriteExport(&buf, mustBatch(f, "DOSTUK-07", 1, records(1, 3)), cert.Raw, key)
	f.Add(buf.Bytes())
	f.Add([]byte("CHEKARA-EXPORT/1\n\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := wire.ReadExport(bytes.NewReader(data), wire.Limits{MaxRecords: 100, MaxBytes: 1 << 16, MaxEncoded: 1 << 16})
		if c := app.ErrorCode(err); err != nil && c != app.EINVALID && c != app.EUNAUTHORIZED {
			t.Fatalf("code %q: %v", c, err)
		}
	})
}

// rawExport lays out an export file from its parts, signed or not.
func rawExport(cert, sig, batch []byte) []byte {
	out := []byte("CHEKARA-EXPORT/1\n")
	for _, part := range [][]byte{cert, sig, batch} {
		out = binary.AppendUvarint(out, uint64(len(part)))
		out = append(out, part...)
	}
	return out
}
