package sync_test

import (
	"bytes"
	"context"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/sync/wire/wiretest"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/rules"
	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/assets"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync"
)

func listV(version int64, persons ...string) *screening.List {
	l := &screening.List{Version: version, Published: time.Date(2026, 11, int(version), 8, 0, 0, 0, time.UTC)}
	for _, id := range persons {
		l.Persons = append(l.Persons, screening.Person{ID: id, Names: []string{"ASANOV BAKYT"}, BirthDate: "1980",
			Nationalities: []string{"KGZ"}, Category: screening.DenyEntry})
	}
	return l
}

func listBytes(tb testing.TB, l *screening.List) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := screening.WriteList(&buf, l); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func deltaBytes(tb testing.TB, from, to *screening.List) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := screening.WriteDelta(&buf, screening.Diff(from, to)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// fetcher is a stand-in for HQ's list endpoint, for answers a genuine HQ never
// gives (forged signatures, deltas that do not fit).
type fetcher struct {
	fetch func(kind wire.EnvelopeKind, have int64) (wire.Envelope, bool, error)
}

func (f fetcher) Fetch(_ context.Context, kind wire.EnvelopeKind, have int64, _ int) (wire.Envelope, bool, error) {
	return f.fetch(kind, have)
}

// Lists published at a real HQ reach the booth: a snapshot, then a delta; a
// restarted booth knows its version and loads its file.
func TestPullLists(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), sync.ListsFile)
	var loaded []int64
	newPuller := func() *sync.Puller {
		p, err := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild,
			Load: func(data []byte, v sync.DataVersion) error {
				if _, err := screening.ReadList(bytes.NewReader(data)); err != nil {
					return err
				}
				loaded = append(loaded, v.Version)
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := newPuller()
	c, _ := sync.NewClient(h.Enrol(t, "DOSTUK-07", "DOSTUK"), sync.ClientOptions{})
	if ch, err := p.Pull(ctx, c); err != nil || len(ch) != 0 {
		t.Fatalf("nothing published: %v, %v", ch, err)
	}
	v1, v2 := listV(1, "P1", "P2"), listV(2, "P1", "P3")
	if _, err := h.ImportLists(ctx, listBytes(t, v1)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ImportLists(ctx, deltaBytes(t, v1, v2)); err != nil {
		t.Fatal(err)
	}
	if ch, err := p.Pull(ctx, c); err != nil || len(ch) != 1 {
		t.Fatalf("delta: %v, %v", ch, err)
	}
	got, _ := os.ReadFile(file)
	if want := listBytes(t, v2); !bytes.Equal(got, want) {
		t.Fatalf("after the delta the file is\n%s\nwant\n%s", got, want)
	}
	if v := p.Version(wire.KindLists); v.Version != 2 || !v.Published.Equal(v2.Published) || len(loaded) != 2 {
		t.Fatalf("version %+v, loaded %v", v, loaded)
	}
	p = newPuller()
	loaded = nil
	if err := p.LoadCurrent(); err != nil || len(loaded) != 1 || loaded[0] != 2 {
		t.Fatalf("after restart: %v %v", loaded, err)
	}
}

func TestPullRefusesForgery(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	file := filepath.Join(t.TempDir(), sync.ListsFile)
	p, _ := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild})
	forger := wiretest.NewPKI(t) // signs with a key that is not HQ's
	v1 := listV(1, "P1")
	forged, _ := wire.SignEnvelope(forger.ListKey, wire.Envelope{Kind: wire.KindLists, Version: 1, Mode: wire.Snapshot, Published: v1.Published, Payload: listBytes(t, v1)})
	altered := forged
	altered.Version = 2
	for _, e := range []wire.Envelope{forged, altered} {
		_, err := p.Pull(context.Background(), fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return e, true, nil }})
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			t.Fatalf("forged list: got %v, want unauthorized", err)
		}
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) || p.Version(wire.KindLists).Version != 0 {
		t.Fatal("a forged list reached the booth's disk")
	}
	// Through the Link, the officer is told.
	l := &sync.Link{Outbox: openStore(t, 0), Batches: nil, Puller: p, BoothID: "DOSTUK-07",
		Lists: fetcher{func(wire.EnvelopeKind, int64) (wire.Envelope, bool, error) { return forged, true, nil }}}
	if err := l.Pull(context.Background()); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("Link.Pull: %v", err)
	}
	if msg := l.SyncState().LastError; !strings.Contains(msg, "signature check") {
		t.Fatalf("status: %q", msg)
	}
}

// A delta that does not fit the file on disk (a crash left the file ahead of its
// version) makes the puller fetch a snapshot instead.
func TestPullDeltaMismatchFallsBackToSnapshot(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), sync.ListsFile)
	v1, v2, v3 := listV(1, "P1"), listV(2, "P2"), listV(3, "P3")
	for _, data := range [][]byte{listBytes(t, v1), deltaBytes(t, v1, v2), listBytes(t, v3)} {
		if _, err := h.ImportLists(ctx, data); err != nil {
			t.Fatal(err)
		}
	}
	// On disk: version 2 by its version file, but the content is another list.
	if err := sync.WriteFileAtomic(file, listBytes(t, listV(2, "P9"))); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file+".version", []byte(`{"version":1}`), 0o600)
	p, err := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindLists, File: file, Build: sync.ListsBuild})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := sync.NewClient(h.Enrol(t, "DOSTUK-07", "DOSTUK"), sync.ClientOptions{})
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if !bytes.Equal(got, listBytes(t, v3)) || p.Version(wire.KindLists).Version != 3 {
		t.Fatalf("file after fallback (version %d):\n%s", p.Version(wire.KindLists).Version, got)
	}
}

// The rule file the project ships, published at HQ, reaches the booth through
// a Link round, parses there, and shows in the status bar (app/rules names
// versions with strings; HQ numbers them).
func TestPullShippedRules(t *testing.T) {
	data, err := fs.ReadFile(assets.FS, "rules/kgz.json")
	if err != nil {
		t.Fatal(err)
	}
	h := hqtest.Start(t, hq.Config{})
	if _, err := h.ImportRules(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), sync.RulesFile)
	var got *rules.RuleSet
	p, _ := sync.NewPuller(h.ListKey(), nil, sync.Dataset{Kind: wire.KindRules, File: file, Build: sync.RulesBuild,
		Load: func(d []byte, _ sync.DataVersion) (err error) { got, err = rules.Parse(d); return err }})
	l := newLink(t, h.Enrol(t, "DOSTUK-07", "DOSTUK"), openStore(t, 0), "")
	l.Puller = p
	if err := l.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Country != "KGZ" || p.Version(wire.KindRules).Version != 1 {
		t.Fatalf("rules at the booth: %+v, version %d", got, p.Version(wire.KindRules).Version)
	}
	if st := l.SyncState(); st.Rules.Name != "v1" || st.Rules.At.IsZero() {
		t.Fatalf("status bar rules: %+v", st.Rules)
	}
}
