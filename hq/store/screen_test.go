package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/hq/store"
)

func reasons(as []store.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Reason)
	}
	return out
}

func chainHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// TestApplyScreens: what a booth must never be able to slip into HQ is set
// aside as an alert, on both back-ends (issue 14, items 1 and 7): records
// missing inside a batch, a second record at a (booth, seq) HQ holds, a record
// HQ's checks refused, and a batch whose range would jump the booth's mark.
func TestApplyScreens(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			enrol(t, s, "DOSTUK-07", "DOSTUK")
			if _, err := s.Apply(ctx, batch("DOSTUK-07", 1, 10), t0); err != nil {
				t.Fatal(err)
			}

			// 11..20 with 14 and 15 deleted at the booth.
			gap := batch("DOSTUK-07", 11, 20)
			gap.Records = append(gap.Records[:3], gap.Records[5:]...)
			res, err := s.Apply(ctx, gap, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(reasons(res.Alerts)), fmt.Sprint([]string{store.AlertGap}); got != want || res.Stored != 8 || res.Mark != 20 {
				t.Fatalf("gap: alerts %s (want %s), %+v", got, want, res)
			}
			if a := res.Alerts[0]; a.Seq != 14 || !bytes.Contains(a.Payload, []byte(`"missing_to":15`)) {
				t.Fatalf("gap alert %+v %s", a, a.Payload)
			}

			// A new id at seq 5, which HQ holds under another id, and a record
			// HQ's format check refused.
			reused := record("DOSTUK-07", 5, "crossing", `{"forged":true}`)
			reused.ID = "another-id"
			bad := record("DOSTUK-07", 21, "crossing", `{"forged":true}`)
			bad.Invalid = "The record is not a crossing."
			res, err = s.Apply(ctx, store.Batch{Booth: "DOSTUK-07", From: 5, To: 21, Source: "link", Records: append(append([]store.Record{reused}, batch("DOSTUK-07", 6, 20).Records...), bad)}, t0.Add(2*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(reasons(res.Alerts)), fmt.Sprint([]string{store.AlertSeqReused, store.AlertInvalid}); got != want {
				t.Fatalf("alerts %s, want %s", got, want)
			}
			recs, _ := s.Records(ctx, "DOSTUK-07")
			for _, r := range recs {
				if r.ID == "another-id" || r.Seq == 21 {
					t.Fatalf("HQ stored %s at seq %d", r.ID, r.Seq)
				}
			}
			all, err := s.Alerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(reasons(all)), fmt.Sprint([]string{store.AlertGap, store.AlertSeqReused, store.AlertInvalid}); got != want {
				t.Fatalf("stored alerts %s, want %s", got, want)
			}

			// A range that would set the booth's mark far ahead (2^62).
			jump := batch("DOSTUK-07", 22, 22)
			jump.Records[0].Seq, jump.To = 1<<62, 1<<62
			if _, err := s.Apply(ctx, jump, t0); app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("mark jump: got %v, want EINVALID", err)
			}
			if b, _ := s.Booth(ctx, "DOSTUK-07"); b.Mark != 21 {
				t.Fatalf("mark %d after the refused jump", b.Mark)
			}
		})
	}
}

// TestApplyAnchorsTheAuditChain: HQ anchors each batch's audit head and
// alerts when a later batch's chain is shorter (truncated) or disagrees with
// an anchored entry (rewritten and recomputed); resends after a lost
// acknowledgement raise nothing.
func TestApplyAnchorsTheAuditChain(t *testing.T) {
	anchored := func(b store.Batch, head int64, headHash string, proof int64, proofHash string) store.Batch {
		b.Anchor = &store.Anchor{HeadSeq: head, Head: chainHash(headHash), ProofSeq: proof}
		if proof > 0 {
			b.Anchor.Proof = chainHash(proofHash)
		}
		return b
	}
	tests := []struct {
		name   string
		second store.Batch
		want   []string
	}{
		{"honest", anchored(batch("B1", 11, 20), 40, "h40", 20, "h20"), nil},
		{"acknowledged, then the anchor reset", anchored(batch("B1", 11, 20), 40, "h40", 0, ""), []string{store.AlertAuditRewritten}},
		{"acknowledgement lost: proves no anchor yet", anchored(batch("B1", 1, 20), 40, "h40", 0, ""), nil},
		{"proves an entry never anchored", anchored(batch("B1", 11, 20), 40, "h40", 17, "h17"), []string{store.AlertAuditRewritten, store.AlertAuditRewritten}},
		{"truncated", anchored(batch("B1", 11, 20), 15, "h15", 20, "h20"), []string{store.AlertAuditTruncated}},
		{"rewritten before the anchor", anchored(batch("B1", 11, 20), 40, "h40'", 20, "h20'"), []string{store.AlertAuditRewritten}},
		{"rewritten at the anchor", anchored(batch("B1", 11, 20), 20, "h20'", 20, "h20'"), []string{store.AlertAuditRewritten, store.AlertAuditRewritten}},
		{"a resend of what HQ holds", anchored(batch("B1", 1, 10), 20, "h20", 0, ""), nil},
		{"an old booth's batch", batch("B1", 11, 20), nil},
	}
	for name, open := range backends(t) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				ctx := context.Background()
				s := open(t)
				enrol(t, s, "B1", "DOSTUK")
				res, err := s.Apply(ctx, anchored(batch("B1", 1, 10), 20, "h20", 0, ""), t0)
				if err != nil || len(res.Alerts) != 0 || res.AuditSeq != 20 {
					t.Fatalf("first batch: %+v %v", res, err)
				}
				res, err = s.Apply(ctx, tt.second, t0.Add(time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := fmt.Sprint(reasons(res.Alerts)), fmt.Sprint(tt.want); got != want {
					t.Fatalf("alerts %s, want %s", got, want)
				}
			})
		}
	}
}
