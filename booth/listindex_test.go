package booth_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/sync"
	"github.com/chekara/chekara/sync/wire"
	"github.com/chekara/chekara/sync/wire/wiretest"
)

// sealedList is list version v (with an arrest entry) as the puller leaves
// it: the file, and its version with HQ's seal.
func sealedList(tb testing.TB, key ed25519.PrivateKey, v int64, withArrest bool) ([]byte, sync.DataVersion) {
	tb.Helper()
	l := &screening.List{Version: v, Published: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	for _, id := range []string{"P1", "P2"} {
		l.Persons = append(l.Persons, screening.Person{ID: id, Names: []string{"PETROV " + id}, BirthDate: "1980", Category: screening.Watch})
	}
	if withArrest {
		l.Persons = append(l.Persons, screening.Person{ID: "P-ARREST", Names: []string{"ИВАНОВ Юрий"}, BirthDate: "1971-03-02",
			Nationalities: []string{"RUS"}, Category: screening.Arrest})
	}
	var buf bytes.Buffer
	if err := screening.WriteList(&buf, l); err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	now := time.Now()
	e, err := wire.SignEnvelope(key, wire.Envelope{Format: wire.EnvelopeFormat, Kind: wire.KindLists, Version: v, Mode: wire.Snapshot,
		Published: now.Add(-time.Hour), Expires: now.Add(24 * time.Hour), Digest: sum[:], Payload: buf.Bytes()})
	if err != nil {
		tb.Fatal(err)
	}
	seal := e.Seal()
	return buf.Bytes(), sync.DataVersion{Version: v, Published: e.Published, Seal: &seal}
}

var arrested = screening.Traveller{Surname: "IVANOV", GivenNames: "IURII", BirthDate: "1971-03-02", Nationality: "RUS"}

func found(w *screening.Watchlist) bool {
	return slices.ContainsFunc(w.Hits(arrested), func(h screening.Hit) bool { return h.ID == "P-ARREST" })
}

// TestListIndexSealedAtRest: the booth persists its lists' screening index
// sealed to the list version HQ signed and starts from it; an index edited
// on disk — even with its seal's hash recomputed — is found, replaced by the
// one built from the signed list, and reported (issue 14: the persisted index
// verified at rest like the lists).
func TestListIndexSealedAtRest(t *testing.T) {
	pki := wiretest.NewPKI(t)
	dir := t.TempDir()
	data, v := sealedList(t, pki.ListKey, 2, true)
	open := func() (*booth.ListIndex, *screening.Watchlist) {
		w := screening.NewWatchlist(nil, screening.DefaultConfig())
		return &booth.ListIndex{Dir: dir, Key: pki.ListKey.Public().(ed25519.PublicKey), Watchlist: w}, w
	}

	// First start: built from the list, then persisted and sealed.
	li, w := open()
	if err := li.Load(data, v); err != nil {
		t.Fatal(err)
	}
	li.Wait()
	if !found(w) || li.FromIndex() != 0 || li.Problem() != nil {
		t.Fatalf("first load: found %v, from index %d, problem %v", found(w), li.FromIndex(), li.Problem())
	}
	for _, f := range []string{booth.IndexFile, booth.IndexSealFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	genuine, _ := os.ReadFile(filepath.Join(dir, booth.IndexFile))

	// Next start: from the persisted index, verified in the background.
	li, w = open()
	if err := li.Load(data, v); err != nil {
		t.Fatal(err)
	}
	li.Wait()
	if !found(w) || li.FromIndex() != 1 || li.Problem() != nil {
		t.Fatalf("second load: found %v, from index %d, problem %v", found(w), li.FromIndex(), li.Problem())
	}

	// Someone with the booth's disk swaps in the index of a list without
	// the arrest entry, and recomputes the seal's hash to match.
	tampered, _ := sealedList(t, pki.ListKey, 2, false)
	l, _ := screening.ReadList(bytes.NewReader(tampered))
	x, _ := screening.Build(l)
	var ib bytes.Buffer
	x.WriteTo(&ib)
	os.WriteFile(filepath.Join(dir, booth.IndexFile), ib.Bytes(), 0o600)
	var seal booth.IndexSeal
	raw, _ := os.ReadFile(filepath.Join(dir, booth.IndexSealFile))
	json.Unmarshal(raw, &seal)
	sum := sha256.Sum256(ib.Bytes())
	seal.IndexSHA256 = sum[:]
	raw, _ = json.Marshal(seal)
	os.WriteFile(filepath.Join(dir, booth.IndexSealFile), raw, 0o600)

	li, w = open()
	if err := li.Load(data, v); err != nil {
		t.Fatal(err)
	}
	li.Wait()
	if li.Problem() == nil {
		t.Fatal("an index edited at rest, seal recomputed, is not reported")
	}
	if !found(w) {
		t.Fatal("after verification the booth still screens with the edited index: the arrest entry is missed")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, booth.IndexFile)); !bytes.Equal(got, genuine) {
		t.Error("the edited index file was not replaced by the one built from the list")
	}

	// An index edited without touching the seal is not even loaded.
	os.WriteFile(filepath.Join(dir, booth.IndexFile), ib.Bytes(), 0o600)
	li, w = open()
	if err := li.Load(data, v); err != nil {
		t.Fatal(err)
	}
	li.Wait()
	if li.FromIndex() != 0 || li.Problem() == nil || !found(w) {
		t.Fatalf("index not matching its seal: from index %d, problem %v, found %v", li.FromIndex(), li.Problem(), found(w))
	}

	// A newer list: the index sealed to version 2 is not used for it.
	data3, v3 := sealedList(t, pki.ListKey, 3, true)
	li, w = open()
	if err := li.Load(data3, v3); err != nil {
		t.Fatal(err)
	}
	li.Wait()
	if li.FromIndex() != 0 || w.Version() != 3 || !found(w) || li.Problem() != nil {
		t.Fatalf("newer list: from index %d, version %d, found %v, problem %v", li.FromIndex(), w.Version(), found(w), li.Problem())
	}
	li, _ = open()
	if err := li.Load(data3, v3); err != nil || li.FromIndex() != 1 {
		t.Fatalf("the newer list's index is not used at the next start: %v, from index %d", err, li.FromIndex())
	}
	li.Wait()
}

// TestBoothStartsFromSealedIndex: an enrolled booth persists the index of
// the lists it pulls from HQ, and its next start screens from it.
func TestBoothStartsFromSealedIndex(t *testing.T) {
	ctx := context.Background()
	h := startHQ(t)
	bundle := h.bundle(t, "DOSTUK-07", "DOSTUK")
	data, _ := sealedList(t, pki0(t), 1, true) // only the list file's bytes are used
	if _, err := h.ImportLists(ctx, data); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, err := booth.Open(ctx, booth.Config{DataDir: dir, Enrolment: bundle})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Link.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	b.Index.Wait()
	if !found(b.Watchlist) {
		t.Fatal("the pulled list does not screen")
	}
	b.Close()
	if _, err := os.Stat(filepath.Join(dir, booth.IndexSealFile)); err != nil {
		t.Fatalf("no sealed index after a pull: %v", err)
	}
	b, err = booth.Open(ctx, booth.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Index.Wait()
	if b.Index.FromIndex() != 1 || b.Index.Problem() != nil || !found(b.Watchlist) {
		t.Fatalf("restart: from index %d, problem %v, found %v", b.Index.FromIndex(), b.Index.Problem(), found(b.Watchlist))
	}
}

func pki0(tb testing.TB) ed25519.PrivateKey { return wiretest.NewPKI(tb).ListKey }
