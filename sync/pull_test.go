package sync_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/app/screening"
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

func TestPullLists(t *testing.T) {
	h := startHQ(t, newPKI(t))
	dir := t.TempDir()
	file := filepath.Join(dir, "lists.jsonl")
	var loaded []int64
	newPuller := func() *sync.Puller {
		p, err := sync.NewPuller(h.pki.listPub, nil, sync.Dataset{Kind: sync.KindLists, File: file, Build: sync.ListsBuild,
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
	b := h.pki.bundle(t, "DOSTUK-07", h.addr)
	c, _ := sync.NewClient(b, sync.ClientOptions{})
	ctx := context.Background()

	// Nothing published: nothing changes.
	if ch, err := p.Pull(ctx, c); err != nil || len(ch) != 0 {
		t.Fatalf("empty HQ: %v, %v", ch, err)
	}

	v1, v2, v3 := listV(1, "P1", "P2"), listV(2, "P1", "P3"), listV(3, "P3")
	h.publish(t, sync.Envelope{Kind: sync.KindLists, Version: 1, Mode: sync.Snapshot, Published: v1.Published, Payload: listBytes(t, v1)})
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	h.publish(t, sync.Envelope{Kind: sync.KindLists, Version: 2, BaseVersion: 1, Mode: sync.Delta, Published: v2.Published, Payload: deltaBytes(t, v1, v2)})
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if want := listBytes(t, v2); !bytes.Equal(got, want) {
		t.Fatalf("after the delta the file is\n%s\nwant\n%s", got, want)
	}
	if v := p.Version(sync.KindLists); v.Version != 2 || !v.Published.Equal(v2.Published) {
		t.Fatalf("version %+v", v)
	}

	// A forged envelope (signed by another key) is refused and changes nothing.
	other := newPKI(t)
	forged, _ := sync.SignEnvelope(other.listKey, sync.Envelope{Kind: sync.KindLists, Version: 3, Mode: sync.Snapshot, Published: v3.Published, Payload: listBytes(t, v3)})
	h.mu.Lock()
	h.pubs[sync.KindLists] = append(h.pubs[sync.KindLists], forged)
	h.mu.Unlock()
	if _, err := p.Pull(ctx, c); app.ErrorCode(err) != app.EUNAUTHORIZED {
		t.Fatalf("forged list: got %v, want unauthorized", err)
	}
	if got2, _ := os.ReadFile(file); !bytes.Equal(got2, got) || p.Version(sync.KindLists).Version != 2 {
		t.Fatal("a forged list changed the booth's copy")
	}

	// A restarted booth reads its version from disk and loads its file.
	p = newPuller()
	if v := p.Version(sync.KindLists).Version; v != 2 {
		t.Fatalf("version after restart %d, want 2", v)
	}
	loaded = nil
	if err := p.LoadCurrent(); err != nil || len(loaded) != 1 || loaded[0] != 2 {
		t.Fatalf("LoadCurrent: %v %v", loaded, err)
	}

	// HQ replaces the forged one with a genuine snapshot: taken.
	h.mu.Lock()
	h.pubs[sync.KindLists] = h.pubs[sync.KindLists][:2]
	h.mu.Unlock()
	h.publish(t, sync.Envelope{Kind: sync.KindLists, Version: 3, Mode: sync.Snapshot, Published: v3.Published, Payload: listBytes(t, v3)})
	if _, err := p.Pull(ctx, c); err != nil {
		t.Fatal(err)
	}
	if v := p.Version(sync.KindLists).Version; v != 3 {
		t.Fatalf("version %d, want 3", v)
	}
}

// A delta that does not fit the file on disk (a crash left the file ahead of its
// version) makes the puller fetch a snapshot instead.
func TestPullDeltaMismatchFallsBackToSnapshot(t *testing.T) {
	h := startHQ(t, newPKI(t))
	file := filepath.Join(t.TempDir(), "lists.jsonl")
	v1, v2 := listV(1, "P1"), listV(2, "P2")
	// On disk: version 1 by its version file, but the content is some other list.
	if err := sync.WriteFileAtomic(file, listBytes(t, listV(1, "P9"))); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file+".version", []byte(`{"version":1}`), 0o600)
	h.publish(t, sync.Envelope{Kind: sync.KindLists, Version: 2, Mode: sync.Snapshot, Published: v2.Published, Payload: listBytes(t, v2)})
	h.publish(t, sync.Envelope{Kind: sync.KindLists, Version: 2, BaseVersion: 1, Mode: sync.Delta, Published: v2.Published, Payload: deltaBytes(t, v1, v2)})
	p, err := sync.NewPuller(h.pki.listPub, nil, sync.Dataset{Kind: sync.KindLists, File: file, Build: sync.ListsBuild})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := sync.NewClient(h.pki.bundle(t, "DOSTUK-07", h.addr), sync.ClientOptions{})
	if _, err := p.Pull(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(file)
	if !bytes.Equal(got, listBytes(t, v2)) {
		t.Fatalf("file after fallback:\n%s", got)
	}
}

func TestPullRulesSnapshots(t *testing.T) {
	h := startHQ(t, newPKI(t))
	file := filepath.Join(t.TempDir(), "rules.json")
	var got []byte
	p, _ := sync.NewPuller(h.pki.listPub, nil, sync.Dataset{Kind: sync.KindRules, File: file,
		Build: sync.SnapshotBuild(nil), Load: func(d []byte, _ sync.DataVersion) error { got = d; return nil }})
	h.publish(t, sync.Envelope{Kind: sync.KindRules, Version: 4, Mode: sync.Snapshot, Published: time.Now(), Payload: []byte(`{"rules":[]}`)})
	c, _ := sync.NewClient(h.pki.bundle(t, "DOSTUK-07", h.addr), sync.ClientOptions{})
	l := &sync.Link{Outbox: &memOutbox{}, HQ: c, BoothID: "DOSTUK-07", Puller: p}
	if err := l.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"rules":[]}` {
		t.Fatalf("loaded %q", got)
	}
	if st := l.SyncState(); st.Rules.Name != "v4" {
		t.Fatalf("status rules %+v", st.Rules)
	}
}
