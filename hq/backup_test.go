package hq_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chekara/chekara/hq"
	"github.com/chekara/chekara/hq/hqtest"
	"github.com/chekara/chekara/sync/wire"
	"github.com/jackc/pgx/v5"
)

// TestBackupRestore backs up a running HQ (keys, settings and the records it
// holds), loses it, restores it into an empty folder and finds every record and
// the very same CA and list-signing key — on SQLite and on PostgreSQL.
func TestBackupRestore(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			cfg := hq.Config{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)}
			var pg []string
			if name == "postgres" {
				cfg.Postgres = hqtest.PostgresURL(t)
				pg = []string{"--postgres", cfg.Postgres}
			}
			h := hqtest.Start(t, cfg)
			bundle := h.Enrol(t, "DOSTUK-07", "DOSTUK")
			recs := crossings("DOSTUK-07", 1, 25)
			b, err := wire.NewBatch("DOSTUK-07", 1, recs, wire.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := post(hqtest.Client(t, bundle), h.Addr, b); err != nil {
				t.Fatal(err)
			}

			// While HQ runs.
			file := filepath.Join(t.TempDir(), "hq.backup")
			if code, _, errs := run(t, append([]string{"backup", "--data", cfg.DataDir, "--out", file}, pg...)...); code != 0 {
				t.Fatalf("backup: %d %s", code, errs)
			}
			if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("backup file %v %v: it holds HQ's keys, mode must be 0600", fi, err)
			}
			if code, _, _ := run(t, "backup", "--data", cfg.DataDir, "--out", file); code != 1 {
				t.Errorf("a second backup over the first: exit %d, want 1 (never overwrite)", code)
			}
			ca, _ := os.ReadFile(filepath.Join(cfg.DataDir, "ca.pem"))
			listKey, _ := os.ReadFile(filepath.Join(cfg.DataDir, "list-signing-key.pem"))

			// HQ's machine is lost: its process, its folder, its database.
			h.Server.Close()
			os.RemoveAll(cfg.DataDir)
			if name == "postgres" {
				dropSchema(t, cfg.Postgres)
			}

			restored := t.TempDir()
			if code, out, errs := run(t, append([]string{"restore", "--data", restored, "--from", file}, pg...)...); code != 0 {
				t.Fatalf("restore: %d %s %s", code, out, errs)
			}
			if code, _, errs := run(t, "restore", "--data", restored, "--from", file); code != 1 || !strings.Contains(errs, "already holds an HQ") {
				t.Errorf("restore over a restored HQ: %d %s", code, errs)
			}
			for f, want := range map[string][]byte{"ca.pem": ca, "list-signing-key.pem": listKey} {
				if got, _ := os.ReadFile(filepath.Join(restored, f)); !bytes.Equal(got, want) || len(want) == 0 {
					t.Errorf("%s is not the one backed up", f)
				}
			}
			s, err := hq.Open(ctx, hq.Config{DataDir: restored, Postgres: cfg.Postgres, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got, err := s.Store().Records(ctx, "DOSTUK-07")
			if err != nil || len(got) != len(recs) {
				t.Fatalf("restored records %d, %v; want %d", len(got), err, len(recs))
			}
			for i, r := range got {
				if r.ID != recs[i].ID || !bytes.Equal(r.Payload, recs[i].Payload) {
					t.Fatalf("record %d differs after restore", i+1)
				}
			}
			if _, err := s.Store().Booth(ctx, "DOSTUK-07"); err != nil {
				t.Errorf("the enrolled booth is gone: %v", err)
			}
		})
	}
}

// TestRestoreRefusesGarbage: what is not a backup is refused with a sentence
// and leaves no HQ behind.
func TestRestoreRefusesGarbage(t *testing.T) {
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("not a backup"), "gzip of nothing": {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "x")
			os.WriteFile(file, data, 0o600)
			dir := t.TempDir()
			code, _, errs := run(t, "restore", "--data", dir, "--from", file)
			if code != 1 || !strings.Contains(errs, "Not an HQ backup") {
				t.Errorf("restore of %s: %d %q", name, code, errs)
			}
		})
	}
}

func dropSchema(t *testing.T, url string) {
	t.Helper()
	i := strings.Index(url, "search_path=")
	schema := url[i+len("search_path="):]
	base := strings.TrimSuffix(strings.TrimSuffix(url[:i], "&"), "?")
	conn, err := pgx.Connect(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		t.Fatal(err)
	}
}

// FuzzRestore: any bytes given as a backup are refused or restored, never a
// crash, and never a file outside the data folder.
func FuzzRestore(f *testing.F) {
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte("not a backup"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "hq")
		hq.Restore(context.Background(), dir, "", bytes.NewReader(data))
		entries, _ := os.ReadDir(parent)
		if len(entries) > 1 {
			t.Fatalf("restore wrote beside its folder: %v", entries)
		}
	})
}
