package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/store"
	"github.com/chekara/chekara/sync/wire"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// v7 is a UUIDv7 for the millisecond of at, as the booth's store.NewID makes them.
func v7(at time.Time, n uint16) string {
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], uint64(at.UnixMilli())<<16)
	binary.BigEndian.PutUint16(id[14:], n)
	id[6] = id[6]&0x0f | 0x70
	id[8] = id[8]&0x3f | 0x80
	return uuid.UUID(id).String()
}

func v7Batch(booth string, from int64, ats ...time.Time) store.Batch {
	b := store.Batch{Booth: booth, From: from, To: from + int64(len(ats)) - 1, Source: "link"}
	for i, at := range ats {
		body := fmt.Sprintf(`{"n":%d}`, i)
		sum := sha256.Sum256([]byte(body))
		b.Records = append(b.Records, store.Record{Booth: booth, Seq: from + int64(i), ID: v7(at, uint16(i)),
			Kind: wire.KindCrossing, Payload: []byte(body), SHA256: sum[:]})
	}
	return b
}

// The month a record is kept in is computed twice, in Go before a batch (to make its
// partitions) and in SQL (to place rows already stored, and to prune the history
// query's join): both must agree on every id, or a row lands where no one looks.
func TestRecordMonthAgreesWithSQL(t *testing.T) {
	url := hqtest.PostgresURL(t)
	ctx := context.Background()
	s, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	ids := []string{
		v7(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), 1),
		v7(time.Date(2026, 12, 31, 23, 59, 59, 999e6, time.UTC), 2), // last ms of a month
		v7(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 3),          // first ms of the next
		v7(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), 4),        // before 2000: undated
		v7(time.Date(2101, 1, 1, 0, 0, 0, 0, time.UTC), 5),          // after 2100: undated
		"DOSTUK-07-00000001",                   // a test or legacy id
		uuid.NewString(),                       // UUIDv4
		"0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B", // upper case
		"",
	}
	for _, id := range ids {
		var sqlMonth time.Time
		if err := conn.QueryRow(ctx, `SELECT chekara_month($1)`, id).Scan(&sqlMonth); err != nil {
			t.Fatal(err)
		}
		if got := store.RecordMonth(id); !got.Equal(sqlMonth) {
			t.Errorf("%q: Go says %s, SQL says %s", id, got.Format("2006-01-02"), sqlMonth.Format("2006-01-02"))
		}
	}
}

func TestRecordsArePartitionedByMonth(t *testing.T) {
	ctx := context.Background()
	s := OpenTestPostgres(t)
	enrol(t, s, "DOSTUK-07", "DOSTUK")
	nov := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	dec := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	b := v7Batch("DOSTUK-07", 1, nov, dec, dec.Add(time.Hour))
	if res, err := s.Apply(ctx, b, dec); err != nil || res.Stored != 3 {
		t.Fatalf("apply: %+v %v", res, err)
	}
	// Sent again: still one row per id, across partitions.
	if res, err := s.Apply(ctx, b, dec.Add(time.Minute)); err != nil || res.Stored != 0 || res.Duplicates != 3 {
		t.Fatalf("replay: %+v %v", res, err)
	}
	// The same id with other content is an alert, not a second row.
	changed := v7Batch("DOSTUK-07", 3, dec.Add(time.Hour))
	changed.Records[0].ID = b.Records[2].ID
	changed.Records[0].Payload = []byte(`{"n":"changed"}`)
	sum := sha256.Sum256(changed.Records[0].Payload)
	changed.Records[0].SHA256 = sum[:]
	res, err := s.Apply(ctx, changed, dec.Add(2*time.Minute))
	if err != nil || res.Stored != 0 || len(res.Alerts) == 0 {
		t.Fatalf("changed content: %+v %v", res, err)
	}
	parts, err := s.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(parts); got != "[records_2026_11 (~0 rows) records_2026_12 (~0 rows)]" {
		t.Fatalf("partitions: %s", got)
	}
	recs, err := s.Records(ctx, "DOSTUK-07")
	if err != nil || len(recs) != 3 {
		t.Fatalf("records: %d %v", len(recs), err)
	}
}

// A store written before partitioning (schema 6) keeps every record, each in its
// month, and goes on taking batches.
func TestPartitionMigrationKeepsRecords(t *testing.T) {
	ctx := context.Background()
	url := hqtest.PostgresURL(t)
	old, err := store.OpenPostgresAt(ctx, url, store.PartitionsVersion-1)
	if err != nil {
		t.Fatal(err)
	}
	enrol(t, old, "DOSTUK-07", "DOSTUK")
	oct := time.Date(2026, 10, 3, 8, 0, 0, 0, time.UTC)
	legacy := batch("DOSTUK-07", 1, 2) // ids that are not UUIDv7
	legacy.Records = append(legacy.Records, v7Batch("DOSTUK-07", 3, oct, oct.AddDate(0, 1, 0)).Records...)
	legacy.To = 4
	if _, err := old.Apply(ctx, legacy, oct); err == nil {
		t.Fatal("an unpartitioned store took a batch through the partitioned path")
	}
	// The old HQ's own insert, as it was.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, r := range legacy.Records {
		if _, err := conn.Exec(ctx, `INSERT INTO records (id, booth, seq, kind, payload, sha256, received_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
			r.ID, r.Booth, r.Seq, r.Kind, r.Payload, r.SHA256, oct); err != nil {
			t.Fatal(err)
		}
	}
	conn.Exec(ctx, `UPDATE booths SET mark = 4`)
	old.Close()

	s, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.Records(ctx, "DOSTUK-07")
	if err != nil || len(recs) != 4 {
		t.Fatalf("after migration: %d records, %v", len(recs), err)
	}
	parts, _ := s.Partitions(ctx)
	if got := fmt.Sprint(parts); got != "[records_1970_01 (~2 rows) records_2026_10 (~1 rows) records_2026_11 (~1 rows)]" &&
		got != "[records_1970_01 (~0 rows) records_2026_10 (~0 rows) records_2026_11 (~0 rows)]" {
		t.Fatalf("partitions: %s", got)
	}
	if res, err := s.Apply(ctx, v7Batch("DOSTUK-07", 5, oct.AddDate(0, 2, 0)), oct.AddDate(0, 2, 0)); err != nil || res.Stored != 1 {
		t.Fatalf("a batch after migration: %+v %v", res, err)
	}
}
