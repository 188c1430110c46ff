package store

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// Alert reasons: why HQ kept something aside instead of storing it as a
// record, or what it found wrong with a booth's batch.
const (
	AlertChanged        = "changed"         // a record id HQ holds, with different content
	AlertSeqReused      = "seq_reused"      // a second record at a (booth, seq) HQ holds
	AlertInvalid        = "invalid_record"  // a record that is not its kind's wire format (Record.Invalid)
	AlertGap            = "gap"             // sequence numbers missing inside a batch: deleted at the booth
	AlertAuditTruncated = "audit_truncated" // the booth's audit chain is shorter than HQ anchored
	AlertAuditRewritten = "audit_rewritten" // an anchored audit entry has another hash now
)

// Anchor is a batch's audit anchor (wire.Batch's Head and Proof): the booth's
// audit chain's last entry, and the entry HQ anchored last as the booth holds
// it now (ProofSeq 0 when the booth knows of none).
type Anchor struct {
	HeadSeq  int64
	Head     []byte
	ProofSeq int64
	Proof    []byte
}

// anchorTx is what the ingest checks read and write inside a back-end's
// batch transaction.
type anchorTx interface {
	// recordAt returns the id and hash of the record HQ holds at (booth, seq).
	recordAt(ctx context.Context, booth string, seq int64) (id string, sha []byte, ok bool, err error)
	// anchorAt returns the hash HQ anchored for the booth's audit entry seq.
	anchorAt(ctx context.Context, booth string, seq int64) (hash []byte, ok bool, err error)
	// latestAnchor returns the booth's highest anchored audit seq, 0 for none.
	latestAnchor(ctx context.Context, booth string) (int64, error)
	// addAnchor records an anchor and the record mark its batch brought
	// (ignored when one exists at seq).
	addAnchor(ctx context.Context, booth string, seq int64, hash []byte, mark int64, at time.Time) error
	// acknowledgedAfter reports whether an anchor above seq came with a batch
	// that ended before from: the booth has had that batch's acknowledgement,
	// and with it the anchor.
	acknowledgedAfter(ctx context.Context, booth string, seq, from int64) (bool, error)
}

// screen runs before a batch's records go in. It sets aside, as alerts, the
// records HQ must not store (Invalid ones; a new id at a (booth, seq) HQ
// already holds), raises an alert for every run of sequence numbers missing
// inside the batch, and checks and records the audit anchor. It returns the
// batch with the records to store, the alerts, and the booth's latest
// anchored audit seq afterwards.
func screen(ctx context.Context, tx anchorTx, b Batch, mark int64, at time.Time) (Batch, []Alert, int64, error) {
	var alerts []Alert
	alert := func(reason, recordID string, seq int64, kind string, payload, sha, storedSHA []byte) {
		alerts = append(alerts, Alert{Reason: reason, RecordID: recordID, Booth: b.Booth, Seq: seq, Kind: kind, Payload: payload,
			SHA256: sha, StoredSHA256: storedSHA, StoredBooth: b.Booth, Source: b.Source, At: at})
	}
	keep := make([]Record, 0, len(b.Records))
	next := b.From
	for _, r := range b.Records {
		if r.Seq > next {
			alert(AlertGap, "", next, "", fmt.Appendf(nil, `{"missing_from":%d,"missing_to":%d}`, next, r.Seq-1), []byte{}, []byte{})
		}
		next = r.Seq + 1
		if r.Invalid != "" {
			alert(AlertInvalid, r.ID, r.Seq, r.Kind, r.Payload, r.SHA256, []byte(r.Invalid))
			continue
		}
		if r.Seq <= mark {
			// Only a resend can meet a record HQ holds at its seq.
			id, sha, ok, err := tx.recordAt(ctx, b.Booth, r.Seq)
			if err != nil {
				return b, nil, 0, wrap(err, "read record at %s/%d", b.Booth, r.Seq)
			}
			if ok && id != r.ID {
				alert(AlertSeqReused, r.ID, r.Seq, r.Kind, r.Payload, r.SHA256, sha)
				continue
			}
		}
		keep = append(keep, r)
	}
	if next <= b.To {
		alert(AlertGap, "", next, "", fmt.Appendf(nil, `{"missing_from":%d,"missing_to":%d}`, next, b.To), []byte{}, []byte{})
	}
	b.Records = keep

	latest, err := tx.latestAnchor(ctx, b.Booth)
	if err != nil {
		return b, nil, 0, wrap(err, "read audit anchor of %s", b.Booth)
	}
	a := b.Anchor
	if a == nil || b.To <= mark {
		// A booth older than the anchor: stored unanchored. A resend of what HQ
		// holds (a lost acknowledgement) carries the head it was built with,
		// which may be behind a later anchor: only new records move the anchor.
		return b, alerts, latest, nil
	}
	audit := func(reason string, seq int64, detail string, got, want []byte) {
		alert(reason, "", seq, "audit", []byte(detail), nonNil(got), nonNil(want))
	}
	// The proof: the entry the booth last heard HQ anchored, as it is now. It
	// may be behind HQ's latest anchor only by anchors whose acknowledgement
	// the booth never got (their batches end at or after this batch's start).
	if a.ProofSeq > 0 {
		switch want, ok, err := tx.anchorAt(ctx, b.Booth, a.ProofSeq); {
		case err != nil:
			return b, nil, 0, wrap(err, "read audit anchor of %s", b.Booth)
		case !ok:
			audit(AlertAuditRewritten, a.ProofSeq, fmt.Sprintf(`{"proof_seq":%d,"why":"the booth proves an entry HQ never anchored"}`, a.ProofSeq), a.Proof, nil)
		case !bytes.Equal(want, a.Proof):
			audit(AlertAuditRewritten, a.ProofSeq, fmt.Sprintf(`{"proof_seq":%d,"why":"the anchored entry has another hash at the booth now"}`, a.ProofSeq), a.Proof, want)
		}
	}
	if latest > a.ProofSeq {
		skipped, err := tx.acknowledgedAfter(ctx, b.Booth, a.ProofSeq, b.From)
		if err != nil {
			return b, nil, 0, wrap(err, "read audit anchor of %s", b.Booth)
		}
		if skipped {
			audit(AlertAuditRewritten, a.ProofSeq, fmt.Sprintf(`{"proof_seq":%d,"anchored":%d,"why":"the booth proves an older entry than HQ acknowledged to it (its anchor was reset)"}`, a.ProofSeq, latest), a.Proof, nil)
		}
	}
	if a.HeadSeq < latest {
		audit(AlertAuditTruncated, a.HeadSeq, fmt.Sprintf(`{"head_seq":%d,"anchored":%d}`, a.HeadSeq, latest), a.Head, nil)
		return b, alerts, latest, nil
	}
	if a.HeadSeq == 0 {
		return b, alerts, latest, nil
	}
	switch want, ok, err := tx.anchorAt(ctx, b.Booth, a.HeadSeq); {
	case err != nil:
		return b, nil, 0, wrap(err, "read audit anchor of %s", b.Booth)
	case ok && !bytes.Equal(want, a.Head):
		audit(AlertAuditRewritten, a.HeadSeq, fmt.Sprintf(`{"head_seq":%d,"why":"the booth's head has another hash than HQ anchored"}`, a.HeadSeq), a.Head, want)
	case !ok:
		if err := tx.addAnchor(ctx, b.Booth, a.HeadSeq, a.Head, b.To, at); err != nil {
			return b, nil, 0, wrap(err, "anchor audit of %s", b.Booth)
		}
		latest = a.HeadSeq
	}
	return b, alerts, latest, nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
