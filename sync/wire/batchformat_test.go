package wire_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/sync/wire"
)

// goldenRecords are the two records of the batch golden files.
func goldenRecords(tb testing.TB) []wire.Record {
	tb.Helper()
	p2, err := os.ReadFile(filepath.Join("testdata", "crossing-2.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return []wire.Record{
		{Seq: 41, ID: "01a2407f-1500-773f-878d-0d2c06f6df2f", Kind: "crossing", Payload: p2},
		{Seq: 42, ID: "01a2407f-1500-773f-878d-0d2c06f6df30", Kind: "training_crossing", Payload: []byte(`{"format":2}`)},
	}
}

// TestBatchFormat2Golden: a batch carrying the audit anchor is written byte for
// byte as testdata/batch-2.bin says and reads back with its head and proof. A
// change must be a new format number and a new golden file.
func TestBatchFormat2Golden(t *testing.T) {
	b := mustBatch(t, "DOSTUK-07", 41, goldenRecords(t))
	b.Format = 2 // as booths sent it before the state block
	head := wire.ChainPoint{Seq: 977, Hash: sha256.Sum256([]byte("head"))}
	proof := wire.ChainPoint{Seq: 912, Hash: sha256.Sum256([]byte("proof"))}
	b, err := b.Anchored(head, proof)
	if err != nil {
		t.Fatal(err)
	}
	got, err := wire.MarshalBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	want := golden(t, "batch-2.bin", got)
	back, err := wire.DecodeBatch(bytes.NewReader(want), wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if back.Format != 2 || back.Head != head || back.Proof != proof || back.Hash != b.Hash {
		t.Errorf("read back format %d head %+v proof %+v, want 2 %+v %+v", back.Format, back.Head, back.Proof, head, proof)
	}
}

// TestBatchFormat1: a batch as booths sent it until the audit anchor (written
// by the code of 2026-12-04) still decodes, as format 1 without audit points,
// and re-encodes to the same bytes.
func TestBatchFormat1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "batch-1.bin"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := wire.DecodeBatch(bytes.NewReader(data), wire.DefaultLimits)
	if err != nil {
		t.Fatalf("an old booth's batch is refused: %v", err)
	}
	if got, want := b.Format, 1; got != want {
		t.Errorf("format %d, want %d", got, want)
	}
	if b.Head != (wire.ChainPoint{}) || len(b.Records) != 2 || b.Records[0].Seq != 41 {
		t.Errorf("decoded %+v", b)
	}
	again, err := wire.MarshalBatch(b)
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("format 1 does not re-encode to its own bytes (%v)", err)
	}
}

// An anchor out of bounds is refused before it is hashed, and an anchor
// changed after hashing breaks the batch.
func TestAnchoredRefuses(t *testing.T) {
	b := mustBatch(t, "B1", 1, records(1, 1))
	_, err := b.Anchored(wire.ChainPoint{Seq: -3}, wire.ChainPoint{Seq: 4})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	// Changing the anchor after hashing breaks the batch hash.
	a, err := b.Anchored(wire.ChainPoint{Seq: 4}, wire.ChainPoint{Seq: 3})
	if err != nil {
		t.Fatal(err)
	}
	a.Head.Seq = 5
	if err := a.Validate(wire.DefaultLimits); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a batch whose head was moved after hashing validates: %v", err)
	}
}
