package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chekara/chekara/store"
)

// TestBoothDatabaseIsPrivate: booth.db and its WAL are created 0600 (they
// were 0644), and a store left 0644 by an older release is tightened when it
// opens (issue 14, item 5).
func TestBoothDatabaseIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "booth.db")
	check := func(when string) {
		t.Helper()
		for _, p := range []string{path, path + "-wal"} {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := st.Mode().Perm(), os.FileMode(0o600); got != want {
				t.Errorf("%s: %s mode %v, want %v", when, filepath.Base(p), got, want)
			}
		}
	}
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check("new")
	s.Close()
	os.Chmod(path, 0o644)
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check("reopened")
}
