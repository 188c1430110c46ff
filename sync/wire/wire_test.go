package wire_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// records makes n outbox records starting at seq first with JSON-like payloads.
func records(first int64, n int) []wire.Record {
	out := make([]wire.Record, n)
	for i := range out {
		seq := first + int64(i)
		out[i] = wire.Record{Seq: seq, ID: fmt.Sprintf("0193a1b2-0000-7000-8000-%012d", seq), Kind: "crossing",
			Payload: []byte(fmt.Sprintf(`{"id":"%d","decision":"admit","doc":"AC%07d"}`, seq, seq*7))}
	}
	return out
}

func mustBatch(tb testing.TB, booth string, first int64, recs []wire.Record) wire.Batch {
	tb.Helper()
	b, err := wire.NewBatch(booth, first, recs, wire.DefaultLimits)
	if err != nil {
		tb.Fatalf("NewBatch: %v", err)
	}
	return b
}

func TestBatchRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		first int64
		recs  []wire.Record
	}{
		{"one", 1, records(1, 1)},
		{"many", 1, records(1, 500)},
		{"after a sent mark", 101, records(101, 10)},
		{"gap before first record", 50, records(60, 3)},
		{"empty payload", 1, []wire.Record{{Seq: 1, ID: "a", Kind: "audit"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustBatch(t, "DOSTUK-07", tt.first, tt.recs)
			data, err := wire.MarshalBatch(b)
			if err != nil {
				t.Fatal(err)
			}
			got, err := wire.DecodeBatch(bytes.NewReader(data), wire.DefaultLimits)
			if err != nil {
				t.Fatalf("DecodeBatch: %v", err)
			}
			if got.BoothID != b.BoothID || got.First != b.First || got.Last != b.Last || got.Hash != b.Hash || len(got.Records) != len(b.Records) {
				t.Fatalf("header: got %s %d..%d %d records, want %s %d..%d %d", got.BoothID, got.First, got.Last, len(got.Records), b.BoothID, b.First, b.Last, len(b.Records))
			}
			for i := range b.Records {
				g, w := got.Records[i], b.Records[i]
				if g.Seq != w.Seq || g.ID != w.ID || g.Kind != w.Kind || !bytes.Equal(g.Payload, w.Payload) || g.SHA256 != w.SHA256 {
					t.Fatalf("record %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestNewBatchRefuses(t *testing.T) {
	dup := records(1, 2)
	dup[1].ID = dup[0].ID
	tests := []struct {
		name  string
		booth string
		first int64
		recs  []wire.Record
		l     wire.Limits
		want  string
	}{
		{"no records", "B1", 1, nil, wire.DefaultLimits, "no records"},
		{"bad booth id", "B 1", 1, records(1, 1), wire.DefaultLimits, "booth id"},
		{"first after record", "B1", 5, records(1, 3), wire.DefaultLimits, "does not follow"},
		{"zero first", "B1", 0, records(1, 1), wire.DefaultLimits, "not positive"},
		{"duplicate id", "B1", 1, dup, wire.DefaultLimits, "twice"},
		{"too many", "B1", 1, records(1, 11), wire.Limits{MaxRecords: 10, MaxBytes: 1 << 20, MaxEncoded: 1 << 20}, "more than 10"},
		{"too big", "B1", 1, records(1, 10), wire.Limits{MaxRecords: 10, MaxBytes: 100, MaxEncoded: 1 << 20}, "exceeds 100 bytes"},
		{"bad kind", "B1", 1, []wire.Record{{Seq: 1, ID: "x", Kind: "a/b"}}, wire.DefaultLimits, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.NewBatch(tt.booth, tt.first, tt.recs, tt.l)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

// rawBatch gzips hand-written plain bytes, to reach decoder paths an honest
// encoder never produces.
func rawBatch(plain []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	return buf.Bytes()
}

func TestDecodeBatchRefuses(t *testing.T) {
	good := mustBatch(t, "B1", 1, records(1, 5))
	enc, _ := wire.MarshalBatch(good)

	tampered := good
	tampered.Records = append([]wire.Record(nil), good.Records...)
	tampered.Records[2].Payload = []byte(`{"decision":"refuse"}`)
	tamperedEnc, _ := wire.MarshalBatch(tampered) // payload changed, hashes not

	rehashed := tampered
	rehashed.Records[2].SHA256 = wire.RecordHash(rehashed.Records[2].Payload)
	rehashedEnc, _ := wire.MarshalBatch(rehashed) // record hash right, batch hash stale

	big := mustBatch(t, "B1", 1, records(1, 50))
	bigEnc, _ := wire.MarshalBatch(big)

	tests := []struct {
		name string
		data []byte
		l    wire.Limits
		want string
	}{
		{"empty", nil, wire.DefaultLimits, "gzip"},
		{"not gzip", []byte("hello"), wire.DefaultLimits, "gzip"},
		{"wrong magic", rawBatch([]byte("CHKBAT_H\x02xxxx")), wire.DefaultLimits, "unknown format"},
		{"future format", rawBatch([]byte("CHKBATCH\x09xxxx")), wire.DefaultLimits, "newer than this HQ reads"},
		{"head out of bounds", rawBatch(append([]byte("CHKBATCH\x02\x02B1\x01\x01\x01\x01\x01x\x01k\x00\x80\x80\x80\x80\x80\x80\x80\x80\x7f"), make([]byte, 97)...)), wire.DefaultLimits, "out of bounds"},
		{"truncated", enc[:len(enc)-12], wire.DefaultLimits, ""},
		{"trailing gzip member", append(append([]byte(nil), enc...), enc...), wire.DefaultLimits, ""},
		{"payload altered", tamperedEnc, wire.DefaultLimits, "hash mismatch"},
		{"payload altered and rehashed", rehashedEnc, wire.DefaultLimits, "batch hash mismatch"},
		{"too many records", bigEnc, wire.Limits{MaxRecords: 10, MaxBytes: 1 << 20, MaxEncoded: 1 << 20}, "record count"},
		{"too many bytes", bigEnc, wire.Limits{MaxRecords: 100, MaxBytes: 200, MaxEncoded: 1 << 20}, "exceeds"},
		{"too large encoded", bigEnc, wire.Limits{MaxRecords: 100, MaxBytes: 1 << 20, MaxEncoded: 100}, "larger than the limit"},
		{"huge length prefix", rawBatch(append([]byte("CHKBATCH\x01\x02B1\x01\x01\x01\x01\x01x\x01k"), 0xff, 0xff, 0xff, 0xff, 0x0f)), wire.DefaultLimits, "exceeds"},
		{"zero sequence step", rawBatch([]byte("CHKBATCH\x01\x02B1\x01\x01\x01\x00\x01x\x01k\x00")), wire.DefaultLimits, "sequence step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.DecodeBatch(bytes.NewReader(tt.data), tt.l)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

// A gzip bomb (tiny compressed, huge plain) is refused without inflating it all.
func TestDecodeBatchBomb(t *testing.T) {
	plain := append([]byte("CHKBATCH\x01\x02B1\x01\x01\x01\x01\x01x\x01k\x80\x80\x80\x08"), make([]byte, 4<<20)...)
	enc := rawBatch(plain)
	l := wire.Limits{MaxRecords: 10, MaxBytes: 1 << 16, MaxEncoded: 1 << 16}
	if len(enc) > int(l.MaxEncoded) {
		t.Fatalf("the bomb is %d bytes compressed; it should pass the compressed limit", len(enc))
	}
	_, err := wire.DecodeBatch(bytes.NewReader(enc), l)
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
}

func FuzzDecodeBatch(f *testing.F) {
	for _, n := range []int{1, 3, 40} {
		b, _ := wire.NewBatch("DOSTUK-07", 1, records(1, n), wire.DefaultLimits)
		enc, _ := wire.MarshalBatch(b)
		f.Add(enc)
	}
	f.Add(rawBatch([]byte("CHKBATCH\x01\x02B1\x01\x01\x01\x01\x01x\x01k\x00")))
	if b, err := wire.NewBatch("DOSTUK-07", 1, records(1, 3), wire.DefaultLimits); err == nil {
		if b, err = b.Anchored(wire.ChainPoint{Seq: 9, Hash: [32]byte{1}}, wire.ChainPoint{Seq: 4, Hash: [32]byte{2}}); err == nil {
			enc, _ := wire.MarshalBatch(b)
			f.Add(enc)
		}
	}
	for _, name := range []string{"batch-1.bin", "batch-2.bin", "batch-3.bin"} {
		if old, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(old)
		}
	}
	f.Add([]byte{})
	l := wire.Limits{MaxRecords: 100, MaxBytes: 1 << 16, MaxEncoded: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := wire.DecodeBatch(bytes.NewReader(data), l)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error code %q, want invalid: %v", app.ErrorCode(err), err)
			}
			return
		}
		// Whatever decodes must be a valid batch that survives a round trip.
		if err := b.Validate(l); err != nil {
			t.Fatalf("decoded batch does not validate: %v", err)
		}
		enc, err := wire.MarshalBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		again, err := wire.DecodeBatch(bytes.NewReader(enc), l)
		if err != nil || again.Hash != b.Hash {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

func TestEnvelopeSignVerify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	_ = otherPub
	base := wire.Envelope{Kind: wire.KindLists, Version: 7, BaseVersion: 6, Mode: wire.Delta,
		Published: time.Date(2026, 11, 25, 10, 0, 0, 123, time.UTC), Payload: []byte("delta bytes")}
	signed, err := wire.SignEnvelope(priv, base)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := wire.MarshalEnvelope(signed)
	parsed, err := wire.ParseEnvelope(data, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := wire.VerifyEnvelope(pub, parsed); err != nil {
		t.Fatalf("verify after round trip: %v", err)
	}
	forged, _ := wire.SignEnvelope(otherPriv, base)
	tests := []struct {
		name   string
		mutate func(e *wire.Envelope)
		code   string
	}{
		{"payload changed", func(e *wire.Envelope) { e.Payload = []byte("other") }, app.EUNAUTHORIZED},
		{"version changed", func(e *wire.Envelope) { e.Version = 8 }, app.EUNAUTHORIZED},
		{"base changed", func(e *wire.Envelope) { e.BaseVersion = 5 }, app.EUNAUTHORIZED},
		{"time changed", func(e *wire.Envelope) { e.Published = e.Published.Add(time.Hour) }, app.EUNAUTHORIZED},
		{"kind changed", func(e *wire.Envelope) { e.Kind = wire.KindRules }, app.EUNAUTHORIZED},
		{"signed by another key", func(e *wire.Envelope) { e.Signature = forged.Signature }, app.EUNAUTHORIZED},
		{"no signature", func(e *wire.Envelope) { e.Signature = nil }, app.EUNAUTHORIZED},
		{"delta without base", func(e *wire.Envelope) { e.BaseVersion = 0 }, app.EINVALID},
		{"unknown mode", func(e *wire.Envelope) { e.Mode = "patch" }, app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := signed
			tt.mutate(&e)
			if got := app.ErrorCode(wire.VerifyEnvelope(pub, e)); got != tt.code {
				t.Fatalf("code %q, want %q", got, tt.code)
			}
		})
	}
}

func FuzzParseEnvelope(f *testing.F) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	e, _ := wire.SignEnvelope(priv, wire.Envelope{Kind: wire.KindRules, Version: 1, Mode: wire.Snapshot, Published: time.Unix(1e9, 0), Payload: []byte("x")})
	data, _ := wire.MarshalEnvelope(e)
	f.Add(data)
	e2, _ := wire.SignEnvelope(priv, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindRules, Version: 1, Mode: wire.Snapshot,
		Published: time.Unix(1e9, 0), Expires: time.Unix(2e9, 0), Digest: make([]byte, 32), Payload: []byte("x")})
	data, _ = wire.MarshalEnvelope(e2)
	f.Add(data)
	f.Add([]byte(`{"kind":"lists"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := wire.ParseEnvelope(data, 1<<16)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		if len(e.Signature) != ed25519.SignatureSize {
			t.Fatalf("accepted a %d-byte signature", len(e.Signature))
		}
	})
}
