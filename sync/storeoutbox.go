package sync

import (
	"context"

	"github.com/chekara/chekara/store"
)

// StoreOutbox adapts the booth's store to Outbox. Wire the store's
// WaitForRecord channel to Link.Records so a decision wakes the uploader.
type StoreOutbox struct{ Store *store.Store }

var _ Outbox = StoreOutbox{}

// Outbox reads the store's outbox after afterSeq.
func (s StoreOutbox) Outbox(ctx context.Context, afterSeq int64, maxRecords, maxBytes int) ([]Record, error) {
	rows, err := s.Store.Outbox(ctx, afterSeq, maxRecords, maxBytes)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = Record{Seq: r.Seq, ID: r.ID, Kind: r.Kind, Payload: r.Payload}
	}
	return out, nil
}

// MarkSent marks the store's outbox sent up to upToSeq.
func (s StoreOutbox) MarkSent(ctx context.Context, upToSeq int64) error {
	return s.Store.MarkSent(ctx, upToSeq)
}

// SentMark returns the store's sent mark.
func (s StoreOutbox) SentMark(ctx context.Context) (int64, error) { return s.Store.SentMark(ctx) }

// LastSeq returns the store's last outbox sequence number.
func (s StoreOutbox) LastSeq(ctx context.Context) (int64, error) { return s.Store.LastSeq(ctx) }
