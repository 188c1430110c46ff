package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
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

// TestSchemaFourCrossingsMigrate: crossings written by a booth before schema
// 6 (text key columns, payloads as JSON) are found by travel history after
// the migration computes their keys, newer crossings of the same traveller
// beside them, and the audit chain verifies across the change.
func TestSchemaFourCrossingsMigrate(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t, store.Options{})
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, doc := range []string{"FA1000001", "FA1000001", "FB2000002"} {
		c := crossing(doc, "KARIMOV", at.Add(time.Duration(i)*time.Hour))
		if i == 2 {
			c.Traveller.Surname = "TOKTOGULOV"
		}
		if err := s.Decide(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil || len(recs) != 3 {
		t.Fatalf("outbox: %v", err)
	}
	s.Close()
	// The same rows as schemas 4 and 5 stored them.
	raw := rawDB(t, path)
	for _, q := range []string{"DROP TABLE crossings", schemaOneCrossings,
		"CREATE INDEX crossings_document ON crossings (doc_number, doc_state)",
		"CREATE INDEX crossings_person ON crossings (surname, birth_date, given_names, nationality)"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, r := range recs {
		c, _ := wire.DecodeCrossing(r.Payload)
		if _, err := raw.Exec(`INSERT INTO crossings (seq, id, booth_time, doc_state, doc_number, surname, given_names, birth_date, nationality, payload)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, c.ID, c.BoothTime.UnixNano(), c.Document.IssuingState, c.Document.Number,
			c.Traveller.Surname, c.Traveller.GivenNames, c.Traveller.BirthDate, c.Traveller.Nationality, r.Payload); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec("PRAGMA user_version = 5"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	s, err = store.Open(path, store.Options{Argon2: cheap})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	newer := crossing("FA1000001", "KARIMOV", at.Add(24*time.Hour))
	if err := s.Decide(ctx, newer); err != nil {
		t.Fatal(err)
	}
	first, _ := wire.DecodeCrossing(recs[0].Payload)
	byDoc, err := s.History(ctx, first.Document, app.TravellerKey{}, 10)
	if err != nil || len(byDoc) != 3 {
		t.Fatalf("history by document after the migration: %d crossings, %v; want 3", len(byDoc), err)
	}
	third, _ := wire.DecodeCrossing(recs[2].Payload)
	byPerson, err := s.History(ctx, app.DocumentKey{}, third.Traveller, 10)
	if err != nil || len(byPerson) != 1 || byPerson[0].ID != third.ID {
		t.Fatalf("history by person after the migration: %+v, %v", byPerson, err)
	}
	c, err := s.CheckAudit(ctx)
	if err != nil || !c.Intact() {
		t.Fatalf("audit across the migration: %+v, %v", c, err)
	}
	again, err := s.Outbox(ctx, 0, 10, 0)
	if err != nil || len(again) != 4 || !bytes.Equal(again[0].Payload, recs[0].Payload) {
		t.Fatalf("outbox after the migration: %d records, %v", len(again), err)
	}
}
