package wire_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/chekara/chekara/sync/wire"
)

func goldenState() wire.BoothState {
	return wire.BoothState{
		Clock:         time.Date(2026, 12, 4, 18, 30, 5, 123456789, time.UTC),
		Backlog:       1234,
		OldestPending: time.Date(2026, 12, 4, 9, 15, 0, 0, time.UTC),
		Lists:         41, Rules: 3, Directory: 17,
	}
}

// TestBatchFormat3Golden: a batch with the booth state block is written byte
// for byte as testdata/batch-3.bin says and reads back with its state.
func TestBatchFormat3Golden(t *testing.T) {
	b := mustBatch(t, "DOSTUK-07", 41, goldenRecords(t))
	head := wire.ChainPoint{Seq: 977, Hash: sha256.Sum256([]byte("head"))}
	proof := wire.ChainPoint{Seq: 912, Hash: sha256.Sum256([]byte("proof"))}
	b, err := b.Anchored(head, proof)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = b.WithState(goldenState()); err != nil {
		t.Fatal(err)
	}
	got, err := wire.MarshalBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	want := golden(t, "batch-3.bin", got)
	back, err := wire.DecodeBatch(bytes.NewReader(want), wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if back.Format != 3 || back.State == nil || *back.State != goldenState() || back.Head != head || back.Hash != b.Hash {
		t.Errorf("read back format %d state %+v, want 3 %+v", back.Format, back.State, goldenState())
	}
}

// A format 3 batch without a state is allowed (bmis export builds them), and
// the state is covered by the hash: changing it after hashing breaks the batch.
func TestBoothStateOptionalAndHashed(t *testing.T) {
	b := mustBatch(t, "B1", 1, records(1, 2))
	data, err := wire.MarshalBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := wire.DecodeBatch(bytes.NewReader(data), wire.DefaultLimits)
	if err != nil || back.State != nil || back.Format != wire.BatchFormat {
		t.Fatalf("stateless batch: %+v, %v", back, err)
	}
	b, err = b.WithState(goldenState())
	if err != nil {
		t.Fatal(err)
	}
	forged := *b.State
	forged.Backlog = 0
	b.State = &forged
	if err := b.Validate(wire.DefaultLimits); err == nil {
		t.Error("a state changed after hashing passes Validate")
	}
	if _, err := b.WithState(wire.BoothState{}); err == nil {
		t.Error("a state without a clock is accepted")
	}
	old := mustBatch(t, "B1", 1, records(1, 1))
	old.Format = 2
	old.State = &forged
	if err := old.Validate(wire.DefaultLimits); err == nil {
		t.Error("a format 2 batch with a state is accepted")
	}
}
