package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/sync/wire"
)

// TestPayloadsStoredCompact: a crossing's payload is stored deflated, a
// fraction of its JSON, yet every way out of the store — the outbox HQ
// receives, history, the crossing by id, the audit check — gives the
// canonical JSON; a row stored as plain JSON, as every row before this
// change, reads the same (issue 14 item 13).
func TestPayloadsStoredCompact(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for i, doc := range []string{"FA1000001", "FA1000002"} {
		if err := s.Decide(ctx, crossing(doc, "KARIMOV", at.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil || len(recs) != 2 {
		t.Fatalf("outbox: %d records, %v", len(recs), err)
	}
	db := rawDB(t, path)
	var stored []byte
	if err := db.QueryRow("SELECT payload FROM crossings WHERE seq = ?", recs[0].Seq).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored[0] == '{' || 2*len(stored) > len(recs[0].Payload) {
		t.Errorf("stored payload of %d bytes for %d of JSON (starts %q): not compact", len(stored), len(recs[0].Payload), stored[:1])
	}
	for _, r := range recs {
		c, err := wire.DecodeCrossing(r.Payload)
		if err != nil {
			t.Fatalf("outbox payload is not the wire record: %v\n%q", err, r.Payload)
		}
		if !bytes.Equal(wire.EncodeCrossing(c), r.Payload) {
			t.Errorf("outbox payload is not canonical:\n%s", r.Payload)
		}
	}

	// The second row as an older booth wrote it: the JSON itself.
	if _, err := db.Exec("UPDATE crossings SET payload = ? WHERE seq = ?", recs[1].Payload, recs[1].Seq); err != nil {
		t.Fatal(err)
	}
	again, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil || len(again) != 2 || !bytes.Equal(again[0].Payload, recs[0].Payload) || !bytes.Equal(again[1].Payload, recs[1].Payload) {
		t.Fatalf("outbox after mixing row forms: %v", err)
	}
	c1, _ := wire.DecodeCrossing(recs[1].Payload)
	h, err := s.History(ctx, c1.Document, c1.Traveller, 10)
	if err != nil || len(h) != 2 {
		t.Fatalf("history over both row forms: %d crossings, %v", len(h), err)
	}
	if got, err := s.Crossing(ctx, c1.ID); err != nil || got.Document != c1.Document {
		t.Fatalf("crossing by id from a plain row: %+v, %v", got, err)
	}
	if broken, err := s.VerifyAudit(ctx); err != nil || broken != 0 {
		t.Fatalf("audit over both row forms: first broken %d, %v", broken, err)
	}
}

// BenchmarkPackPayload: the cost a decision pays for the compact payload,
// and a history read for unpacking it.
func BenchmarkPackPayload(b *testing.B) {
	p := wire.EncodeCrossing(crossing("FA1000001", "KARIMOV", time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)))
	var n int
	for b.Loop() {
		n = len(store.PackPayloadForTest(p))
	}
	b.ReportMetric(float64(n), "stored_bytes")
	b.ReportMetric(float64(len(p)), "json_bytes")
}
