package hq_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chekara/chekara/hq"
)

// TestHQFilesArePrivate: a data folder an administrator created 0755 is
// tightened to 0700 and hq.db is 0600 (it was 0644) — issue 14, item 5.
func TestHQFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hq")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := hq.Open(context.Background(), hq.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "hq.db"): 0o600, filepath.Join(dir, "hq.db-wal"): 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
		}
	}
}

// TestHQDataPathWithHash: a '#' in --data is part of the folder's name: the
// database is made there, in WAL mode (before, the '#' cut the path and the
// pragmas off).
func TestHQDataPathWithHash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hq#2026?x")
	s, err := hq.Open(context.Background(), hq.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.Join(dir, "hq.db"), RawQuery: "mode=ro"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Fatalf("files beside the data folder: %v", entries)
	}
}

// TestBundleNeverOverwrites: `hq booth enrol --out` refuses an existing file
// (which kept its 0644) and a symbolic link (which was followed).
func TestBundleNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	if err := hq.SaveSettings(dir, hq.Settings{Address: "https://hq.example:8443"}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	existing := filepath.Join(out, "existing.json")
	os.WriteFile(existing, []byte("old"), 0o644)
	target := filepath.Join(out, "elsewhere.json")
	link := filepath.Join(out, "link.json")
	os.Symlink(target, link)
	for i, path := range []string{existing, link} {
		code, _, errs := run(t, "booth", "enrol", "--data", dir, "--booth", []string{"B1", "B2"}[i], "--post", "DOSTUK", "--out", path)
		if code == 0 {
			t.Errorf("enrol --out %s: exit 0", filepath.Base(path))
		}
		if !strings.Contains(errs, "exists") {
			t.Errorf("enrol --out %s: %q", filepath.Base(path), errs)
		}
	}
	if data, _ := os.ReadFile(existing); string(data) != "old" {
		t.Error("the existing file was overwritten")
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("the bundle was written through the symbolic link")
	}
}

// TestImportRefusesAFIFO: `hq lists import` and `hq import` on a FIFO answer
// at once instead of hanging.
func TestImportRefusesAFIFO(t *testing.T) {
	dir := t.TempDir()
	media := t.TempDir()
	fifo := filepath.Join(media, "DOSTUK-07-1-5.chkb")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, args := range [][]string{{"lists", "import", "--data", dir, fifo}, {"import", "--data", dir, media}} {
		done := make(chan int, 1)
		go func() {
			code, _, _ := run(t, args...)
			done <- code
		}()
		select {
		case code := <-done:
			if code == 0 {
				t.Errorf("hq %s: exit 0", args[0])
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("hq %s hangs on a FIFO", args[0])
		}
	}
}
