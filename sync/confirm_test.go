package sync_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/hq/pki"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/sync/wire/wiretest"
)

// recorder passes fetches on to HQ and keeps the last "no change" answer.
type recorder struct {
	hq   sync.Fetcher
	last wire.Envelope
}

func (r *recorder) Fetch(ctx context.Context, kind wire.EnvelopeKind, have int64, max int) (wire.Envelope, bool, error) {
	e, ok, err := r.hq.Fetch(ctx, kind, have, max)
	if err == nil && !ok {
		r.last = e
	}
	return e, ok, err
}

// TestFrozenHQIsNoticed: HQ's 204 carries its signed word that the booth's
// version is still its latest, and the booth keeps how long that word holds.
// An HQ frozen in time — answering "no change" forever, with no word or
// replaying an old one — stops renewing it, and the booth's lists show as
// unconfirmed once it runs out (issue 14). A forged word is refused.
func TestFrozenHQIsNoticed(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), sync.ListsFile)
	clock := &fixedClock{time.Now()}
	newPuller := func() *sync.Puller {
		p, err := sync.NewPuller(h.ListKey(), clock, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, _ := sync.NewClient(h.Enrol(t, "DOSTUK-07", "DOSTUK"), sync.ClientOptions{})
	if _, err := h.ImportLists(ctx, listBytes(t, arrestList(1, "P1"))); err != nil {
		t.Fatal(err)
	}
	p := newPuller()
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	first := p.Version(wire.KindLists).ConfirmedUntil()
	if first.Before(clock.t.Add(23 * time.Hour)) {
		t.Fatalf("a version just applied is confirmed until %v only", first)
	}

	// A genuine HQ renews its word at every "no change".
	time.Sleep(2 * time.Millisecond)
	rec := &recorder{hq: c}
	if changed, err := p.Pull(ctx, rec); err != nil || len(changed) != 0 {
		t.Fatalf("pull with nothing new: %v, %v", changed, err)
	}
	if rec.last.Confirmation == nil {
		t.Fatal("HQ's 204 carries no confirmation")
	}
	renewed := p.Version(wire.KindLists).ConfirmedUntil()
	if !renewed.After(first) {
		t.Fatalf("HQ's 204 did not renew the confirmation: %v, before %v", renewed, first)
	}
	if got := newPuller().Version(wire.KindLists).ConfirmedUntil(); !got.Equal(renewed) {
		t.Errorf("after a restart the booth holds confirmation until %v, want %v", got, renewed)
	}

	// HQ frozen in time: two days of "no change", replaying its last word or
	// saying nothing. The confirmation does not move, and has run out.
	link := &sync.Link{Puller: p, Lists: fetcherOf(rec.last)}
	for _, answer := range []wire.Envelope{rec.last, {}} {
		link.Lists = fetcherOf(answer)
		clock.t = clock.t.Add(24 * time.Hour)
		if err := link.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.Version(wire.KindLists).ConfirmedUntil(); !got.Equal(renewed) {
		t.Fatalf("a frozen HQ moved the confirmation to %v", got)
	}
	if st := link.SyncState(); !st.Lists.Until.Equal(renewed) || !clock.t.After(st.Lists.Until) {
		t.Fatalf("status: lists confirmed until %v at %v; want %v, run out", st.Lists.Until, clock.t, renewed)
	}

	// A word not signed by HQ's list key is refused as forged.
	other := wiretest.NewPKI(t)
	forged, err := wire.SignConfirmation(other.ListKey, wire.Confirmation{Kind: wire.KindLists, Version: 1, At: clock.t, Expires: clock.t.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var fe *sync.ForgedError
	if _, err := p.Pull(ctx, fetcherOf(wire.Envelope{Confirmation: &forged})); !errors.As(err, &fe) {
		t.Fatalf("a forged confirmation: %v, want a ForgedError", err)
	}
	// HQ's word for another version or kind confirms nothing.
	for _, c := range []wire.Confirmation{{Kind: wire.KindLists, Version: 2}, {Kind: wire.KindRules, Version: 1}} {
		c.At, c.Expires = clock.t, clock.t.Add(24*time.Hour)
		signed, err := wire.SignConfirmation(listPrivate(t, h), c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Pull(ctx, fetcherOf(wire.Envelope{Confirmation: &signed})); err != nil {
			t.Fatal(err)
		}
		if got := p.Version(wire.KindLists).ConfirmedUntil(); !got.Equal(renewed) {
			t.Fatalf("a confirmation of %s v%d moved the lists' to %v", c.Kind, c.Version, got)
		}
	}
}

func fetcherOf(none wire.Envelope) fetcher {
	return fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return none, false, nil }}
}

// listPrivate is the test HQ's list-signing key, from its data folder.
func listPrivate(tb testing.TB, h *hqtest.HQ) ed25519.PrivateKey {
	tb.Helper()
	k, err := pki.LoadOrCreateSigningKey(h.Cfg.DataDir)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}
