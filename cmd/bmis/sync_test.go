package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chekara/chekara/app/screening"
	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/store"
	"github.com/chekara/chekara/store/synth"
	"github.com/chekara/chekara/sync"
)

// seedBooth writes n synthetic crossings into a new booth store at path.
func seedBooth(t *testing.T, path string, n int, seed uint64) {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Seed(context.Background(), synth.New(synth.Config{Seed: seed, Crossings: n}).Next, 1000, nil); err != nil {
		t.Fatal(err)
	}
}

func writeBundle(t *testing.T, h *hqtest.HQ, booth, dir string) string {
	t.Helper()
	data, err := h.Enrol(t, booth, "DOSTUK").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, booth+".json")
	os.WriteFile(path, data, 0o600)
	return path
}

func runBmis(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSyncOnce(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	ctx := context.Background()
	l := &screening.List{Version: 3, Published: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		Persons: []screening.Person{{ID: "P1", Names: []string{"ASANOV BAKYT"}, BirthDate: "1980", Category: screening.DenyEntry}}}
	var lbuf bytes.Buffer
	screening.WriteList(&lbuf, l)
	if _, err := h.ImportLists(ctx, lbuf.Bytes()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "booth.db")
	seedBooth(t, db, 2500, 1)
	bundle := writeBundle(t, h, "DOSTUK-07", t.TempDir())

	// HQ unreachable: exit 1, nothing acknowledged.
	code, out, _ := runBmis(t, "sync", "--db", db, "--enrolment", bundle, "--hq", "https://127.0.0.1:1", "--once")
	var rep syncReport
	json.Unmarshal([]byte(out), &rep)
	if code != 1 || rep.Complete || rep.Sent != 0 || rep.Last != 2500 || rep.Error == "" {
		t.Fatalf("HQ down: exit %d, %s", code, out)
	}
	// The bundle was imported into the booth's folder: later runs need no --enrolment.
	if _, err := os.Stat(filepath.Join(dir, sync.BundleFile)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runBmis(t, "sync", "--db", db, "--once")
	json.Unmarshal([]byte(out), &rep)
	if code != 0 || !rep.Complete || rep.Sent != 2500 || rep.Records != 2500 || rep.Lists != 3 {
		t.Fatalf("exit %d, %s\n%s", code, out, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, sync.ListsFile)); !bytes.Equal(got, lbuf.Bytes()) {
		t.Fatal("the list file was not written to the booth's folder")
	}
	recs, err := h.Store().Records(ctx, "DOSTUK-07")
	if err != nil || len(recs) != 2500 {
		t.Fatalf("HQ holds %d records: %v", len(recs), err)
	}

	// Another booth's bundle for this database is refused.
	other := writeBundle(t, h, "DOSTUK-08", t.TempDir())
	if code, _, errOut := runBmis(t, "sync", "--db", db, "--enrolment", other, "--once"); code != 1 || !strings.Contains(errOut, "belongs to booth DOSTUK-07") {
		t.Fatalf("foreign bundle: exit %d, %s", code, errOut)
	}
	// A revoked booth is cut off.
	seedMore := func() {
		s, _ := store.Open(db, store.Options{})
		s.Seed(ctx, synth.New(synth.Config{Seed: 9, Crossings: 10}).Next, 10, nil)
		s.Close()
	}
	seedMore()
	if err := h.Revoke(ctx, "DOSTUK-07"); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runBmis(t, "sync", "--db", db, "--once"); code != 1 {
		t.Fatalf("revoked booth: exit %d, %s", code, out)
	}
}

func TestExportImport(t *testing.T) {
	h := hqtest.Start(t, hq.Config{})
	dir := t.TempDir()
	db := filepath.Join(dir, "booth.db")
	seedBooth(t, db, 2300, 2)
	bundle := writeBundle(t, h, "DOSTUK-07", t.TempDir())
	media := filepath.Join(t.TempDir(), "usb")

	code, out, errOut := runBmis(t, "export", "--db", db, "--to", media, "--enrolment", bundle)
	var rep exportReport
	json.Unmarshal([]byte(out), &rep)
	if code != 0 || rep.Records != 2300 || len(rep.Files) != 3 || rep.First != 1 || rep.Last != 2300 {
		t.Fatalf("export: exit %d, %s\n%s", code, out, errOut)
	}
	ctx := context.Background()
	// Twice: the second import is all duplicates.
	for i := 0; i < 2; i++ {
		results, err := h.ImportDir(ctx, media)
		if err != nil || len(results) != 3 {
			t.Fatalf("import %d: %+v, %v", i, results, err)
		}
	}
	recs, err := h.Store().Records(ctx, "DOSTUK-07")
	if err != nil || len(recs) != 2300 {
		t.Fatalf("HQ holds %d records: %v", len(recs), err)
	}
	// Then the link returns: the booth sends everything again, HQ stores nothing twice.
	if code, out, errOut := runBmis(t, "sync", "--db", db, "--enrolment", bundle, "--hq", h.URL, "--once"); code != 0 {
		t.Fatalf("sync after import: exit %d, %s\n%s", code, out, errOut)
	}
	if recs, _ := h.Store().Records(ctx, "DOSTUK-07"); len(recs) != 2300 {
		t.Fatalf("HQ holds %d records after the resend", len(recs))
	}
	if code, _, _ := runBmis(t, "export", "--db", filepath.Join(dir, "missing.db"), "--to", media, "--enrolment", bundle); code != 1 {
		t.Fatalf("missing database: exit %d", code)
	}
	if code, _, _ := runBmis(t, "export", "--db", db); code != 2 {
		t.Fatalf("no --to: exit %d", code)
	}
}
