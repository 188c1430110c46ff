package sync_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/sync/wire/wiretest"
)

// fixedClock is a booth clock set by the test.
type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

// signed is an envelope as a genuine HQ hands it out (format 2: expiry a day
// after now, digest of whole), signed with key.
func signed(tb testing.TB, key ed25519.PrivateKey, kind wire.EnvelopeKind, version, base int64, payload, whole []byte, now time.Time) wire.Envelope {
	tb.Helper()
	mode := wire.Snapshot
	if base > 0 {
		mode = wire.Delta
	}
	if whole == nil {
		whole = payload
	}
	sum := sha256.Sum256(whole)
	e, err := wire.SignEnvelope(key, wire.Envelope{Format: wire.EnvelopeFormat, Kind: kind, Version: version, BaseVersion: base, Mode: mode,
		Published: now.Add(-time.Hour), Expires: now.Add(24 * time.Hour), Digest: sum[:], Payload: payload})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// arrestList is list version v holding an arrest entry P-ARREST and others.
func arrestList(v int64, others ...string) *screening.List {
	l := listV(v, others...)
	l.Persons = append(l.Persons, screening.Person{ID: "P-ARREST", Names: []string{"IVANOV YURI"}, BirthDate: "1971-03-02",
		Nationalities: []string{"RUS"}, Category: screening.Arrest})
	return l
}

// TestPullNeverDowngrades: on the fall-back from a delta that does not fit, a
// signed but older snapshot is refused and the booth keeps its list with the
// arrest entry (issue 14, item 2). Replays of the version held and wrong-kind,
// stale or mismatching envelopes are refused on every path too.
func TestPullNeverDowngrades(t *testing.T) {
	pki := wiretest.NewPKI(t)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	clock := &fixedClock{now}
	v1, v2 := listV(1, "P1"), arrestList(2, "P1")
	snap1 := signed(t, pki.ListKey, wire.KindLists, 1, 0, listBytes(t, v1), nil, now)
	snap2 := signed(t, pki.ListKey, wire.KindLists, 2, 0, listBytes(t, v2), nil, now)
	// A delta 3 that claims base 2 but was made from another list: it does not
	// apply, which sends the puller to its snapshot fall-back.
	badDelta := signed(t, pki.ListKey, wire.KindLists, 3, 2, deltaBytes(t, listV(2, "P7"), listV(3, "P8")), []byte("x"), now)
	rulesEnv := signed(t, pki.ListKey, wire.KindRules, 3, 0, []byte(`{"country":"KGZ"}`), nil, now)
	stale := signed(t, pki.ListKey, wire.KindLists, 3, 0, listBytes(t, arrestList(3)), nil, now.Add(-72*time.Hour))
	wrongDigest := signed(t, pki.ListKey, wire.KindLists, 3, 0, listBytes(t, arrestList(3)), []byte("another file"), now)

	tests := []struct {
		name   string
		answer func(have int64) wire.Envelope
	}{
		{"older snapshot after a failed delta", func(have int64) wire.Envelope {
			if have == 2 {
				return badDelta
			}
			return snap1
		}},
		{"older snapshot", func(int64) wire.Envelope { return snap1 }},
		{"the version held again", func(int64) wire.Envelope { return snap2 }},
		{"another kind on the lists channel", func(int64) wire.Envelope { return rulesEnv }},
		{"an answer expired two days ago", func(int64) wire.Envelope { return stale }},
		{"a file that is not the signed digest", func(int64) wire.Envelope { return wrongDigest }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), sync.ListsFile)
			p, err := sync.NewPuller(pki.ListKey.Public().(ed25519.PublicKey), clock, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild})
			if err != nil {
				t.Fatal(err)
			}
			hold := fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return snap2, true, nil }}
			if _, err := p.Pull(context.Background(), hold); err != nil {
				t.Fatal(err)
			}
			_, err = p.Pull(context.Background(), fetcher{func(_ wire.EnvelopeKind, have int64) (wire.Envelope, bool, error) {
				return tt.answer(have), true, nil
			}})
			if err == nil {
				t.Fatal("applied")
			}
			got, _ := os.ReadFile(file)
			if want := listBytes(t, v2); !bytes.Equal(got, want) || p.Version(wire.KindLists).Version != 2 {
				t.Fatalf("after %v the booth holds version %d:\n%s", err, p.Version(wire.KindLists).Version, got)
			}
		})
	}
}

// TestPullRulesChecksKind: a signed lists envelope answered on the rules
// channel is not taken as the booth's rules (the puller checks the kind
// itself, whatever the Fetcher).
func TestPullRulesChecksKind(t *testing.T) {
	pki := wiretest.NewPKI(t)
	now := time.Now()
	file := filepath.Join(t.TempDir(), sync.RulesFile)
	p, _ := sync.NewPuller(pki.ListKey.Public().(ed25519.PublicKey), nil, sync.Dataset{Kind: wire.KindRules, File: file, Build: sync.SnapshotBuild(nil)})
	lists := signed(t, pki.ListKey, wire.KindLists, 1, 0, listBytes(t, listV(1, "P1")), nil, now)
	_, err := p.Pull(context.Background(), fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return lists, true, nil }})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a lists envelope became the booth's rules")
	}
}

// TestListsVerifiedAtRest: a lists.jsonl edited on the booth's disk (the
// arrest entry cut out) is noticed: it is not loaded at start, and the next
// pull from a real HQ replaces it with the whole signed version instead of
// applying a delta to the edited file (issue 14, item 3).
func TestListsVerifiedAtRest(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), sync.ListsFile)
	var loaded []*screening.List
	newPuller := func() *sync.Puller {
		p, err := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild,
			Load: func(data []byte, _ sync.DataVersion) error {
				l, err := screening.ReadList(bytes.NewReader(data))
				loaded = append(loaded, l)
				return err
			}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, _ := sync.NewClient(h.Enrol(t, "DOSTUK-07", "DOSTUK"), sync.ClientOptions{})
	v1, v2 := arrestList(1, "P1"), arrestList(2, "P1", "P2")
	if _, err := h.ImportLists(ctx, listBytes(t, v1)); err != nil {
		t.Fatal(err)
	}
	p := newPuller()
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	// Someone with the booth's disk removes the arrest entry.
	edited := listBytes(t, listV(1, "P1"))
	if err := os.WriteFile(file, edited, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded = nil
	p = newPuller()
	var atRest *sync.AtRestError
	if err := p.LoadCurrent(); !errors.As(err, &atRest) || len(loaded) != 0 {
		t.Fatalf("an edited list loads at start: err %v, loaded %d", err, len(loaded))
	}
	if _, err := h.ImportLists(ctx, deltaBytes(t, v1, v2)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(file)
	for _, id := range []string{`"id":"P-ARREST"`, `"id":"P2"`} {
		if !bytes.Contains(whole, []byte(id)) {
			t.Fatalf("after the next pull the booth's list lacks %s:\n%s", id, whole)
		}
	}
	// The same version is repaired too when nothing new is published.
	os.WriteFile(file, edited, 0o600)
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, whole) {
		t.Fatalf("an edited list of the latest version is not repaired:\n%s", got)
	}
	loaded = nil
	if err := newPuller().LoadCurrent(); err != nil || len(loaded) != 1 {
		t.Fatalf("the repaired list does not load: %v", err)
	}
}
