package sync

import (
	"context"
	"fmt"
	"github.com/chekara/chekara/sync/wire"

	"github.com/chekara/chekara/app"
)

// Outbox is what the uploader needs from the booth's store: the outbox rows in
// sequence order after a mark, and the sent mark itself. The store's own type
// is adapted in main (see StoreOutbox).
type Outbox interface {
	// Outbox returns up to maxRecords records (and about maxBytes payload bytes)
	// with Seq > afterSeq, in increasing Seq order.
	Outbox(ctx context.Context, afterSeq int64, maxRecords, maxBytes int) ([]wire.Record, error)
	// MarkSent records that HQ holds every record with Seq <= upToSeq. The mark
	// never moves back.
	MarkSent(ctx context.Context, upToSeq int64) error
	// SentMark returns the highest Seq marked sent, 0 when none.
	SentMark(ctx context.Context) (int64, error)
	// LastSeq returns the highest Seq committed, 0 when none.
	LastSeq(ctx context.Context) (int64, error)
	// AuditHead returns the audit chain's last entry, and the entry HQ last
	// anchored (AnchoredAt) as held now; zero points when there are none.
	AuditHead(ctx context.Context) (head, proof wire.ChainPoint, err error)
	// AnchoredAt records the audit entry HQ anchored (an Ack's AuditSeq).
	AnchoredAt(ctx context.Context, seq int64) error
}

// Batcher is the path one batch takes to HQ: over HTTPS (*Client) or, in tests,
// through a crash-injecting wrapper.
type Batcher interface {
	PostBatch(ctx context.Context, body []byte) (wire.Ack, error)
}

// UploadResult is what one Upload did.
type UploadResult struct {
	Batches int   // batches acknowledged
	Records int   // records in them
	Sent    int64 // the sent mark afterwards
	Last    int64 // the last committed Seq, as read at the end
	Bytes   int64 // encoded bytes posted
	Alerts  int   // records HQ already had with different content
	// Missing counts sequence numbers inside the batches sent that the
	// booth's store no longer holds: records deleted before HQ got them.
	Missing  int64
	Complete bool // Sent >= Last and nothing Missing: everything committed is at HQ
}

// Upload sends every pending outbox record to HQ in batches bounded by l, and
// marks each acknowledged range sent. It stops at the first fault and returns it
// with what was done so far; calling it again resumes from the sent mark, and
// HQ's de-duplication makes any resent record harmless.
//
// Errors: EUNAVAILABLE (HQ unreachable, answer lost), HQ's refusals (EINVALID,
// EUNAUTHORIZED, ECONFLICT), the store's errors.
func Upload(ctx context.Context, ob Outbox, hq Batcher, boothID string, l wire.Limits) (UploadResult, error) {
	return UploadWith(ctx, ob, hq, boothID, l, nil)
}

// StateFunc reports how the booth stands for a batch built after the sent
// mark sent (wire.BoothState): the link's versions, the backlog, the clock.
type StateFunc func(ctx context.Context, sent int64) (wire.BoothState, error)

// UploadWith is Upload, each batch carrying the booth's state from state
// (nil: none, as Upload).
func UploadWith(ctx context.Context, ob Outbox, hq Batcher, boothID string, l wire.Limits, state StateFunc) (UploadResult, error) {
	var res UploadResult
	after, err := ob.SentMark(ctx)
	if err != nil {
		return res, fmt.Errorf("read sent mark: %w", err)
	}
	res.Sent = after
	// Last as read now, so a failed upload still says how much is pending.
	if res.Last, err = ob.LastSeq(ctx); err != nil {
		return res, fmt.Errorf("read last sequence: %w", err)
	}
	for {
		recs, err := ob.Outbox(ctx, after, l.MaxRecords, l.MaxBytes)
		if err != nil {
			return res, fmt.Errorf("read outbox after %d: %w", after, err)
		}
		if len(recs) == 0 {
			break
		}
		recs = fitBytes(recs, l.MaxBytes)
		b, err := wire.NewBatch(boothID, after+1, recs, l)
		if err != nil {
			return res, fmt.Errorf("build batch after %d: %w", after, err)
		}
		// The head is read after the records, so it covers their decisions.
		head, proof, err := ob.AuditHead(ctx)
		if err != nil {
			return res, fmt.Errorf("read audit head: %w", err)
		}
		if b, err = b.Anchored(head, proof); err != nil {
			return res, fmt.Errorf("anchor batch after %d: %w", after, err)
		}
		if state != nil {
			// Read last, so the clock is as close to the send as it can be.
			st, err := state(ctx, after)
			if err != nil {
				return res, fmt.Errorf("read booth state: %w", err)
			}
			if b, err = b.WithState(st); err != nil {
				return res, fmt.Errorf("booth state: %w", err)
			}
		}
		body, err := wire.MarshalBatch(b)
		if err != nil {
			return res, err
		}
		ack, err := hq.PostBatch(ctx, body)
		if err != nil {
			// HQ holding less than it once acknowledged (its store restored from an
			// old backup) is not healed here: the booth's store may have purged the
			// rows in between, and a batch claiming a range it does not hold would
			// let HQ skip them. It stays an error for the operator (bmis export).
			if hw, ok := HighWater(err); ok && hw < after {
				return res, fmt.Errorf("%w: %v", app.Errorf(app.ECONFLICT,
					"HQ holds this booth's records only up to %d, but acknowledged up to %d before: HQ's data may have been restored from a backup. Call the administrator.", hw, after), err)
			}
			return res, err
		}
		if ack.BoothID != boothID || ack.HighWater < b.Last {
			return res, app.Errorf(app.EINTERNAL, "HQ acknowledged booth %q up to %d for batch %s %d..%d", ack.BoothID, ack.HighWater, boothID, b.First, b.Last)
		}
		// Mark only what this batch covered: HQ's mark can run ahead of what the
		// booth has sent in this round (a lost acknowledgement), never behind.
		// The anchor before the mark: a crash between leaves the batch to be
		// resent with a proof HQ accepts, never a mark past an unknown anchor.
		if err := ob.AnchoredAt(ctx, ack.AuditSeq); err != nil {
			return res, fmt.Errorf("note audit anchor %d: %w", ack.AuditSeq, err)
		}
		if err := ob.MarkSent(ctx, b.Last); err != nil {
			return res, fmt.Errorf("mark sent up to %d: %w", b.Last, err)
		}
		// Seq has no gaps in an honest store (store.Pending), so a hole inside
		// the batch is a record deleted before HQ saw it: HQ alerts on it too.
		res.Missing += b.Last - b.First + 1 - int64(len(b.Records))
		after = b.Last
		res.Batches++
		res.Records += len(b.Records)
		res.Bytes += int64(len(body))
		res.Alerts += ack.Alerts
		res.Sent = after
	}
	last, err := ob.LastSeq(ctx)
	if err != nil {
		return res, fmt.Errorf("read last sequence: %w", err)
	}
	res.Last = last
	res.Complete = res.Sent >= last && res.Missing == 0
	return res, nil
}

// fitBytes trims recs to at most max payload bytes, keeping at least one record
// (a single record bigger than the limit is then refused by NewBatch, loudly).
func fitBytes(recs []wire.Record, max int) []wire.Record {
	total := 0
	for i, r := range recs {
		total += len(r.Payload)
		if total > max && i > 0 {
			return recs[:i]
		}
	}
	return recs
}
